/**
 * Node access for clusters whose nodes are Docker or Podman containers on this machine (kind): `docker exec` into them,
 * or, where this process may (same machine, root), nsenter straight into their namespaces (./directEntry.ts).
 */
import type { ExecResult } from '../../embedded/control/protocol';
import { DEFAULT_TIMEOUT_MS, run, ToolMissingError } from '../../../util/exec';
import type { KubeExecOptions, KubeNode, KubePod, NodeAccess } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { type ContainerEntry, type DirectEntry, directArgv, directEntryBlocker, entryFailed, findEntry, resolveInRoot, stillValid } from './directEntry';
import { findPodNetns } from './podNetns';

/** A container CLI that runs kind nodes. */
export type NodeContainerRuntime = 'docker' | 'podman';

/** What a kind providerID says: which runtime runs the node, in which cluster, under which container name. */
export interface KindProviderID {
  runtime: NodeContainerRuntime;
  cluster: string;
  node: string;
}

/** Options of {@link ContainerNodeAccess}. */
export interface ContainerAccessOptions {
  runtime: NodeContainerRuntime;
  /** Environment of the docker/podman CLI (DOCKER_HOST, CONTAINER_HOST...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Sentence shown to the user; default names the runtime. How the containers are entered is appended. */
  description?: string;
  /** Enter the containers directly with nsenter where possible (default true); false always uses `<runtime> exec`. */
  direct?: boolean;
}

/** Container (and cluster) names as Docker allows them; anything else in a providerID is not a kind node of ours. */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LOOKUP_TIMEOUT_MS = 15_000;
/** nsenter's own failure to enter a namespace (the path went stale: the Pod sandbox was re-created). */
const NSENTER_FAILED = /^nsenter: (cannot open|reassociate|setns|failed to)/m;

/** Parses `kind://docker/<cluster>/<node>` (or `kind://podman/...`); undefined for any other providerID. */
export function parseKindProviderID(id: string): KindProviderID | undefined {
  const m = /^kind:\/\/(docker|podman)\/([^/]+)\/([^/]+)$/.exec(id);
  if (!m || !CONTAINER_NAME.test(m[2]) || !CONTAINER_NAME.test(m[3])) return undefined;
  return { runtime: m[1] as NodeContainerRuntime, cluster: m[2], node: m[3] };
}

/**
 * Runs commands in kind node containers, entered directly with nsenter where this process may (./directEntry.ts), else
 * with `<runtime> exec -i`; and in Pods by entering their network namespace from the node.
 */
export class ContainerNodeAccess implements NodeAccess {
  readonly method = 'container';
  private readonly base: string;
  private readonly runtime: NodeContainerRuntime;
  private readonly env: NodeJS.ProcessEnv;
  /** Pod (namespace/name/uid) -> its network namespace path on the node. */
  private readonly netns = new Map<string, string>();
  /** Why no container can be entered directly here, or the privilege that allows it. */
  private readonly blocker: { why: string } | { privilege: string };
  /** Container -> how it is entered (a lookup under way, or its answer). */
  private readonly entries = new Map<string, Promise<ContainerEntry>>();
  /** Containers known to be reached by `<runtime> exec`, with why. */
  private readonly slow = new Map<string, string>();
  private readonly fast = new Set<string>();

  constructor(opts: ContainerAccessOptions) {
    this.runtime = opts.runtime;
    this.env = opts.env ?? process.env;
    this.base = opts.description ?? `${opts.runtime} exec into the node containers (kind)`;
    this.blocker = opts.direct === false ? { why: 'turned off' } : directEntryBlocker(opts.runtime, this.env);
  }

  /** The sentence shown to the user, with how the containers are entered as far as known. */
  get description(): string {
    if ('why' in this.blocker) return `${this.base} (not entered directly: ${this.blocker.why})`;
    const how = `entered directly with nsenter: same machine, ${this.blocker.privilege}`;
    if (this.slow.size === 0) return `${this.base} (${this.fast.size ? how : `${how}, where possible`})`;
    const slow = [...this.slow].map(([c, why]) => `${c}: ${why}`).join('; ');
    return `${this.base} (${this.fast.size ? `${how}, except by ${this.runtime} exec for ${slow}` : `${this.runtime} exec, not entered directly: ${slow}`})`;
  }

