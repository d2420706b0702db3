/** The words the tree, status bar and tooltips use for a cluster (no `vscode` here, so tests read them directly). */
import type { ClusterSource, LabStatus, PodInfo } from '../../providers/embedded/control/protocol';
import type { ClusterNodeInfo } from '../cluster/clusterState';
import { nodeNamed, podsOn } from './elements';

const ready = (p: PodInfo) => `${p.containers.filter((c) => c.state === 'running').length}/${p.containers.length}`;

/** How node namespaces are read, for the user: the method and why (e.g. "node containers: docker exec into the kind nodes"). */
export function accessText(c: ClusterSource): string {
  const method = c.access === 'container' ? 'node containers' : c.access === 'debugPod' ? 'debug Pods' : 'no node access (API only)';
  return `${method}: ${c.accessDescription}`;
}

/** The root row: `cluster kind-podnet` and its counts, namespace and read-only note. */
export function clusterRootText(st: LabStatus, c: ClusterSource): { label: string; description: string } {
  const ns = c.namespace ? `namespace ${c.namespace}` : 'all namespaces';
  return { label: `cluster ${c.context}`, description: `${st.nodes.length} nodes · ${ns} · read-only` };
}

/** A node row's description: InternalIP, Pod CIDR, Ready, Pod count, and how its Pods are wired when node access read it. */
export function clusterNodeDescription(st: LabStatus, node: string): string {
  const n = nodeNamed(st, node) as ClusterNodeInfo | undefined;
  if (!n) return '';
  const readyText = n.ready === undefined ? '' : n.ready ? ' · Ready' : ' · NotReady';
  const wiring = st.cluster?.access === 'none' ? '' : n.bridge ? ` · ${n.bridge}` : n.bridgeIP || n.wirePort ? ' · ptp' : '';
  return `${n.ip || '<no InternalIP>'} · Pods ${n.podCIDR || '<no podCIDR>'}${readyText} · ${podsOn(st, node).length} Pods${wiring}`;
}

/** A node row's tooltip: where its details come from (the node access method and why). */
export function clusterNodeTooltip(st: LabStatus, node: string): string {
  const c = st.cluster;
  const n = nodeNamed(st, node);
  if (!c || !n) return node;
  return `Node ${node}, InternalIP ${n.ip || 'unknown'}, Pod CIDR ${n.podCIDR || 'none'}.\nNode access: ${accessText(c)}`;
}

/** A Pod row's description: IP (and that it is the node's for hostNetwork), status, ready containers. */
export function clusterPodDescription(p: PodInfo): string {
  const ip = p.ip || '<none>';
  return p.hostNetwork ? `${ip} · node's IP (hostNetwork) · ${p.status} ${ready(p)}` : `${ip} · ${p.status} ${ready(p)}`;
}

/** Why a hostNetwork Pod shares its node's IP: the one exception to "every Pod its own IP". */
export function hostNetworkNote(p: PodInfo): string {
  return `${p.name} runs with hostNetwork: true, so it has no network namespace of its own: it uses node ${p.node}'s, and so its IP ${p.ip || ''} is the node's. ` +
    'This is the one exception to "every Pod gets its own IP".';
}

/** The status bar for a cluster: `$(cloud) kind-podnet · 2 nodes · 5 Pods` and a tooltip naming the context, server, namespace and node access. */
export function clusterStatusBar(st: LabStatus, c: ClusterSource): { text: string; tooltip: string } {
  return {
    text: `$(cloud) ${c.context} · ${st.nodes.length} nodes · ${st.pods.length} Pods`,
    tooltip: [
      `Cluster context ${c.context} (cluster ${c.cluster}, ${c.server}), read-only.`,
      `Namespace: ${c.namespace ?? 'all'}.`,
      `Node access: ${accessText(c)}`,
      'Click to trace a packet.',
    ].join('\n'),
  };
}
