/**
 * Finds a Pod or node of a lab by the name a pack uses, on the embedded lab and on a cluster alike: on a cluster Pods
 * are `NAMESPACE/NAME` (a bare `pod-a` means `default/pod-a`, or the one Pod of that name) and a PodNet kind worker
 * also answers to its topology node (`node1`).
 */
import type { NodeInfo, PodInfo, ServiceInfo } from '../providers/embedded/control/protocol';

/** The namespace a bare Pod name means on a cluster when several namespaces have a Pod of that name. */
const HOME_NAMESPACE = 'default';

/** The Pod called `name`: exactly, else (bare name on a cluster) `default/NAME`, else the only `NS/NAME`; undefined when none or ambiguous. */
export function findPod<P extends Pick<PodInfo, 'name'>>(st: { pods: readonly P[] }, name: string): P | undefined {
  const exact = st.pods.find((p) => p.name === name);
  if (exact || name.includes('/')) return exact;
  const home = st.pods.find((p) => p.name === `${HOME_NAMESPACE}/${name}`);
  if (home) return home;
  const bare = st.pods.filter((p) => p.name.slice(p.name.indexOf('/') + 1) === name && p.name.includes('/'));
  return bare.length === 1 ? bare[0] : undefined;
}

/** The node called `name`, or the one with `name` among its aliases (its topology node on a kind cluster); undefined when none. */
export function findNode<N extends Pick<NodeInfo, 'name' | 'aliases'>>(st: { nodes: readonly N[] }, name: string): N | undefined {
  return st.nodes.find((n) => n.name === name) ?? st.nodes.find((n) => n.aliases?.includes(name));
}

/** The name a pack should see for a Pod: the bare name when the Pod is in `default` (a cluster), else its own. */
export function podLabel(p: Pick<PodInfo, 'name'>): string {
  return p.name.startsWith(`${HOME_NAMESPACE}/`) ? p.name.slice(HOME_NAMESPACE.length + 1) : p.name;
}

/** The name a pack uses for a node: its first alias (the topology node), else its own name. */
export function nodeLabel(n: Pick<NodeInfo, 'name' | 'aliases'>): string {
  return n.aliases?.[0] ?? n.name;
}

/** True when a web server's own name for its Pod (`pod-a`, `NS/pod-a`, agnhost's hostname `pod-a`) is `pod`'s. */
export function answeredBy(pod: Pick<PodInfo, 'name'>, said: string): boolean {
  return said === pod.name || said === podLabel(pod) || pod.name.endsWith(`/${said}`);
}

/** The Service called `name` (on a cluster `NS/NAME`, or a bare name in `default`, or the only one of that name); undefined when none or ambiguous. */
export function findService<S extends Pick<ServiceInfo, 'name' | 'namespace'>>(st: { services?: readonly S[] }, name: string): S | undefined {
  const all = st.services ?? [];
  const full = (s: S) => (s.namespace ? `${s.namespace}/${s.name}` : s.name);
  const exact = all.find((s) => full(s) === name);
  if (exact || name.includes('/')) return exact;
  const home = all.find((s) => s.name === name && (s.namespace === undefined || s.namespace === HOME_NAMESPACE));
  if (home) return home;
  const bare = all.filter((s) => s.name === name);
  return bare.length === 1 ? bare[0] : undefined;
}
