/** Turns what the API says about a cluster (Nodes, Pods) into the LabStatus every view and the snapshot read. */
import type { Topology } from '../../model/topology';
import type { ClusterSource, ContainerInfo, LabStatus, NodeInfo, PodInfo } from '../embedded/control/protocol';
import type { KubeNode, KubePod } from './clusterTypes';
import { cmp } from '../../snapshot/parseIp';
import { coveringCidr, isIPv4 } from './coveringCidr';
import { TOPOLOGY_NODE_LABEL } from '../kind/kindConfig';

/** How a node wires its Pods, as read from its links: a bridge (cbr0/cni0) with its address, or per-Pod veths (ptp). */
export interface NodeWiring {
  cni: 'bridge' | 'ptp' | 'vxlan';
  bridge: string;
  bridgeIP: string;
}

/** What a node's wiring is when nothing could be read from it (no node access): ptp, kind's default, with no bridge. */
export const UNKNOWN_WIRING: NodeWiring = { cni: 'ptp', bridge: '', bridgeIP: '' };

/** The Pod name the engine uses on a cluster: `NAMESPACE/NAME` (unique across namespaces). */
export const podKey = (p: Pick<KubePod, 'namespace' | 'name'>): string => `${p.namespace}/${p.name}`;

/** The first IPv4 Pod CIDR of a node, or ''. */
export function firstPodCIDR(n: KubeNode): string {
  return n.podCIDRs.find((c) => c.includes('.') && coveringCidr([c]) === c) ?? '';
}

/** The Pod's status in the lab's terms: Terminating while deleting; Succeeded, Failed and Unknown have no namespace left to read, so they show as Failed. */
export function podStatus(p: KubePod): PodInfo['status'] {
  if (p.deleting) return 'Terminating';
  if (p.phase === 'Running' || p.phase === 'Pending') return p.phase;
  return 'Failed';
}

/** The Pod's IPv4 address: its node's for a hostNetwork Pod, else its first IPv4 podIP, else ''. */
export function podIP(p: KubePod, node: KubeNode | undefined): string {
  if (p.hostNetwork) return node?.internalIP && isIPv4(node.internalIP) ? node.internalIP : '';
  return p.podIPs.find(isIPv4) ?? '';
}

function containersOf(p: KubePod): ContainerInfo[] {
  const state = podStatus(p) === 'Running' ? 'running' : 'exited';
  return p.containers.map((c) => {
    const port = c.ports.find((q) => q.protocol === 'TCP')?.containerPort ?? c.ports[0]?.containerPort;
    return { name: c.name, workload: c.image, ...(port !== undefined ? { port } : {}), state };
  });
}

function podInfo(p: KubePod, node: KubeNode | undefined): PodInfo {
  // Interface details (MAC, host veth, gateway) are not in the API; the snapshot reads them from the namespaces.
  return {
    name: podKey(p), node: p.node, ip: podIP(p, node), prefixLength: 32, gateway: '', mac: '', hostVeth: '', status: podStatus(p),
    containers: containersOf(p), sandboxId: p.uid, createdAt: p.createdAt, namespace: p.namespace, hostNetwork: p.hostNetwork,
    ...(Object.keys(p.labels ?? {}).length ? { labels: { ...p.labels } } : {}),
  };
}


/** The other names of a node: its topology node from the label, when it differs from the node's own name. */
export function nodeAliases(n: KubeNode): string[] {
  const alias = n.labels?.[TOPOLOGY_NODE_LABEL];
  return alias && alias !== n.name ? [alias] : [];
}

function nodeInfo(n: KubeNode, wiring: NodeWiring): NodeInfo {
  const aliases = nodeAliases(n);
  return { name: n.name, ip: isIPv4(n.internalIP) ? n.internalIP : '', podCIDR: firstPodCIDR(n), ...wiring, wirePort: '', ...(aliases.length ? { aliases } : {}) };
}

function topologyOf(name: string, nodes: NodeInfo[], pods: PodInfo[]): Topology {
  return {
    name,
    network: { cidr: coveringCidr(nodes.map((n) => n.ip)) },
    clusterCIDR: coveringCidr(nodes.map((n) => n.podCIDR)),
    nodes: nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR, cni: n.cni })),
    pods: pods.filter((p) => p.node).map((p) => ({
      name: p.name, node: p.node,
      containers: p.containers.map((c) => ({ name: c.name, workload: c.port !== undefined ? ('web' as const) : ('sleep' as const), ...(c.port !== undefined ? { port: c.port } : {}) })),
    })),
  };
}

/** The status of a cluster: nodes sorted by name, Pods by `NAMESPACE/NAME`; no wire namespace (wireBridge ''), sandboxPid 0. */
export function toLabStatus(source: ClusterSource, nodes: readonly KubeNode[], pods: readonly KubePod[], wiring: ReadonlyMap<string, NodeWiring> = new Map(), startedAt = ''): LabStatus {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const nodeInfos = [...nodes].sort((a, b) => cmp(a.name, b.name)).map((n) => nodeInfo(n, wiring.get(n.name) ?? UNKNOWN_WIRING));
  const podInfos = [...pods].sort((a, b) => cmp(podKey(a), podKey(b))).map((p) => podInfo(p, byName.get(p.node)));
  return {
    lab: source.context, state: 'running', rootless: false, sandboxPid: 0, startedAt,
    topology: topologyOf(source.context, nodeInfos, podInfos), nodes: nodeInfos, pods: podInfos, wireBridge: '', cluster: source,
  };
}
