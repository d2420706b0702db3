/** A small kind-like cluster as the API reports it (2 nodes, Pods in two namespaces, one hostNetwork Pod), for the pure tests. */
import type { ClusterSource } from '../../../src/providers/embedded/control/protocol';
import type { KubeNode, KubePod } from '../../../src/providers/kube/clusterTypes';

/** A Node read from the API. */
export function kubeNode(name: string, internalIP: string, podCIDR: string, ready = true): KubeNode {
  return { name, internalIP, podCIDRs: [podCIDR], ready, providerID: `kind://docker/podnet/${name}`, resourceVersion: '1' };
}

/** A Pod read from the API. */
export function kubePod(namespace: string, name: string, node: string, ip: string, extra: Partial<KubePod> = {}): KubePod {
  return {
    namespace, name, uid: `uid-${namespace}-${name}`, node, podIPs: ip ? [ip] : [], phase: 'Running', deleting: false, hostNetwork: false,
    containers: [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.39', ports: [{ containerPort: 8080, protocol: 'TCP' }] }],
    readyContainers: 1, restarts: 0, labels: {}, createdAt: '2026-11-29T12:00:00Z', resourceVersion: '1', ...extra,
  };
}

/** Where the status comes from: a kind context reached through its node containers. */
export function source(access: ClusterSource['access'] = 'container'): ClusterSource {
  return { context: 'kind-podnet', cluster: 'kind-podnet', server: 'https://127.0.0.1:6443', access, accessDescription: 'docker exec into the node containers (kind)' };
}

/** The cluster's Nodes and Pods: web Pods in default, a DNS Pod and a hostNetwork kube-proxy in kube-system. */
export function cluster(): { nodes: KubeNode[]; pods: KubePod[] } {
  const nodes = [kubeNode('podnet-worker', '172.18.0.3', '10.244.1.0/24'), kubeNode('podnet-control-plane', '172.18.0.2', '10.244.0.0/24')];
  const pods = [
    kubePod('default', 'web-1', 'podnet-worker', '10.244.1.2'),
    kubePod('default', 'web-0', 'podnet-control-plane', '10.244.0.5'),
    kubePod('kube-system', 'coredns-1', 'podnet-control-plane', '10.244.0.2'),
    kubePod('kube-system', 'kube-proxy-x', 'podnet-worker', '172.18.0.3', { hostNetwork: true }),
    kubePod('default', 'pending', '', '', { phase: 'Pending', readyContainers: 0 }),
  ];
  return { nodes, pods };
}
