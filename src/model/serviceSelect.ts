/** Which Pods a Service selects: the one rule the lab process, the views and the cluster side all apply. */
import type { ServiceSelector } from './topology';

/** The names of the Pods `selector` picks, in the order of `pods`: every selector label must match, or the name is listed. */
export function selectPods(selector: ServiceSelector, pods: readonly { name: string; labels?: Record<string, string> }[]): string[] {
  if (selector.pods) {
    const wanted = new Set(selector.pods);
    return pods.filter((p) => wanted.has(p.name)).map((p) => p.name);
  }
  const want = Object.entries(selector.labels ?? {});
  // An empty label selector selects nothing here: a Service without a selector has no managed endpoints in Kubernetes.
  if (want.length === 0) return [];
  return pods.filter((p) => want.every(([k, v]) => p.labels !== undefined && Object.hasOwn(p.labels, k) && p.labels[k] === v)).map((p) => p.name);
}
