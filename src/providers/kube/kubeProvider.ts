/** A real Kubernetes cluster as a {@link LabProvider}: Nodes and Pods from the API, namespaces entered through the chosen node access. */
import { LabError } from '../embedded/control/labError';
import type { ClusterSource, ExecResult, ExecTarget, LabStatus, PodInfo, PodRequest, ServiceInfo } from '../embedded/control/protocol';
import type { LabProvider } from '../provider';
import type { ClusterChange, KubeApiOps, KubeNode, KubePod, NodeAccess } from './clusterTypes';
import { KubeAccessError } from './kubeAccessError';
import type { ClusterWatch, KubeConnectOptions, KubeParts, KubeTargetInfo } from './kubeParts';
import { defaultKubeParts } from './defaultParts';
import { NodeWiringCache } from './nodeWiring';
import { isManaged, isUp, MANAGED_SELECTOR, managedPodManifest, nodeWords, waitUntil } from './managedPods';
import { WORKLOAD_NAMESPACE } from '../kind/workloads';
import { nodeAliases, podKey, toLabStatus } from './toLabStatus';

/** The options of {@link KubeProvider.connect}, re-exported for callers that only import the provider. */
export type { KubeConnectOptions } from './kubeParts';

/**
 * A connected cluster; read-only except for PodNet's own Pods (label app.kubernetes.io/managed-by=podnet-lab: lab Pods it may create and delete, opt-in
 * debug Pods removed on close).
 */
export class KubeProvider implements LabProvider {
  readonly kind = 'kube';
  private readonly wiring: NodeWiringCache;
  private readonly startedAt = new Date().toISOString();
  private closed = false;

  private constructor(
    readonly source: ClusterSource,
    readonly api: KubeApiOps,
    private readonly watch: ClusterWatch,
    readonly access: NodeAccess,
  ) {
    this.wiring = new NodeWiringCache(access);
    watch.onChange((c) => {
      if (c.kind === 'pod' && c.change !== 'updated') access.forgetPod(c.pod);
      if (c.kind === 'node' && c.change !== 'updated') this.wiring.forget(c.node.name);
    });
  }

  /** Loads the kubeconfig target, lists and watches Nodes and Pods, and picks how to reach the nodes. */
  static async connect(opts: KubeConnectOptions = {}, parts: KubeParts = defaultKubeParts()): Promise<KubeProvider> {
    const say = opts.onProgress ?? (() => undefined);
    const target: KubeTargetInfo = parts.loadTarget({ kubeconfig: opts.kubeconfig, context: opts.context, env: opts.env });
    const namespace = opts.namespace === 'all' ? undefined : (opts.namespace ?? target.namespace);
    say(`reading Nodes and Pods from ${target.server} (context ${target.context})`);
    const watch = parts.watcher(target, { namespace });
    await watch.start();
    try {
      const api = parts.api(target);
      say('choosing how to reach the nodes');
      const access = await parts.chooseAccess(
        watch.nodes(), { api, debugPods: opts.debugPods ?? false, env: opts.env, onProgress: say, confirmDebugPods: opts.confirmDebugPods },
      );
      const source: ClusterSource = {
        context: target.context, cluster: target.cluster, server: target.server, access: access.method,
        accessDescription: access.description, ...(namespace !== undefined ? { namespace } : {}),
      };
      return new KubeProvider(source, api, watch, access);
    } catch (e) {
      watch.stop();
      throw e;
    }
  }

  /** The Nodes as the watcher last saw them. */
  nodes(): KubeNode[] {
    return this.watch.nodes();
  }

  /** The Pods (of the chosen namespace, or all) as the watcher last saw them. */
  pods(): KubePod[] {
    return this.watch.pods();
  }

  /** Services (of the chosen namespace, or all) with their EndpointSlice endpoints; undefined when the cluster does not let them be read. */
  services(): ServiceInfo[] | undefined {
    return this.watch.services?.();
  }

  /** The cluster as a LabStatus; `services` is present when Services could be read (serviceCIDR stays unknown: the API does not say it). */
  async status(): Promise<LabStatus> {
    const nodes = this.watch.nodes();
    const services = this.services();
    return { ...toLabStatus(this.source, nodes, this.watch.pods(), await this.wiring.all(nodes), this.startedAt), ...(services ? { services } : {}) };
  }

  /** Calls `listener` when a Service or its endpoints change (an EndpointSlice change is the Service being updated). */
  onServiceChange(listener: (change: 'added' | 'updated' | 'deleted', service: ServiceInfo) => void): void {
    this.watch.onServiceChange?.(listener);
  }

  /** Calls `listener` with every change the watcher sees (Pods and Nodes added, updated, deleted; resyncs). */
  onChange(listener: (c: ClusterChange) => void): void {
    this.watch.onChange(listener);
  }

  /** Calls `listener` when the watch loses the cluster (unreachable, forbidden, credentials expired). */
  onTrouble(listener: (e: KubeAccessError) => void): void {
    this.watch.onTrouble(listener);
  }

  /**
   * The Pod named `NAMESPACE/NAME`, or a bare `NAME` in the chosen namespace (with -A: the one Pod of that name in any
   * namespace), or a NOT_FOUND LabError that lists what exists.
   */
  findPod(name: string): KubePod {
    const pods = this.watch.pods();
    const ns = this.source.namespace;
    const bare = name.includes('/') ? [] : pods.filter((p) => p.name === name);
    const key = name.includes('/') ? name : ns !== undefined ? `${ns}/${name}` : bare.length === 1 ? podKey(bare[0]) : name;
    if (ns === undefined && bare.length > 1) throw new LabError(`"${name}" names Pods in several namespaces (${bare.map(podKey).join(', ')}): write NAMESPACE/${name}`, 'BAD_REQUEST', 'pod');
    const pod = pods.find((p) => podKey(p) === key);
    if (!pod) {
      const known = pods.slice(0, 8).map(podKey).join(', ') || 'none';
      throw new LabError(`no Pod ${key} in context ${this.source.context} (Pods: ${known}${pods.length > 8 ? ', ...' : ''}): check the name and the namespace (-n NS or NS/NAME)`, 'NOT_FOUND', 'pod');
    }
    return pod;
  }

