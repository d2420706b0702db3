/**
 * Node access through opt-in debug Pods: one privileged hostNetwork + hostPID Pod per node, reached by the API's exec.
 *
 * Why the nsenter calls look the way they do. The debug Pod shares the node's PID namespace (hostPID), so PID 1 is the
 * node's init, but it has a mount namespace of its own (the debug image's files). Hence:
 * - a node command runs as `nsenter -t 1 -n -- argv`: the node's network namespace (the same one hostNetwork gives, made
 *   explicit), with the debug image's tools (ip, nft), which a node may lack;
 * - finding a Pod's namespace needs the node's files (crictl, the runtime's socket, /run/netns, which only exist in the
 *   node's mount namespace), so that lookup runs as `nsenter -t 1 -m -n -- argv`;
 * - the path found is a path in the node's mount namespace. It is resolved there (`readlink -f`: /var/run is usually an
 *   absolute symlink to /run, which would resolve against the debug image's root if followed through /proc/1/root),
 *   then opened through /proc/1/root, which walks the node's mount tree (where the nsfs bind mount lives), and the
 *   command runs as `nsenter --net=/proc/1/root<path> -- argv`, again with the debug image's tools. A /proc/<pid>/ns/net
 *   path needs no prefix: with hostPID, the node's PIDs are ours.
 * - a hostNetwork Pod's namespace is its node's.
 */
import type { ExecResult } from '../../embedded/control/protocol';
import type { KubeApiOps, KubeExecOptions, KubeNode, KubePod, NodeAccess } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { deleteDebugPods } from './cleanup';
import { DEBUG_CONTAINER, DEBUG_POD_LIFETIME_SECONDS } from './debugPodManifest';
import { type DebugPodStartOptions, startDebugPods } from './debugPodStart';
import { findPodNetns } from './podNetns';

const LOOKUP_TIMEOUT_MS = 15_000;
/** nsenter's own failure to enter a namespace (as opposed to the command's), e.g. after the Pod was re-created. */
const NSENTER_FAILED = /^nsenter: (cannot open|reassociate|setns|failed to)/m;

