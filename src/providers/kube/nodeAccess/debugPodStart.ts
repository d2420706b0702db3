/** Creates one debug Pod per node and waits until each runs; on any failure removes every debug Pod it touched. */
import { mapLimit, sleep } from '../../../util/concurrency';
import type { KubeApiOps, KubeNode, KubePod } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { deleteDebugPods } from './cleanup';
import { DEBUG_POD_LABELS, DEBUG_POD_SELECTOR, type DebugPodSettings, debugPodManifest } from './debugPodManifest';

/** How debug Pods are started. */
export interface DebugPodStartOptions extends DebugPodSettings {
  /** How long all Pods together may take to be Running (image pulls included); default 180 s. */
  timeoutMs?: number;
  /** Told about each step (replacing a leftover, created, running). */
  onProgress?: (message: string) => void;
}

/** Default for {@link DebugPodStartOptions.timeoutMs}. */
export const DEBUG_POD_START_TIMEOUT_MS = 180_000;
const CREATE_PARALLELISM = 8;
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2_000;

/** Shared by the per-node starters: the deadline, and whether another node already failed (then the rest stop waiting). */
interface StartRun {
  api: KubeApiOps;
  opts: DebugPodStartOptions;
  deadline: number;
  failed: boolean;
}

/**
 * Creates a debug Pod on every node (the caller has shown the manifests first) and resolves with node name -> Pod name
 * once all are Running; rejects with one sentence after deleting every debug Pod it created.
 */
export async function startDebugPods(
  api: KubeApiOps,
  nodes: readonly KubeNode[],
  opts: DebugPodStartOptions,
): Promise<Map<string, string>> {
  const run: StartRun = { api, opts, deadline: Date.now() + (opts.timeoutMs ?? DEBUG_POD_START_TIMEOUT_MS), failed: false };
  const touched: { namespace: string; name: string }[] = [];
  try {
    const names = await mapLimit(nodes, CREATE_PARALLELISM, async (node) => {
      try {
        return await createOne(run, node, touched);
      } catch (e) {
        run.failed = true;
        throw e;
      }
    });
    const pods = new Map(nodes.map((n, i) => [n.name, names[i]]));
    await waitAllRunning(run, pods);
    return pods;
  } catch (e) {
    throw await rollBack(api, touched, e);
  }
}

/** Replaces a leftover of the same name if there is one, then creates the node's debug Pod; resolves with its name. */
async function createOne(run: StartRun, node: KubeNode, touched: { namespace: string; name: string }[]): Promise<string> {
  const { api, opts } = run;
  const manifest = debugPodManifest(node, opts);
  const name = (manifest.metadata as { name: string }).name;
  const id = `${opts.namespace}/${name}`;
  await replaceLeftover(run, id, name);
  if (run.failed) throw stopped();
  touched.push({ namespace: opts.namespace, name });
  try {
    await api.createPod(manifest);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new KubeAccessError(`Creating debug Pod ${id} on node ${node.name} failed: ${why}`, codeOf(e), { cause: e });
  }
  opts.onProgress?.(`created debug Pod ${id} on node ${node.name} (image ${opts.image})`);
  return name;
}

/** A debug Pod of the same name from an earlier session is deleted and waited for; a Pod PodNet did not create stops us. */
async function replaceLeftover(run: StartRun, id: string, name: string): Promise<void> {
  const { api, opts } = run;
  const existing = await api.readPod(opts.namespace, name);
  if (!existing) return;
  if (!isOurs(existing)) {
    throw new KubeAccessError(
      `A Pod ${id} that PodNet did not create already exists; remove it or choose another namespace for the debug Pods.`,
      'FAILED',
    );
  }
  opts.onProgress?.(`removing leftover debug Pod ${id} from an earlier session`);
  await api.deletePod(opts.namespace, name);
  for (let delay = FIRST_POLL_MS; await api.readPod(opts.namespace, name); delay = Math.min(delay * 1.5, MAX_POLL_MS)) {
    if (Date.now() >= run.deadline || run.failed) {
      throw new KubeAccessError(
        `The leftover debug Pod ${id} is still being deleted; wait for it to go (kubectl -n ${opts.namespace} get pod ${name}) and try again.`,
        'FAILED',
      );
    }
    await sleep(Math.min(delay, Math.max(0, run.deadline - Date.now())));
  }
}