  /** Finds out, for each container at once, whether it can be entered directly, so {@link description} says so. */
  async prepare(containers: readonly string[]): Promise<void> {
    await Promise.all(containers.map((c) => this.entryOf(c)));
  }

  /** Runs argv in the node container (which shares the node's network namespace). */
  async execNode(node: KubeNode, argv: string[], opts: KubeExecOptions = {}): Promise<ExecResult> {
    return this.exec(this.containerOf(node), argv, opts);
  }

  /** Runs argv in the Pod's network namespace, entered from its node with nsenter; hostNetwork Pods run on the node. */
  async execPod(pod: KubePod, node: KubeNode, argv: string[], opts: KubeExecOptions = {}): Promise<ExecResult> {
    if (pod.hostNetwork) return this.execNode(node, argv, opts);
    const container = this.containerOf(node);
    const cached = this.netns.get(podKey(pod));
    const path = cached ?? (await this.lookUp(pod, container));
    const result = await this.exec(container, argv, opts, path);
    if (cached && result.code !== 0 && NSENTER_FAILED.test(result.stderr)) {
      // The cached namespace is gone (the sandbox was re-created): look it up once more.
      this.forgetPod(pod);
      const fresh = await this.lookUp(pod, container);
      return this.exec(container, argv, opts, fresh);
    }
    return result;
  }

  /** Forgets the Pod's cached namespace path. */
  forgetPod(pod: Pick<KubePod, 'namespace' | 'name' | 'uid'>): void {
    this.netns.delete(podKey(pod));
  }

  /** Nothing to remove: this access creates nothing in the cluster. */
  close(): Promise<void> {
    this.netns.clear();
    this.entries.clear();
    return Promise.resolve();
  }

  /** The node's container name: the last part of its kind providerID, else the node name (kind names them alike). */
  private containerOf(node: KubeNode): string {
    const name = parseKindProviderID(node.providerID)?.node ?? node.name;
    if (!CONTAINER_NAME.test(name)) {
      throw new KubeAccessError(`Node ${JSON.stringify(node.name)} is not a valid container name, so it cannot be a kind node container.`, 'NO_NODE_ACCESS');
    }
    return name;
  }

  private async lookUp(pod: KubePod, container: string): Promise<string> {
    const path = await findPodNetns((argv) => this.exec(container, argv, { timeoutMs: LOOKUP_TIMEOUT_MS }), pod);
    this.netns.set(podKey(pod), path);
    return path;
  }

  /** How the container is entered: asked once (again when the answer may change, e.g. it was stopped). */
  private entryOf(container: string): Promise<ContainerEntry> {
    if ('why' in this.blocker) return Promise.resolve({ why: this.blocker.why, lasting: true });
    let entry = this.entries.get(container);
    if (!entry) {
      entry = findEntry(this.runtime, container, this.env, (argv) => this.runtimeExec(container, argv, { timeoutMs: LOOKUP_TIMEOUT_MS })).then(
        (e) => this.remember(container, e),
        (e: unknown) => this.remember(container, { why: `looking it up failed: ${(e as Error).message}`, lasting: false }),
      );
      this.entries.set(container, entry);
    }
    return entry;
  }

  private remember(container: string, e: ContainerEntry): ContainerEntry {
    if ('pid' in e) {
      this.fast.add(container);
      this.slow.delete(container);
    } else {
      this.fast.delete(container);
      this.slow.set(container, e.why);
      if (!e.lasting) this.entries.delete(container); // e.g. not running yet: ask again next time
    }
    return e;
  }