  /** The Node called `name`, or the one whose topology-node label (alias, e.g. `node1` on a PodNet kind cluster) is `name`, or a NOT_FOUND LabError. */
  findNode(name: string): KubeNode {
    const nodes = this.watch.nodes();
    const node = nodes.find((n) => n.name === name) ?? nodes.find((n) => nodeAliases(n).includes(name));
    if (!node) throw new LabError(`no node ${name} in context ${this.source.context} (nodes: ${this.watch.nodes().map((n) => n.name).join(', ') || 'none'})`, 'NOT_FOUND', 'node');
    return node;
  }

  private podTarget(name: string): { pod: KubePod; node: KubeNode } {
    const pod = this.findPod(name);
    if (pod.deleting) throw new LabError(`pod ${podKey(pod)} is Terminating`, 'CONFLICT', 'pod');
    if (!pod.node) throw new LabError(`pod ${podKey(pod)} is not scheduled on a node yet`, 'CONFLICT', 'pod');
    return { pod, node: this.findNode(pod.node) };
  }

  async exec(target: ExecTarget, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    if (this.closed) throw new LabError(`the connection to context ${this.source.context} is closed`, 'FAILED');
    switch (target.kind) {
      case 'pod': {
        const { pod, node } = this.podTarget(target.pod);
        // Every container of a Pod shares its network namespace, so the container choice does not change what runs.
        if (pod.hostNetwork) return this.access.execNode(node, argv, opts);
        return this.access.execPod(pod, node, argv, opts);
      }
      case 'node':
        return this.access.execNode(this.findNode(target.node), argv, opts);
      case 'wire':
        throw new LabError('a cluster has no wire namespace: its nodes talk over a network PodNet does not run (use a node or a Pod)', 'BAD_REQUEST', 'target');
      case 'dockerHost':
      case 'dockerContainer':
        throw new LabError('a cluster has no Docker-style host: that is part of the embedded lab only (podnet lab up --with-docker-host)', 'BAD_REQUEST', 'target');
      case 'client':
      case 'router':
        throw new LabError(`a cluster has no lab ${target.kind} namespace: that is part of the embedded lab only (a topology with a ${target.kind === 'client' ? '`client:`' : '`network.subnets`'} section)`, 'BAD_REQUEST', 'target');
    }
  }

  /**
   * Creates a PodNet Pod (label app.kubernetes.io/managed-by=podnet-lab, agnhost like `podnet kind create`) on the node
   * `req.node` (its name or topology alias) in namespace default, and resolves once it is Running with an IP.
   */
  async addPod(req: PodRequest, opts: { timeoutMs?: number } = {}): Promise<PodInfo> {
    const node = this.findNode(req.node);
    const key = `${WORKLOAD_NAMESPACE}/${req.name}`;
    if (this.watch.pods().some((p) => podKey(p) === key)) throw new LabError(`pod ${key} already exists in context ${this.source.context}: delete it first (podnet pod delete ${req.name})`, 'CONFLICT', 'name');
    await this.api.createPod(managedPodManifest(req, node, this.watch.pods()));
    const timeoutMs = opts.timeoutMs ?? 120_000;
    await waitUntil(() => this.watch.pods().find((p) => podKey(p) === key && isUp(p)), timeoutMs,
      () => `pod ${key} did not become Running on ${nodeWords(node)} within ${timeoutMs / 1000} s: look at \`kubectl describe pod ${req.name} --context ${this.source.context}\``);
    const info = (await this.status()).pods.find((p) => p.name === key);
    if (!info) throw new LabError(`pod ${key} was created but is gone again`, 'FAILED');
    return info;
  }

  /** Deletes a Pod PodNet made (waiting until it is gone, so its name can be used again); any other Pod is refused: clusters are read-only. */
  async deletePod(name: string, opts: { timeoutMs?: number } = {}): Promise<{ name: string; ip: string }> {
    const pod = this.findPod(name);
    if (!isManaged(pod) || pod.namespace !== WORKLOAD_NAMESPACE) throw this.readOnly(`delete Pods it did not create as lab Pods (${podKey(pod)} is not in namespace ${WORKLOAD_NAMESPACE} with the label ${MANAGED_SELECTOR})`);
    const ip = pod.podIPs[0] ?? '';
    await this.api.deletePod(pod.namespace, pod.name);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    await waitUntil(() => (this.watch.pods().some((p) => p.uid === pod.uid) ? undefined : true), timeoutMs,
      () => `pod ${podKey(pod)} was asked to go but is still there after ${timeoutMs / 1000} s`);
    this.access.forgetPod(pod);
    return { name: podKey(pod), ip };
  }

  private readOnly(what: string): LabError {
    return new LabError(`PodNet does not ${what} on a cluster (context ${this.source.context}): clusters are read-only to PodNet except for the Pods it made itself; use kubectl for that`, 'BAD_REQUEST');
  }

  /** Stops watching and closes the node access (which deletes any debug Pod it created). */
  async closeAndWait(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    await this.access.close();
  }

  close(): void {
    // LabProvider.close is synchronous; report a failed cleanup rather than lose it.
    this.closeAndWait().catch((e: unknown) => console.error(`podnet: cleaning up on ${this.source.context} failed: ${e instanceof Error ? e.message : String(e)} (run: podnet cluster cleanup --context ${this.source.context})`));
  }
}

