/** Makes, waits for and removes the topology's Services on a kind cluster (PodNet's own: labelled managed-by podnet-lab and with their topology). */
import type { Topology } from '../../model/topology';
import { selectPods } from '../../model/serviceSelect';
import type { KubeApiOps } from '../kube/clusterTypes';
import type { KubeProvider } from '../kube/kubeProvider';
import { MANAGED_SELECTOR, waitUntil } from '../kube/managedPods';
import { serviceManifests } from './serviceWorkloads';
import { podManifest, TOPOLOGY_LABEL, WORKLOAD_NAMESPACE } from './workloads';

/** The Service calls this needs (KubeApi has them). */
export type ClusterServiceOps = Required<Pick<KubeApiOps, 'createService' | 'deleteService' | 'listServiceLabels'>>;

/** The API's Service calls, or an error saying the connection has none (a connection other than KubeApi). */
export function serviceOps(api: KubeApiOps): ClusterServiceOps {
  const { createService, deleteService, listServiceLabels } = api;
  if (!createService || !deleteService || !listServiceLabels) throw new Error('this cluster connection cannot create or delete Services');
  return { createService: createService.bind(api), deleteService: deleteService.bind(api), listServiceLabels: listServiceLabels.bind(api) };
}

/**
 * Makes PodNet's Services in `default` those of `topology`: deletes PodNet's Services of another topology or with a name
 * the topology does not have, then creates the topology's Services that are missing. Returns the names created.
 */
export async function ensureTopologyServices(api: ClusterServiceOps, topology: Pick<Topology, 'name' | 'services'>): Promise<string[]> {
  const wanted = new Set((topology.services ?? []).map((s) => s.name));
  const mine = await api.listServiceLabels(WORKLOAD_NAMESPACE, MANAGED_SELECTOR);
  const stale = mine.filter((s) => s.labels[TOPOLOGY_LABEL] !== topology.name || !wanted.has(s.name));
  for (const s of stale) await api.deleteService(WORKLOAD_NAMESPACE, s.name);
  const have = new Set(mine.filter((s) => !stale.includes(s)).map((s) => s.name));
  const created: string[] = [];
  for (const m of serviceManifests(topology)) {
    const name = (m.metadata as { name: string }).name;
    if (have.has(name)) continue;
    await api.createService(m);
    created.push(name);
  }
  return created;
}

/** Deletes PodNet's Services of `topology` (by its label, or by a name it has); a teardown: problems are returned, not thrown. */
export async function deleteTopologyServices(api: ClusterServiceOps, topology: Pick<Topology, 'name' | 'services'>): Promise<string[]> {
  const names = new Set((topology.services ?? []).map((s) => s.name));
  const problems: string[] = [];
  let mine: { name: string; labels: Record<string, string> }[];
  try {
    mine = await api.listServiceLabels(WORKLOAD_NAMESPACE, MANAGED_SELECTOR);
  } catch (e) {
    return [(e as Error).message];
  }
  const ours = mine.filter((s) => s.labels[TOPOLOGY_LABEL] === topology.name || names.has(s.name));
  await Promise.all(ours.map((s) => api.deleteService(WORKLOAD_NAMESPACE, s.name).catch((e: unknown) => problems.push((e as Error).message))));
  return problems;
}

/**
 * Waits until the cluster shows every topology Service with exactly the topology Pods it selects as ready endpoints (the
 * endpointslice controller has caught up). A cluster that does not let PodNet read Services is not waited for.
 */
export async function waitForServiceEndpoints(kube: Pick<KubeProvider, 'services'>, topology: Topology, timeoutMs: number): Promise<void> {
  // The Pods as the cluster labels them (podManifest's labels), so the expectation is what the cluster's selector sees.
  const pods = topology.pods.map((p) => ({ name: p.name, labels: (podManifest(p, topology).metadata as { labels: Record<string, string> }).labels }));
  const want = new Map((topology.services ?? []).map((s) => [`${WORKLOAD_NAMESPACE}/${s.name}`, selectPods(s.selector, pods).map((p) => `${WORKLOAD_NAMESPACE}/${p}`).sort()]));
  if (!want.size || kube.services() === undefined) return;
  const have = (key: string): string[] => (kube.services() ?? []).find((s) => `${s.namespace ?? WORKLOAD_NAMESPACE}/${s.name}` === key)?.endpoints
    .filter((e) => e.ready).map((e) => e.pod ?? e.ip).sort() ?? [];
  const behind = (): string[] => [...want].filter(([key, pods]) => have(key).join(',') !== pods.join(',')).map(([key]) => key);
  await waitUntil(() => (behind().length ? undefined : true), timeoutMs,
    () => `the Services' endpoints did not catch up within ${timeoutMs / 1000} s (${behind().map((k) => `${k}: ${have(k).join(', ') || 'none'} instead of ${want.get(k)?.join(', ') || 'none'}`).join('; ')})`);
}
