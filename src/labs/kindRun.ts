/**
 * Runs a lab pack on an existing kind cluster made by `podnet kind create` (context kind-NAME): the pack's Pods are made
 * there with its Services (PodNet's own, labelled), each action runs with `--context kind-NAME`, the checks go through the kube provider,
 * and the pack's Pods and Services are deleted afterwards (unless `keep`).
 */
import { deleteTopologyServices, ensureTopologyServices, serviceOps, waitForServiceEndpoints } from '../providers/kind/clusterServices';
import { kindContext } from '../providers/kind/createCluster';
import { TOPOLOGY_LABEL, WORKLOAD_NAMESPACE, workloadManifests } from '../providers/kind/workloads';
import type { KubeNode, KubePod } from '../providers/kube/clusterTypes';
import { KubeProvider } from '../providers/kube/kubeProvider';
import { isManaged, isUp, waitUntil } from '../providers/kube/managedPods';
import { nodeAliases } from '../providers/kube/toLabStatus';
import { join } from 'node:path';
import type { LabRunResult, RunOptions, StepContext } from './runner';
import { runStep, throwIfStopped } from './runner';
import { createRunState } from './state';
import { kindIncompatibility } from './kindCompat';
import type { LabPack } from './types';
import type { Topology } from '../model/topology';

/** The topology nodes that have no worker labelled for them (podnet.dev/topology-node); empty when every node has one. */
export function missingWorkers(topology: Topology, nodes: readonly KubeNode[]): string[] {
  return topology.nodes.map((n) => n.name).filter((name) => !nodes.some((k) => nodeAliases(k).includes(name)));
}

/** Deletes PodNet's Pods in `default` that are not the topology's (another topology, or a name it does not have), and waits until they are gone. */
async function clearOtherPods(kube: KubeProvider, topology: Topology): Promise<void> {
  const ours = new Set(topology.pods.map((p) => p.name));
  const others = kube.pods().filter((p) => p.namespace === WORKLOAD_NAMESPACE && isManaged(p)
    && (p.labels[TOPOLOGY_LABEL] !== topology.name || !ours.has(p.name)));
  await Promise.all(others.map((p) => kube.deletePod(`${p.namespace}/${p.name}`)));
}

/**
 * Makes the cluster's PodNet Pods those of `topology`: removes PodNet's Pods of another topology, creates the topology's
 * Pods that are missing (workloadManifests, the image of PodNet's Pods already there unless `image`), and waits until
 * every one is Running with an IP.
 */
export async function ensureTopologyPods(kube: KubeProvider, topology: Topology, image: string | undefined, timeoutMs: number): Promise<void> {
  const imageNow = image ?? kube.pods().find((p) => isManaged(p) && p.namespace === WORKLOAD_NAMESPACE)?.containers[0]?.image;
  await clearOtherPods(kube, topology);
  const have = new Set(kube.pods().filter((p) => p.namespace === WORKLOAD_NAMESPACE).map((p) => p.name));
  for (const m of workloadManifests(topology, imageNow)) {
    const name = (m.metadata as { name: string }).name;
    if (!have.has(name)) await kube.api.createPod(m);
  }
  const names = topology.pods.map((p) => p.name);
  const find = (n: string): KubePod | undefined => kube.pods().find((p) => p.namespace === WORKLOAD_NAMESPACE && p.name === n);
  await waitUntil(() => (names.every((n) => { const p = find(n); return p && isUp(p); }) ? true : undefined), timeoutMs,
    () => `the Pods of "${topology.name}" did not all become Running within ${timeoutMs / 1000} s (${names.map((n) => `${n}: ${find(n)?.phase ?? 'missing'}`).join(', ')})`);
}

/**
 * Deletes the pack's Pods and Services, and any other Pod PodNet made for the pack's topology during the run (a learner's web-2), as a
 * teardown: errors are collected, not thrown.
 */
