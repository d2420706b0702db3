/** Finds and removes debug Pods PodNet left behind (a crash, a killed terminal), by their labels, in every namespace. */
import type { KubeApiOps, KubePod } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { DEBUG_POD_SELECTOR } from './debugPodManifest';

/** Every debug Pod PodNet created that still exists, in all namespaces (Terminating ones included). */
export async function findLeftovers(api: KubeApiOps): Promise<KubePod[]> {
  return api.listPodsByLabel(DEBUG_POD_SELECTOR);
}

/** Deletes the given Pods; resolves with `namespace/name` of each, or rejects naming those that could not be removed. */
export async function deleteDebugPods(
  api: KubeApiOps,
  pods: readonly Pick<KubePod, 'namespace' | 'name'>[],
): Promise<{ removed: string[] }> {
  const outcomes = await Promise.allSettled(pods.map((p) => api.deletePod(p.namespace, p.name)));
  const removed: string[] = [];
  const failed: string[] = [];
  const causes: unknown[] = [];
  outcomes.forEach((o, i) => {
    const id = `${pods[i].namespace}/${pods[i].name}`;
    if (o.status === 'fulfilled') {
      removed.push(id);
    } else {
      failed.push(id);
      causes.push(o.reason);
    }
  });
  if (failed.length > 0) {
    // api.deletePod already counts "not found" as deleted, so every rejection here is a real failure.
    const first = causes[0] instanceof Error ? ` (${causes[0].message.replace(/\.$/, '')})` : '';
    throw new KubeAccessError(
      `Could not remove PodNet's debug Pod${failed.length > 1 ? 's' : ''} ${failed.join(', ')}${first}; ` +
        `delete ${failed.length > 1 ? 'them' : 'it'} with kubectl or run \`podnet cluster cleanup\` again.`,
      'FAILED',
      { cause: causes.length === 1 ? causes[0] : new AggregateError(causes, 'deleting debug Pods failed') },
    );
  }
  return { removed };
}

/** Removes every leftover debug Pod (found by label in all namespaces); what `podnet cluster cleanup` runs. */
export async function cleanupDebugPods(api: KubeApiOps): Promise<{ removed: string[] }> {
  return deleteDebugPods(api, await findLeftovers(api));
}
