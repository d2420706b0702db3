/**
 * Picks how PodNet reaches the nodes: node containers (kind on this machine), opt-in debug Pods, or API only, and says why.
 * The decision is the pure {@link decideAccess}; {@link inspectAccess} gathers its facts; {@link chooseNodeAccess} acts on it.
 */
import { run, ToolMissingError } from '../../../util/exec';
import type { KubeApiOps, KubeNode, NodeAccess } from '../clusterTypes';
import { ContainerNodeAccess, type NodeContainerRuntime, parseKindProviderID } from './containerAccess';
import { DebugPodAccess } from './debugPodAccess';
import { type DebugPodSettings, debugPodManifest, manifestYaml } from './debugPodManifest';
import { NoNodeAccess } from './noAccess';

/** A container CLI kind can run its nodes with. */
export type ContainerRuntime = NodeContainerRuntime;

/** What one `<runtime> inspect` of the node containers found on this machine. */
export interface RuntimeProbe {
  runtime: ContainerRuntime;
  /** False when the CLI is not installed (spawning it gave ENOENT). */
  installed: boolean;
  /** Node containers that exist and run. */
  running: string[];
  /** Node containers that exist but are stopped. */
  stopped: string[];
  /** The CLI failed for another reason (e.g. no daemon): its stderr, one line. */
  error?: string;
}

/** Everything {@link decideAccess} needs: the nodes, the probe of their runtime (if they name one), and the user's opt-in. */
export interface AccessFacts {
  nodes: Pick<KubeNode, 'name' | 'providerID'>[];
  probe?: RuntimeProbe;
  debugPods: boolean;
}

/** What to use, with the sentence shown to the user. */
export type AccessDecision =
  | { method: 'container'; runtime: ContainerRuntime; containers: string[]; description: string }
  | { method: 'debugPod'; why: string; description: string }
  | { method: 'none'; description: string };

/** The nodes' kind runtime and container names when every node is a kind container of one runtime; else why not. */
export function kindContainersOf(
  nodes: readonly Pick<KubeNode, 'name' | 'providerID'>[],
): { runtime: ContainerRuntime; containers: string[] } | { why: string } {
  if (nodes.length === 0) return { why: 'the API lists no nodes' };
  const parsed = nodes.map((n) => ({ node: n, kind: parseKindProviderID(n.providerID) }));
  const foreign = parsed.find((p) => !p.kind);
  if (foreign) {
    const id = foreign.node.providerID;
    return {
      why: `the nodes are not containers this machine runs (${id ? `providerID ${id}` : `node ${foreign.node.name} has no providerID`})`,
    };
  }
  const runtimes = [...new Set(parsed.map((p) => p.kind!.runtime))];
  if (runtimes.length > 1) return { why: `the nodes are kind containers of different runtimes (${runtimes.join(', ')})` };
  return { runtime: runtimes[0], containers: parsed.map((p) => p.kind!.node) };
}

/** Container access when every node is a running kind container here; else debug Pods if opted in; else API only. */
export function decideAccess(facts: AccessFacts): AccessDecision {
  const kind = kindContainersOf(facts.nodes);
  const why = 'why' in kind ? kind.why : whyProbeFails(kind.containers, facts.probe, kind.runtime);
  if (!why && !('why' in kind)) {
    return {
      method: 'container',
      runtime: kind.runtime,
      containers: kind.containers,
      description: `${kind.runtime} exec into the node containers (kind): ${kind.containers.join(', ')}`,
    };
  }
  if (facts.debugPods) return { method: 'debugPod', why, description: `debug Pods: ${why}` };
  return { method: 'none', description: `API only: ${why}; use --debug-pods for node details` };
}

