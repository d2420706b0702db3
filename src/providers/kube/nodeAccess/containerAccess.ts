/** Node access for clusters whose nodes are Docker or Podman containers on this machine (kind): `docker exec` into them. */
import type { ExecResult } from '../../embedded/control/protocol';
import { DEFAULT_TIMEOUT_MS, run, ToolMissingError } from '../../../util/exec';
import type { KubeExecOptions, KubeNode, KubePod, NodeAccess } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
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
  /** Sentence shown to the user; default names the runtime. */
  description?: string;
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

/** Runs commands in kind node containers with `<runtime> exec -i`, and in Pods by nsenter into their namespace from the node. */
export class ContainerNodeAccess implements NodeAccess {
  readonly method = 'container';
  readonly description: string;
  private readonly runtime: NodeContainerRuntime;
  private readonly env: NodeJS.ProcessEnv;
  /** Pod (namespace/name/uid) -> its network namespace path on the node. */
  private readonly netns = new Map<string, string>();

  constructor(opts: ContainerAccessOptions) {
    this.runtime = opts.runtime;
    this.env = opts.env ?? process.env;
    this.description = opts.description ?? `${opts.runtime} exec into the node containers (kind)`;
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
    const result = await this.exec(container, ['nsenter', `--net=${path}`, '--', ...argv], opts);
    if (cached && result.code !== 0 && NSENTER_FAILED.test(result.stderr)) {
      // The cached namespace is gone (the sandbox was re-created): look it up once more.
      this.forgetPod(pod);
      const fresh = await this.lookUp(pod, container);
      return this.exec(container, ['nsenter', `--net=${fresh}`, '--', ...argv], opts);
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

  /** `<runtime> exec -i <container> argv...`; failures of the runtime itself (not of argv) become one-sentence errors. */
  private async exec(container: string, argv: string[], opts: KubeExecOptions): Promise<ExecResult> {
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
