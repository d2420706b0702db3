/** Test bed nodes and Pods as the kube provider reads them from the API (KubeNode, KubePod), for node access tests. */
import type { KubeNode, KubePod } from '../../../../src/providers/kube/clusterTypes';
import type { TestbedNode, TestbedPod } from '../../../support/testbed/testbed';

/** The KubeNode an API server would report for a test bed node. */
export function kubeNodeOf(n: TestbedNode): KubeNode {
  return { name: n.name, internalIP: n.ip, podCIDRs: [n.podCIDR], ready: true, providerID: n.providerID, resourceVersion: '1' };
}

/** The KubePod an API server would report for a test bed Pod. */
export function kubePodOf(p: TestbedPod): KubePod {
  return {
    namespace: p.namespace,
    name: p.name,
    uid: p.uid,
    node: p.node,
    podIPs: [p.ip],
    phase: 'Running',
    deleting: false,
    hostNetwork: p.hostNetwork,
    containers: p.containers.map((c) => ({ name: c.name, image: 'podnet-testbed-node', ports: [{ containerPort: c.port, protocol: 'TCP' as const }] })),
    readyContainers: p.containers.length,
    restarts: 0,
    labels: {},
    createdAt: new Date(0).toISOString(),
    resourceVersion: '1',
  };
}