function whyProbeFails(containers: string[], probe: RuntimeProbe | undefined, runtime: ContainerRuntime): string {
  if (!probe || probe.runtime !== runtime) return `the nodes are kind containers but ${runtime} was not asked about them`;
  if (!probe.installed) return `the nodes are kind containers but ${runtime} is not installed here`;
  const missing = containers.filter((c) => !probe.running.includes(c) && !probe.stopped.includes(c));
  if (probe.error && missing.length === containers.length) return `${runtime} inspect failed here (${probe.error})`;
  if (missing.length > 0) {
    return `the node containers ${missing.join(', ')} do not exist in this machine's ${runtime} (the cluster runs elsewhere)`;
  }
  const stopped = containers.filter((c) => probe.stopped.includes(c));
  if (stopped.length > 0) return `the node containers ${stopped.join(', ')} are stopped (start them with ${runtime} start)`;
  return '';
}

const PROBE_TIMEOUT_MS = 15_000;
const NO_SUCH = /no such (object|container)/i;

/** One `<runtime> inspect` of all node containers: which exist, which run, or that the CLI is missing or failing. */
export async function probeRuntime(
  runtime: ContainerRuntime,
  containers: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<RuntimeProbe> {
  const argv = [runtime, 'inspect', '--type', 'container', '--format', '{{.Name}} {{.State.Running}}', ...containers];
  let r;
  try {
    r = await run(argv, { env, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof ToolMissingError) return { runtime, installed: false, running: [], stopped: [] };
    throw e;
  }
  const running: string[] = [];
  const stopped: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = line.trim().match(/^\/?(\S+) (true|false)$/);
    if (m && containers.includes(m[1])) (m[2] === 'true' ? running : stopped).push(m[1]);
  }
  const otherErrors = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NO_SUCH.test(l));
  const error = r.timedOut ? `timed out after ${PROBE_TIMEOUT_MS / 1000} s` : otherErrors[0];
  return { runtime, installed: true, running, stopped, ...(error ? { error } : {}) };
}

/** Options of {@link chooseNodeAccess}. */
export interface ChooseAccessOptions {
  api: KubeApiOps;
  /** Opt-in debug Pods, or false/undefined for none. */
  debugPods?: (DebugPodSettings & { timeoutMs?: number }) | false;
  env?: NodeJS.ProcessEnv;
  /** Told each step (probing, creating debug Pods). */
  onProgress?: (message: string) => void;
  /**
   * Shown the exact debug Pod manifests (YAML) before any is created; resolving false declines (API only then).
   * Without it the caller must have shown {@link manifestYaml} of {@link debugPodManifest} for every node already.
   */
  confirmDebugPods?: (yaml: string) => Promise<boolean>;
}

/** Gathers the facts (one runtime probe at most) and decides, without creating anything. */
export async function inspectAccess(
  nodes: readonly KubeNode[],
  opts: Pick<ChooseAccessOptions, 'debugPods' | 'env'>,
): Promise<AccessDecision> {
  const kind = kindContainersOf(nodes);
  const probe = 'why' in kind ? undefined : await probeRuntime(kind.runtime, kind.containers, opts.env);
  return decideAccess({ nodes: [...nodes], probe, debugPods: Boolean(opts.debugPods) });
}

/** Decides, then builds that access: node containers, debug Pods (created and running), or API only with the reason. */
export async function chooseNodeAccess(nodes: KubeNode[], opts: ChooseAccessOptions): Promise<NodeAccess> {
  opts.onProgress?.('checking how to reach the nodes');
  const decision = await inspectAccess(nodes, opts);
  if (decision.method === 'container') {
    const access = new ContainerNodeAccess({ runtime: decision.runtime, env: opts.env, description: decision.description });
    await access.prepare(decision.containers); // so the description says whether they are entered directly
    return access;
  }
  if (decision.method === 'debugPod' && opts.debugPods) {
    const settings = opts.debugPods;
    if (opts.confirmDebugPods) {
      const yaml = manifestYaml(nodes.map((n) => debugPodManifest(n, settings)));
      if (!(await opts.confirmDebugPods(yaml))) {
        return new NoNodeAccess(`API only: ${decision.why}; debug Pods were declined`);
      }
    }
    opts.onProgress?.(`creating ${nodes.length} debug Pod${nodes.length === 1 ? '' : 's'} in namespace ${settings.namespace}`);
    return DebugPodAccess.start(opts.api, nodes, { ...settings, onProgress: opts.onProgress, why: decision.why });
  }
  return new NoNodeAccess(decision.description);
}