  /**
   * Runs argv in the container (in its network namespace at `netns`, a path in the container, when given): directly
   * when it can be entered (looked up again once if its PID went stale), else by `<runtime> exec` and the node's nsenter.
   */
  private async exec(container: string, argv: string[], opts: KubeExecOptions, netns?: string): Promise<ExecResult> {
    let entry = await this.entryOf(container);
    if ('pid' in entry && !stillValid(entry)) {
      this.entries.delete(container); // the container restarted: its init has a new PID
      entry = await this.entryOf(container);
    }
    const inNode = netns ? ['nsenter', `--net=${netns}`, '--', ...argv] : argv;
    if (!('pid' in entry)) return this.runtimeExec(container, inNode, opts);
    const r = await this.directExec(entry, container, argv, inNode, opts, netns);
    if (!entryFailed(r, entry.pid)) return r;
    this.entries.delete(container); // it stopped between the check and nsenter: ask the runtime again
    const again = await this.entryOf(container);
    return 'pid' in again ? this.directExec(again, container, argv, inNode, opts, netns) : this.runtimeExec(container, inNode, opts);
  }

  /**
   * nsenter from this machine into the container's namespaces; a Pod's network namespace is opened through the
   * container's root in the same nsenter, or, where that path cannot be resolved here, by the node's own nsenter.
   */
  private async directExec(
    entry: DirectEntry, container: string, argv: string[], inNode: string[], opts: KubeExecOptions, netns?: string,
  ): Promise<ExecResult> {
    const netFile = netns ? resolveInRoot(`/proc/${entry.pid}/root`, netns) : undefined;
    const full = netFile ? directArgv(entry.nsenter, entry.pid, argv, netFile) : directArgv(entry.nsenter, entry.pid, inNode);
    try {
      const r = await run(full, { env: entry.env, input: opts.input, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return { code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
    } catch (e) {
      throw new KubeAccessError(`Could not run nsenter into node container ${container}: ${(e as Error).message}`, 'FAILED', { cause: e });
    }
  }

  /** `<runtime> exec -i <container> argv...`; failures of the runtime itself (not of argv) become one-sentence errors. */
  private async runtimeExec(container: string, argv: string[], opts: KubeExecOptions): Promise<ExecResult> {
    const full = [this.runtime, 'exec', '-i', container, ...argv];
    let r;
    try {
      r = await run(full, { env: this.env, input: opts.input, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    } catch (e) {
      if (e instanceof ToolMissingError) {
        throw new KubeAccessError(
          `${this.runtime} is not installed here, but the nodes are ${this.runtime} containers (kind): install ${this.runtime}, or connect with debug Pods.`,
          'TOOL_MISSING',
          { cause: e },
        );
      }
      throw new KubeAccessError(`Could not run ${this.runtime} exec in node container ${container}: ${(e as Error).message}`, 'FAILED', { cause: e });
    }
    if (r.code !== 0 && !r.timedOut) {
      const failure = runtimeFailure(this.runtime, container, r.stderr, this.env);
      if (failure) throw failure;
    }
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
  }
}

/** The runtime's own failure (no daemon, no such container, stopped container) as a KubeAccessError; undefined when argv failed. */
export function runtimeFailure(runtime: NodeContainerRuntime, container: string, stderr: string, env: NodeJS.ProcessEnv): KubeAccessError | undefined {
  const text = stderr.trim();
  const cause = new Error(text);
  if (/^(Cannot connect to the Docker daemon|error during connect|Error: unable to connect to Podman)/im.test(text)) {
    const host = runtime === 'docker' ? env.DOCKER_HOST : env.CONTAINER_HOST;
    const where = host ? `${runtime === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST'}=${host}` : 'its default socket';
    return new KubeAccessError(`Cannot reach the ${runtime} daemon (${where}): is it running?`, 'UNREACHABLE', { cause });
  }
  // Only the runtime's own "Error..." lines count: the command run in the node may print anything.
  if (/^(Error response from daemon: |Error: )(No such container|no container with name or ID)/im.test(text)) {
    return new KubeAccessError(
      `Node container ${container} does not exist in ${runtime} here: the kind cluster was deleted, or it runs on another machine.`,
      'NOT_FOUND',
      { cause },
    );
  }
  if (/^(Error response from daemon: |Error: ).*(is not running|container state improper|is paused)/im.test(text)) {
    return new KubeAccessError(`Node container ${container} is not running: start it with \`${runtime} start ${container}\`.`, 'NO_NODE_ACCESS', { cause });
  }
  return undefined;
}

function podKey(pod: Pick<KubePod, 'namespace' | 'name' | 'uid'>): string {
  return `${pod.namespace}/${pod.name}/${pod.uid}`;
}