async function deletePackPods(kube: KubeProvider, pack: LabPack): Promise<string | undefined> {
  const problems: string[] = [];
  const ours = new Set(pack.topology.pods.map((p) => p.name));
  const pods = kube.pods().filter((k) => k.namespace === WORKLOAD_NAMESPACE && isManaged(k)
    && (ours.has(k.name) || k.labels[TOPOLOGY_LABEL] === pack.topology.name));
  await Promise.all(pods.map((p) => kube.deletePod(`${WORKLOAD_NAMESPACE}/${p.name}`).catch((e: unknown) => problems.push((e as Error).message))));
  problems.push(...await deleteTopologyServices(serviceOps(kube.api), pack.topology));
  return problems.length ? problems.join('; ') : undefined;
}

/** Runs `pack` on the kind cluster `opts.kind`; like {@link runLabPack} it always reports, and removes what it made unless `keep`. */
export async function runLabPackOnKind(pack: LabPack, opts: RunOptions & { kind: string; kubeconfig?: string }): Promise<LabRunResult> {
  const started = Date.now();
  const context = kindContext(opts.kind);
  const emit = opts.onEvent ?? (() => undefined);
  const result: LabRunResult = {
    pack: { id: pack.id, title: pack.title, version: pack.version, dir: pack.dir }, lab: context, passed: false, steps: [], kept: !!opts.keep,
    durationMs: 0,
  };
  const done = () => ({ ...result, durationMs: Date.now() - started });
  const why = kindIncompatibility(pack);
  if (why) return { ...done(), error: `the lab pack "${pack.id}" cannot run on kind: ${why}; run it on the embedded lab (drop --kind)`, kept: false };
  let kube: KubeProvider;
  try {
    kube = await KubeProvider.connect({ context, namespace: WORKLOAD_NAMESPACE, ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}) });
  } catch (e) {
    return { ...done(), error: `the kind cluster "${opts.kind}" (context ${context}) could not be reached: ${(e as Error).message}; create it with \`podnet kind create --name ${opts.kind}\``, kept: false };
  }
  let made = false;
  try {
    const missing = missingWorkers(pack.topology, kube.nodes());
    if (missing.length) throw new Error(`the kind cluster "${opts.kind}" has no worker labelled for ${missing.join(', ')} (podnet.dev/topology-node): create one shaped like the pack's topology with \`podnet kind create --name NAME --topology FILE\``);
    made = true;
    await ensureTopologyPods(kube, pack.topology, opts.workloadImage, opts.actionTimeoutMs ?? 180_000);
    await ensureTopologyServices(serviceOps(kube.api), pack.topology);
    await waitForServiceEndpoints(kube, pack.topology, opts.actionTimeoutMs ?? 180_000);
    const status = await kube.status();
    emit({ kind: 'lab-up', lab: context, nodes: status.nodes.length, pods: status.pods.length, rootless: false, cluster: opts.kind });
    const cliEntry = opts.cliEntry ?? process.env.PODNET_ENTRY ?? join(__dirname, 'cli.js');
    const ctx: StepContext = {
      pack, lab: { context, ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}) }, provider: kube, state: createRunState(status), cliEntry, emit,
      timeoutMs: opts.actionTimeoutMs ?? 120_000,
      signal: opts.signal,
    };
    for (const [index, step] of pack.steps.entries()) {
      emit({ kind: 'step', index, total: pack.steps.length, step });
      throwIfStopped(opts.signal);
      result.steps.push(await runStep(step, ctx));
    }
    result.passed = result.steps.every((s) => s.passed);
  } catch (e) {
    result.error = `the run stopped: ${(e as Error).message}`;
    result.passed = false;
  } finally {
    const problem = made && !opts.keep ? await deletePackPods(kube, pack) : undefined;
    if (problem) {
      result.error = `${result.error ? `${result.error}; ` : ''}deleting the pack's Pods failed: ${problem} (delete them with kubectl --context ${context})`;
      result.passed = false;
    }
    await kube.closeAndWait();
    emit({ kind: 'teardown', lab: context, kept: !!opts.keep });
  }
  return done();
}
