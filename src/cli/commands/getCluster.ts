/** `podnet get pods|nodes --context CTX`: the cluster's Pods and Nodes in kubectl's column shapes, plus how PodNet reaches each node. */
import type { KubeNode, KubePod } from '../../providers/kube/clusterTypes';
import type { KubeProvider } from '../../providers/kube/kubeProvider';
import { podKey } from '../../providers/kube/toLabStatus';
import { cmp } from '../../snapshot/parseIp';
import { formatLabels } from '../labelArgs';
import { table } from '../table';

/** kubectl's age format (duration.HumanDuration): 45s, 3m20s, 2h10m, 3d4h, 400d, 2y30d. */
export function kubeAge(iso: string | undefined, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(s / 3600);
  const d = Math.floor(h / 24);
  const y = Math.floor(d / 365);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 365 * 2) return `${d}d`;
  if (d < 365 * 8) return d % 365 ? `${y}y${d % 365}d` : `${y}y`;
  return `${y}y`;
}

/** What kubectl shows in STATUS: Terminating while deleting, else the phase. */
export const kubeStatus = (p: KubePod): string => (p.deleting ? 'Terminating' : p.phase);

/** Pods sorted like kubectl: by namespace, then name. */
export const sortPods = (pods: readonly KubePod[]): KubePod[] => [...pods].sort((a, b) => cmp(podKey(a), podKey(b)));

/** Pods like `kubectl get pods [-A] [-o wide] [--show-labels]`: NAMESPACE (with -A), NAME, READY, STATUS, RESTARTS, AGE (wide: IP, NODE; LABELS). */
export function kubePodsTable(pods: readonly KubePod[], opts: { wide: boolean; allNamespaces: boolean; showLabels?: boolean; now?: number }): string {
  const headers = [
    ...(opts.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(opts.wide ? ['IP', 'NODE'] : []), ...(opts.showLabels ? ['LABELS'] : []),
  ];
  const rows = sortPods(pods).map((p) => [
    ...(opts.allNamespaces ? [p.namespace] : []), p.name, `${p.readyContainers}/${p.containers.length}`, kubeStatus(p), String(p.restarts), kubeAge(p.createdAt, opts.now),
    ...(opts.wide ? [p.podIPs[0] ?? '<none>', p.node || '<none>'] : []), ...(opts.showLabels ? [formatLabels(p.labels)] : []),
  ]);
  return table(headers, rows);
}

/** Node roles from the usual `node-role.kubernetes.io/ROLE` labels, when the API object carried labels. */
function roles(n: KubeNode): string {
  const labels = (n as KubeNode & { labels?: Record<string, string> }).labels ?? {};
  const found = Object.keys(labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean);
  return found.length ? found.sort().join(',') : '<none>';
}

/** Nodes like `kubectl get nodes [-o wide]`: NAME, STATUS, ROLES, AGE (wide: INTERNAL-IP, POD-CIDR, ACCESS: how PodNet reaches it). */
export function kubeNodesTable(nodes: readonly KubeNode[], opts: { wide: boolean; access: string; now?: number }): string {
  const headers = ['NAME', 'STATUS', 'ROLES', 'AGE', ...(opts.wide ? ['INTERNAL-IP', 'POD-CIDR', 'ACCESS'] : [])];
  const rows = [...nodes].sort((a, b) => cmp(a.name, b.name)).map((n) => [
    n.name, n.ready ? 'Ready' : 'NotReady', roles(n), kubeAge((n as KubeNode & { createdAt?: string }).createdAt, opts.now),
    ...(opts.wide ? [n.internalIP || '<none>', n.podCIDRs.join(',') || '<none>', opts.access] : []),
  ]);
  return table(headers, rows);
}

/** Prints the cluster's Pods or Nodes in `format`; json is a plain array of the typed objects. */
export function printClusterItems(kube: KubeProvider, kind: 'pods' | 'nodes', format: 'text' | 'wide' | 'json', allNamespaces: boolean, showLabels = false): void {
  const wide = format === 'wide';
  if (kind === 'pods') {
    const pods = sortPods(kube.pods());
    if (format === 'json') return void console.log(JSON.stringify(pods, null, 2));
    if (pods.length === 0) return void console.error(allNamespaces ? 'No resources found' : `No resources found in ${kube.source.namespace ?? 'default'} namespace.`);
    return void console.log(kubePodsTable(pods, { wide, allNamespaces, showLabels }));
  }
  const nodes = [...kube.nodes()].sort((a, b) => cmp(a.name, b.name));
  if (format === 'json') return void console.log(JSON.stringify(nodes, null, 2));
  console.log(kubeNodesTable(nodes, { wide, access: kube.source.access }));
}
