/** A Service's endpoints among the lab's Pods (what the EndpointSlice controller computes), and how the lab reports a Service. */
import { selectPods } from '../../../../model/serviceSelect';
import type { ServiceSpec } from '../../../../model/topology';
import type { ServiceInfo } from '../../control/protocol';
import type { PodRecord } from '../labState';
import { byEndpointAddress, type KubeProxyEndpoint } from './kubeProxyPlan';

/**
 * The endpoints of `spec`: every selected Pod that is Running (ready) or Terminating (listed, not ready, as Kubernetes keeps a
 * terminating endpoint until it is gone); Pending and Failed Pods have no endpoint. The port is the Service's targetPort.
 */
export function serviceEndpoints(spec: ServiceSpec, pods: readonly PodRecord[]): KubeProxyEndpoint[] {
  const candidates = pods.filter((p) => p.info.ip && (p.info.status === 'Running' || p.info.status === 'Terminating'));
  const chosen = new Set(selectPods(spec.selector, candidates.map((p) => ({ name: p.spec.name, labels: p.spec.labels }))));
  return candidates
    .filter((p) => chosen.has(p.spec.name))
    .map((p) => ({ ip: p.info.ip, port: spec.targetPort, pod: p.spec.name, node: p.spec.node, ready: p.info.status === 'Running' }))
    .sort(byEndpointAddress);
}

/** The Service as clients see it: its one port and its current endpoints. */
export function serviceInfo(spec: ServiceSpec, endpoints: readonly KubeProxyEndpoint[], createdAt?: string): ServiceInfo {
  return {
    name: spec.name,
    type: spec.type,
    clusterIP: spec.clusterIP,
    ports: [{ protocol: spec.protocol, port: spec.port, targetPort: spec.targetPort, ...(spec.nodePort !== undefined ? { nodePort: spec.nodePort } : {}) }],
    externalTrafficPolicy: spec.externalTrafficPolicy,
    selector: spec.selector,
    endpoints: endpoints.map((e) => ({
      ip: e.ip,
      ...(e.pod ? { pod: e.pod } : {}),
      ...(e.node ? { node: e.node } : {}),
      ready: e.ready,
      ports: [{ protocol: spec.protocol, port: e.port }],
    })),
    ...(createdAt ? { createdAt } : {}),
  };
}
