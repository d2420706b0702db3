/** A cluster's status kept current from watch events: one Pod or node replaced per event, never a re-list (no `vscode` here). */
import type { ClusterSource, LabStatus, NodeInfo, PodInfo } from '../../providers/embedded/control/protocol';
import type { ClusterChange, KubeNode, KubePod } from '../../providers/kube/clusterTypes';
import { toLabStatus } from '../../providers/kube/toLabStatus';
import { cmp } from '../../snapshot/parseIp';

/** A node row's data: NodeInfo plus its Ready condition when the API reported it (undefined: not known yet). */
export type ClusterNodeInfo = NodeInfo & { ready?: boolean };

/** What one applied event changed, so views refresh only that row (and its node). */
export type AppliedChange =
  | { kind: 'pod'; change: 'added' | 'updated' | 'deleted'; pod: PodInfo; previous?: PodInfo }
  | { kind: 'node'; change: 'added' | 'updated' | 'deleted'; node: ClusterNodeInfo }
  | { kind: 'resync' }
  | { kind: 'none' };

/** A Pod event as the tree shows it, converted exactly as the provider's own status does (hostNetwork: its node's IP). */
export function podInfoFromKube(source: ClusterSource, pod: KubePod, node: KubeNode | undefined): PodInfo {
  return toLabStatus(source, node ? [node] : [], [pod]).pods[0];
}

/** A node event as the tree shows it; how its Pods are wired (cbr0 or ptp) is kept from `previous`, read by node access. */
export function nodeInfoFromKube(source: ClusterSource, node: KubeNode, previous?: NodeInfo): ClusterNodeInfo {
  const wiring = previous ? { cni: previous.cni, bridge: previous.bridge, bridgeIP: previous.bridgeIP } : undefined;
  const info = toLabStatus(source, [node], [], wiring ? new Map([[node.name, wiring]]) : undefined).nodes[0];
  return { ...info, ready: node.ready };
}

const byName = (a: { name: string }, b: { name: string }) => cmp(a.name, b.name);

/** Inserts, replaces or removes one entry by name, keeping the list sorted (binary search: O(log n) to find, one splice). */
function upsertSorted<T extends { name: string }>(list: T[], item: T, remove: boolean): { list: T[]; previous?: T } {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byName(list[mid], item) < 0) lo = mid + 1;
    else hi = mid;
  }
  const found = lo < list.length && list[lo].name === item.name ? list[lo] : undefined;
  const next = list.slice();
  if (remove) {
    if (found) next.splice(lo, 1);
  } else {
    next.splice(lo, found ? 1 : 0, item);
  }
  return { list: next, previous: found };
}

/**
 * Applies one watch event to `st` (a cluster's status, sorted as {@link sortedStatus} leaves it); returns the new
 * status and what changed. `nodes` are the API's Nodes (for a hostNetwork Pod's IP). A resync changes nothing here:
 * the caller re-reads the status once.
 */
export function applyClusterChange(
  st: LabStatus,
  c: ClusterChange,
  nodes: (name: string) => KubeNode | undefined,
): { status: LabStatus; applied: AppliedChange } {
  const source = st.cluster;
  if (c.kind === 'resync' || !source) return { status: st, applied: { kind: 'resync' } };
  if (c.kind === 'node') {
    const previous = st.nodes.find((n) => n.name === c.node.name);
    const node = nodeInfoFromKube(source, c.node, previous);
    const { list } = upsertSorted(st.nodes, node, c.change === 'deleted');
    return { status: { ...st, nodes: list }, applied: { kind: 'node', change: c.change, node } };
  }
  const pod = podInfoFromKube(source, c.pod, nodes(c.pod.node));
  const { list, previous } = upsertSorted(st.pods, pod, c.change === 'deleted');
  return { status: { ...st, pods: list }, applied: { kind: 'pod', change: c.change, pod, previous } };
}

/** The Kubernetes namespaces of the status' Pods with how many Pods each has, sorted by name. */
export function namespacesOf(st: LabStatus): { namespace: string; pods: number }[] {
  const counts = new Map<string, number>();
  for (const p of st.pods) if (p.namespace) counts.set(p.namespace, (counts.get(p.namespace) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, pods]) => ({ namespace, pods }));
}

/** The status limited to one namespace's Pods and Services (nodes stay), or unchanged for undefined (all namespaces). */
export function filterNamespace(st: LabStatus, namespace: string | undefined): LabStatus {
  if (namespace === undefined || !st.cluster) return st;
  const services = st.services?.filter((s) => s.namespace === namespace);
  return { ...st, pods: st.pods.filter((p) => p.namespace === namespace), ...(services ? { services } : {}), cluster: { ...st.cluster, namespace } };
}

/** The status with nodes and Pods sorted by name (code-point order), the order {@link applyClusterChange} keeps. */
export function sortedStatus(st: LabStatus): LabStatus {
  return { ...st, nodes: [...st.nodes].sort(byName), pods: [...st.pods].sort(byName) };
}