/** Reaches each node through its debug Pod; `close()` deletes the Pods. */
export class DebugPodAccess implements NodeAccess {
  readonly method = 'debugPod';
  readonly description: string;
  private readonly netns = new Map<string, string>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly api: KubeApiOps,
    private readonly namespace: string,
    /** Node name -> debug Pod name. */
    private readonly pods: Map<string, string>,
    image: string,
    why: string,
  ) {
    this.description =
      `${why ? `${why}; ` : ''}privileged debug Pods podnet-debug-<node> (${image}) in namespace ${namespace} ` +
      `enter each node with nsenter; they are removed on disconnect`;
  }

  /** Creates one debug Pod per node (after the caller showed the manifests) and resolves once all run; see startDebugPods. */
  static async start(
    api: KubeApiOps,
    nodes: KubeNode[],
    opts: DebugPodStartOptions & { why?: string },
  ): Promise<DebugPodAccess> {
    const pods = await startDebugPods(api, nodes, opts);
    return new DebugPodAccess(api, opts.namespace, pods, opts.image, opts.why ?? '');
  }

  /** The debug Pods, as `namespace/name`, for showing what PodNet created. */
  created(): string[] {
    return [...this.pods.values()].map((name) => `${this.namespace}/${name}`);
  }

  /** Runs argv in the node's network namespace with the debug image's tools. */
  execNode(node: KubeNode, argv: string[], opts?: KubeExecOptions): Promise<ExecResult> {
    return this.inDebugPod(node, ['nsenter', '-t', '1', '-n', '--', ...argv], opts);
  }

  /** Runs argv in the Pod's network namespace (found from its node once, then cached) with the debug image's tools. */
  async execPod(pod: KubePod, node: KubeNode, argv: string[], opts?: KubeExecOptions): Promise<ExecResult> {
    if (pod.hostNetwork) return this.execNode(node, argv, opts);
    const cached = this.netns.get(podKey(pod));
    const path = cached ?? (await this.lookUpNetns(pod, node));
    const result = await this.inDebugPod(node, ['nsenter', `--net=${path}`, '--', ...argv], opts);
    if (cached && result.code !== 0 && NSENTER_FAILED.test(result.stderr)) {
      // The cached namespace is gone (the sandbox was re-created): look it up once more.
      this.forgetPod(pod);
      const fresh = await this.lookUpNetns(pod, node);
      return this.inDebugPod(node, ['nsenter', `--net=${fresh}`, '--', ...argv], opts);
    }
    return result;
  }

  /** Forgets the Pod's cached namespace path. */
  forgetPod(pod: Pick<KubePod, 'namespace' | 'name' | 'uid'>): void {
    this.netns.delete(podKey(pod));
  }

  /** Deletes the debug Pods (only "not found" counts as done); rejects naming any that could not be removed. */
  close(): Promise<void> {
    this.closing ??= deleteDebugPods(
      this.api,
      [...this.pods.values()].map((name) => ({ namespace: this.namespace, name })),
    ).then(() => undefined);
    return this.closing;
  }

  private async lookUpNetns(pod: KubePod, node: KubeNode): Promise<string> {
    const onNode = (argv: string[]): Promise<ExecResult> =>
      this.inDebugPod(node, ['nsenter', '-t', '1', '-m', '-n', '--', ...argv], { timeoutMs: LOOKUP_TIMEOUT_MS });
    const found = await findPodNetns(onNode, pod);
    const path = await visibleNetnsPath(found, onNode, `Pod ${pod.namespace}/${pod.name} on node ${node.name}`);
    this.netns.set(podKey(pod), path);
    return path;
  }

  private inDebugPod(node: KubeNode, argv: string[], opts?: KubeExecOptions): Promise<ExecResult> {
    if (this.closing) {
      return Promise.reject(new KubeAccessError('The debug Pods were removed; connect again to reach the nodes.', 'NO_NODE_ACCESS'));
    }
    const pod = this.pods.get(node.name);
    if (!pod) {
      return Promise.reject(
        new KubeAccessError(
          `Node ${node.name} has no debug Pod (it joined after PodNet connected); reconnect to create one for it.`,
          'NO_NODE_ACCESS',
        ),
      );
    }
    return this.api.exec(this.namespace, pod, DEBUG_CONTAINER, argv, opts).catch((e: unknown) => {
      throw new KubeAccessError(
        `Running ${argv[argv.indexOf('--') + 1] ?? argv[0]} through debug Pod ${this.namespace}/${pod} on node ${node.name} failed ` +
          `(it lives at most ${DEBUG_POD_LIFETIME_SECONDS / 60} min): ${e instanceof Error ? e.message : String(e)}`,
        e instanceof KubeAccessError ? e.code : 'FAILED',
        { cause: e },
      );
    });
  }
}

/** The netns path as the debug Pod can open it: /proc/<pid>/ns/net as is; anything else resolved on the node, under /proc/1/root. */
export async function visibleNetnsPath(
  found: string,
  onNode: (argv: string[]) => Promise<ExecResult>,
  what: string,
): Promise<string> {
  if (/^\/proc\/\d+\/ns\/net$/.test(found)) return found;
  const r = await onNode(['readlink', '-f', found]);
  const resolved = r.stdout.trim();
  if (r.code !== 0 || !isSafeAbsolutePath(resolved)) {
    throw new KubeAccessError(
      `Could not resolve the network namespace path ${JSON.stringify(found)} of ${what} on its node` +
        `${r.stderr.trim() ? ` (${r.stderr.trim()})` : ''}; the Pod may have just been re-created, try again.`,
      'FAILED',
    );
  }
  return `/proc/1/root${resolved}`;
}

function isSafeAbsolutePath(p: string): boolean {
  return /^\/[A-Za-z0-9._@:+/-]+$/.test(p) && !p.split('/').includes('..') && !p.includes('\n');
}

function podKey(pod: Pick<KubePod, 'namespace' | 'name' | 'uid'>): string {
  return `${pod.namespace}/${pod.name}/${pod.uid}`;
}
