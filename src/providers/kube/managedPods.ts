/**
 * The only Pods PodNet changes on a cluster: its own (label app.kubernetes.io/managed-by=podnet-lab), created from the
 * same agnhost manifest as `podnet kind create` makes, pinned to a node by its topology alias, and deleted again.
 * Everything else stays read-only.
 */
import { LabError } from '../embedded/control/labError';
import type { PodRequest } from '../embedded/control/protocol';
import { DEFAULT_WORKLOAD_IMAGE, MANAGED_BY, podManifest, TOPOLOGY_LABEL, WORKLOAD_NAMESPACE } from '../kind/workloads';
import type { KubeNode, KubePod } from './clusterTypes';
import { nodeAliases } from './toLabStatus';

const MANAGED_KEY = Object.keys(MANAGED_BY)[0] as keyof typeof MANAGED_BY;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** True for a Pod PodNet made (and so may delete). */
export function isManaged(p: Pick<KubePod, 'labels'>): boolean {
  return p.labels[MANAGED_KEY] === MANAGED_BY[MANAGED_KEY];
}

/** What a new managed Pod copies from the Pods PodNet already made there: their image and topology. */
function siblingsOf(pods: readonly KubePod[]): { image: string; topology: string } {
  const sibling = pods.find((p) => isManaged(p) && p.namespace === WORKLOAD_NAMESPACE && p.containers.length > 0);
  return { image: sibling?.containers[0].image || DEFAULT_WORKLOAD_IMAGE, topology: sibling?.labels[TOPOLOGY_LABEL] ?? 'podnet' };
}

/**
 * The manifest of a PodNet Pod for `req` on `node`: agnhost netexec per web/sidecar container, pinned by the node's topology
 * label when it has one (a PodNet kind cluster), else by nodeName. Throws a BAD_REQUEST LabError for a bad name.
 */
export function managedPodManifest(req: PodRequest, node: KubeNode, pods: readonly KubePod[]): Record<string, unknown> {
  if (!DNS_LABEL.test(req.name) || req.name.length > 63) throw new LabError(`pod name "${req.name}" is not valid: use lowercase letters, digits and "-"`, 'BAD_REQUEST', 'name');
  const { image, topology } = siblingsOf(pods);
  const containers = (req.containers?.length ? req.containers : [{ name: 'web', workload: 'web' as const }]).map((c) => ({ name: c.name, workload: c.workload ?? 'web', ...(c.port !== undefined ? { port: c.port } : {}) }));
  const alias = nodeAliases(node)[0];
  const spec = { name: req.name, node: alias ?? node.name, containers, ...(req.labels ? { labels: req.labels } : {}) };
  const manifest = podManifest(spec, { name: topology }, image) as { spec: Record<string, unknown> };
  if (!alias) {
    delete manifest.spec.nodeSelector;
    manifest.spec.nodeName = node.name;
  }
  return manifest;
}

/** True when a Pod is Running with an IP and all its containers ready. */
export function isUp(p: KubePod): boolean {
  return p.phase === 'Running' && !p.deleting && p.podIPs.length > 0 && p.readyContainers === p.containers.length;
}

/** Polls `probe` every 200 ms until it returns a value, or rejects with `what` after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new LabError(what(), 'FAILED');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The label of a node as the learner knows it: `node1 (pn-worker)` on a PodNet kind cluster. */
export function nodeWords(n: KubeNode): string {
  const alias = nodeAliases(n)[0];
  return alias ? `${alias} (${n.name})` : n.name;
}

/** The selector of every Pod PodNet made. */
export const MANAGED_SELECTOR = `${MANAGED_KEY}=${MANAGED_BY[MANAGED_KEY]}`;