/**
 * Polls with a bounded backoff (one label-selected list per round, however many nodes) until every Pod runs; rejects as
 * soon as one has ended or vanished, or when the deadline passes with one still Pending.
 */
async function waitAllRunning(run: StartRun, pods: Map<string, string>): Promise<void> {
  const { api, opts } = run;
  const waiting = new Map(pods);
  for (let delay = FIRST_POLL_MS; ; delay = Math.min(delay * 1.5, MAX_POLL_MS)) {
    const listed = new Map((await api.listPodsByLabel(DEBUG_POD_SELECTOR, opts.namespace)).map((p) => [p.name, p]));
    for (const [node, name] of waiting) {
      const pod = listed.get(name);
      if (pod?.phase === 'Running' && !pod.deleting) {
        waiting.delete(node);
        opts.onProgress?.(`debug Pod ${opts.namespace}/${name} is running on node ${node}`);
      } else {
        checkStillStarting(opts, node, name, pod);
      }
    }
    if (waiting.size === 0) return;
    if (Date.now() >= run.deadline) {
      const [node, name] = [...waiting][0];
      const s = Math.round((opts.timeoutMs ?? DEBUG_POD_START_TIMEOUT_MS) / 1000);
      throw new KubeAccessError(
        `Debug Pod ${opts.namespace}/${name} on node ${node} was still Pending after ${s} s: check that node ${node} can pull image ${opts.image} (${describeCmd(opts, name)}) or choose another image.`,
        'FAILED',
      );
    }
    await sleep(Math.min(delay, Math.max(0, run.deadline - Date.now())));
  }
}

/** Throws when a Pod that is not Running yet never will be: it is gone, Terminating, Failed or Succeeded. */
function checkStillStarting(opts: DebugPodStartOptions, node: string, name: string, pod: KubePod | undefined): void {
  const id = `${opts.namespace}/${name}`;
  if (!pod) throw new KubeAccessError(`Debug Pod ${id} on node ${node} was deleted while starting; try again.`, 'FAILED');
  if (pod.phase === 'Pending' && !pod.deleting) return;
  throw new KubeAccessError(
    `Debug Pod ${id} on node ${node} ended (${pod.deleting ? 'Terminating' : pod.phase}) before it ran: check that image ${opts.image} has sleep and nsenter and that privileged Pods are allowed in namespace ${opts.namespace} (${describeCmd(opts, name)}).`,
    'FAILED',
  );
}

function describeCmd(opts: DebugPodStartOptions, name: string): string {
  return `kubectl -n ${opts.namespace} describe pod ${name}`;
}

/** Deletes everything created so far and returns the error to throw: the original, or one that also says cleanup failed. */
async function rollBack(api: KubeApiOps, touched: { namespace: string; name: string }[], original: unknown): Promise<unknown> {
  try {
    await deleteDebugPods(api, touched);
    return original;
  } catch (cleanupError) {
    const first = original instanceof Error ? original.message : String(original);
    return new KubeAccessError(
      `${first} Removing the debug Pods created so far also failed: ${(cleanupError as Error).message}`,
      codeOf(original),
      { cause: new AggregateError([original, cleanupError], 'starting and removing debug Pods failed') },
    );
  }
}

function isOurs(pod: KubePod): boolean {
  return Object.entries(DEBUG_POD_LABELS).every(([k, v]) => pod.labels[k] === v);
}

/** Another node's Pod failed first; this one is not created (its error is not the one reported). */
function stopped(): KubeAccessError {
  return new KubeAccessError('Starting debug Pods stopped because another node failed.', 'FAILED');
}

function codeOf(e: unknown): KubeAccessError['code'] {
  return e instanceof KubeAccessError ? e.code : 'FAILED';
}
