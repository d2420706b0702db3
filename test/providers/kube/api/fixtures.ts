/** Node and Pod objects in the API's JSON shape, for the stand-in API server in tests. */
import type { StandInKind, StoredObject } from '../../../support/kubeApiStandIn/store';

/** A Ready Node with an InternalIP and a Pod CIDR. */
export function nodeObject(name: string, ip: string, podCIDR: string): StoredObject & { kind: StandInKind } {
  return {
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { podCIDR, podCIDRs: [podCIDR], providerID: `kind://docker/stand-in/${name}` },
    status: { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A Running Pod on a node with one IP and one container. */
export function podObject(
  namespace: string, name: string, node: string, ip: string, labels: Record<string, string> = {},
): StoredObject & { kind: StandInKind } {
  return {
    kind: 'Pod',
    metadata: { namespace, name, labels },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], containerStatuses: [{ name: 'web', ready: true, restartCount: 0 }] },
  };
}
