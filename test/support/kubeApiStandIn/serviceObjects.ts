/** Service (v1) and EndpointSlice (discovery.k8s.io/v1) objects in the API's JSON shape, as the endpointslice controller would write them. */
import type { StoredObject } from './store';

/** A Service port as a test writes it. */
export interface ServicePortFacts {
  name?: string;
  protocol?: 'TCP' | 'UDP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** What a test says about a Service. */
export interface ServiceFacts {
  namespace: string;
  name: string;
  clusterIP: string;
  type?: 'ClusterIP' | 'NodePort';
  ports: ServicePortFacts[];
  selector?: Record<string, string>;
  externalTrafficPolicy?: 'Cluster' | 'Local';
}

/** One endpoint of a slice: a Pod's address on a node. */
export interface EndpointFacts {
  ip: string;
  pod?: { namespace: string; name: string };
  node?: string;
  ready?: boolean;
}

/** A V1Service as kube-apiserver returns it (clusterIPs, ipFamilies, defaults filled in). */
export function serviceObject(s: ServiceFacts): StoredObject & { kind: 'Service' } {
  const type = s.type ?? 'ClusterIP';
  return {
    kind: 'Service', apiVersion: 'v1',
    metadata: { namespace: s.namespace, name: s.name, labels: { app: s.name } },
    spec: {
      type, clusterIP: s.clusterIP, clusterIPs: [s.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None',
      ...(s.selector ? { selector: s.selector } : {}),
      ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', port: p.port, targetPort: p.targetPort ?? p.port, ...(p.nodePort ? { nodePort: p.nodePort } : {}) })),
      ...(type === 'NodePort' ? { externalTrafficPolicy: s.externalTrafficPolicy ?? 'Cluster' } : {}),
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

/** The EndpointSlice the controller makes for a Service: label kubernetes.io/service-name, IPv4, the given endpoints and ports. */
export function endpointSliceObject(
  svc: Pick<ServiceFacts, 'namespace' | 'name'>, endpoints: EndpointFacts[], ports: { name?: string; protocol?: 'TCP' | 'UDP'; port: number }[], suffix = 'abcde',
): StoredObject & { kind: 'EndpointSlice' } {
  return {
    kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1',
    metadata: {
      namespace: svc.namespace, name: `${svc.name}-${suffix}`,
      labels: { 'kubernetes.io/service-name': svc.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip], conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name } } : {}), ...(e.node ? { nodeName: e.node } : {}),
    })),
    ports: ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : { name: '' }), protocol: p.protocol ?? 'TCP', port: p.port })),
  };
}
