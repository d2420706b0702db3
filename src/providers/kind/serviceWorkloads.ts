/** The topology's Services as Kubernetes manifests for a kind cluster, made and removed next to its Pods. */
import type { ServiceSpec, Topology } from '../../model/topology';
import { clusterSelector } from './serviceLabels';
import { MANAGED_BY, TOPOLOGY_LABEL, WORKLOAD_NAMESPACE } from './workloads';

/**
 * The V1Service for one topology Service: type, ClusterIP, one unnamed port (unnamed as in the embedded lab, so kube-proxy's
 * chain names match) with its NodePort, and the selector as the cluster reads it.
 */
export function serviceManifest(svc: ServiceSpec, topology: Pick<Topology, 'name'>): Record<string, unknown> {
  const port = {
    protocol: svc.protocol.toUpperCase(), port: svc.port, targetPort: svc.targetPort,
    ...(svc.type === 'NodePort' && svc.nodePort !== undefined ? { nodePort: svc.nodePort } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc.name, namespace: WORKLOAD_NAMESPACE, labels: { ...MANAGED_BY, [TOPOLOGY_LABEL]: topology.name } },
    spec: {
      type: svc.type,
      clusterIP: svc.clusterIP,
      selector: clusterSelector(svc),
      ports: [port],
      ...(svc.type === 'NodePort' ? { externalTrafficPolicy: svc.externalTrafficPolicy } : {}),
    },
  };
}

/** Every Service of the topology, in topology order (none when it has no `services:`). */
export function serviceManifests(topology: Pick<Topology, 'name' | 'services'>): Record<string, unknown>[] {
  return (topology.services ?? []).map((s) => serviceManifest(s, topology));
}
