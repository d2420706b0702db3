/** Live Nodes, Pods and Services of a cluster: one list, then watches (no polling); changes, resyncs and trouble reach listeners. */
import type { ClusterChange, KubeNode, KubePod } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { toKubeNode, toKubePod } from './convert';
import { describeApiError } from './errors';
import { KubeApi, targetFacts } from './kubeApi';
import type { KubeTarget } from './kubeconfig';
import { ResourceWatch, type Backoff } from './resourceWatch';
import { ServiceWatcher, type ServiceChangeListener } from './serviceWatcher';
import type { ServiceInfo } from '../../embedded/control/protocol';

/** Options of a {@link ClusterWatcher}. */
export interface ClusterWatcherOptions {
  /** Watch Pods and Services of this namespace only; undefined = all namespaces. */
  namespace?: string;
  /** Reconnect delays (default 200 ms doubling to 10 s). */
  backoff?: Backoff;
  /** Time one list request may take (default 30 s). */
  requestTimeoutMs?: number;
  /** An API client to share (default: a new one for the target). */
  api?: KubeApi;
}

const podKey = (p: Pick<KubePod, 'namespace' | 'name'>): string => `${p.namespace}/${p.name}`;

/** A Node known only by name, from a Pod's nodeName, when the user may not list Nodes. */
function derivedNode(name: string): KubeNode {
  return { name, internalIP: '', podCIDRs: [], ready: false, providerID: '', resourceVersion: '' };
}

/** Keeps Nodes and Pods in step with the API server. */
export class ClusterWatcher {
  private readonly api: KubeApi;
  private readonly podWatch: ResourceWatch<KubePod>;
  private readonly nodeWatch: ResourceWatch<KubeNode>;
  private readonly serviceWatcher: ServiceWatcher;
  private readonly changeListeners = new Set<(c: ClusterChange) => void>();
  private readonly troubleListeners = new Set<(e: KubeAccessError) => void>();
  private readonly derived = new Map<string, KubeNode>();
  private readonly warningList: KubeAccessError[] = [];
  private nodesDerived = false;
  private started = false;
  private sortedPods?: KubePod[];

  constructor(readonly target: KubeTarget, opts: ClusterWatcherOptions = {}) {
    this.api = opts.api ?? new KubeApi(target, { requestTimeoutMs: opts.requestTimeoutMs });
    const ns = opts.namespace;
    const where = targetFacts(target);
    this.podWatch = new ResourceWatch<KubePod>(
      target.config,
      {
        path: ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods',
        list: () => this.api.listPodsWithVersion(ns),
        convert: (raw) => named(toKubePod(raw)),
        key: podKey,
        describe: (e) => describeApiError(e, { verb: 'watch', resource: 'pods', namespace: ns, ...where }),
      },
      {
        change: (change, pod) => this.podChanged(change, pod),
        resync: () => this.emit({ kind: 'resync' }),
        trouble: (e) => this.trouble(e),
      },
      opts.backoff,
    );
    this.nodeWatch = new ResourceWatch<KubeNode>(
      target.config,
      {
        path: '/api/v1/nodes',
        list: () => this.api.listNodesWithVersion(),
        convert: (raw) => named(toKubeNode(raw)),
        key: (n) => n.name,
        describe: (e) => describeApiError(e, { verb: 'watch', resource: 'nodes', ...where }),
      },
      {
        change: (change, node) => this.emit({ kind: 'node', change, node }),
        resync: () => this.emit({ kind: 'resync' }),
        trouble: (e) => this.trouble(e),
      },
      opts.backoff,
    );
    this.serviceWatcher = new ServiceWatcher(target.config, this.api, where, { trouble: (e) => this.trouble(e), resync: () => this.emit({ kind: 'resync' }) }, ns, opts.backoff);
  }

  /**
   * Lists Nodes, Pods and Services, then watches them; rejects with a KubeAccessError when the Pods cannot be listed. Nodes that may not be listed
   * are derived from Pods, and Services that may not be read are left out (each with a warning).
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('ClusterWatcher.start() was called twice; create a new watcher instead');
    this.started = true;
    const [nodes, pods, services] = await Promise.allSettled([this.nodeWatch.list(), this.podWatch.list(), this.serviceWatcher.start()]);
    if (pods.status === 'rejected' || services.status === 'rejected') {
      this.serviceWatcher.stop();
      throw pods.status === 'rejected' ? pods.reason : (services as PromiseRejectedResult).reason;
    }
    if (nodes.status === 'rejected') {
      const e = nodes.reason as unknown;
      if (!(e instanceof KubeAccessError) || e.code !== 'FORBIDDEN') throw e;
      this.nodesDerived = true;
      const warning = new KubeAccessError(`${e.message.replace(/;.*$/, '')}; PodNet shows only the names of nodes that run Pods (no node addresses, Pod CIDRs or readiness)`, 'FORBIDDEN', { cause: e });
      this.warningList.push(warning);
      for (const p of this.podWatch.items.values()) this.deriveNode(p, false);
      this.trouble(warning);
    } else {
      this.nodeWatch.watch();
    }
    this.podWatch.watch();
  }

  /** Nodes by name (name-only nodes derived from Pods when listing Nodes is forbidden). */
  nodes(): KubeNode[] {
    const all = this.nodesDerived ? [...this.derived.values()] : [...this.nodeWatch.items.values()];
    return all.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Pods sorted by namespace, then name. */
  pods(): KubePod[] {
    this.sortedPods ??= [...this.podWatch.items.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return [...this.sortedPods];
  }

  /** Services with their EndpointSlice endpoints (sorted by namespace, then name); undefined when they may not be read. */
  services(): ServiceInfo[] | undefined {
    return this.serviceWatcher.services();
  }

  /** Services, ports, slices or endpoints that were skipped as unreadable, one sentence each. */
  serviceProblems(): string[] {
    return this.serviceWatcher.problems();
  }

  /** Calls `l` when a Service or its endpoints change; returns the unsubscribe function. */
  onServiceChange(l: ServiceChangeListener): () => void {
    return this.serviceWatcher.onChange(l);
  }

  /** The resourceVersions the watches would resume from (for diagnostics and snapshots). */
  resourceVersions(): { nodes: string; pods: string } {
    return { nodes: this.nodeWatch.rv, pods: this.podWatch.rv };
  }

  /** Why the view is incomplete (e.g. Nodes may not be listed), as sentences. */
  warnings(): KubeAccessError[] {
    return [...this.warningList, ...this.serviceWatcher.warnings()];
  }

  /** Calls `l` for every change; returns the unsubscribe function. */
  onChange(l: (c: ClusterChange) => void): () => void {
    this.changeListeners.add(l);
    return () => this.changeListeners.delete(l);
  }

  /** Calls `l` when a watch broke (PodNet reconnects) or a part of the cluster cannot be read; returns the unsubscribe function. */
  onTrouble(l: (e: KubeAccessError) => void): () => void {
    this.troubleListeners.add(l);
    return () => this.troubleListeners.delete(l);
  }

  /** Closes the watches; no more events after this. */
  stop(): void {
    this.podWatch.stop();
    this.nodeWatch.stop();
    this.serviceWatcher.stop();
    this.changeListeners.clear();
    this.troubleListeners.clear();
  }

  private podChanged(change: 'added' | 'updated' | 'deleted', pod: KubePod): void {
    this.sortedPods = undefined;
    if (this.nodesDerived) this.deriveNode(pod, true);
    this.emit({ kind: 'pod', change, pod });
  }

  private deriveNode(pod: KubePod, announce: boolean): void {
    if (!pod.node || this.derived.has(pod.node)) return;
    const node = derivedNode(pod.node);
    this.derived.set(node.name, node);
    if (announce) this.emit({ kind: 'node', change: 'added', node });
  }

  private emit(c: ClusterChange): void {
    if (c.kind === 'resync') this.sortedPods = undefined;
    for (const l of [...this.changeListeners]) l(c);
  }

  private trouble(e: KubeAccessError): void {
    for (const l of [...this.troubleListeners]) l(e);
  }
}

function named<T extends { name: string }>(item: T): T | undefined {
  return item.name ? item : undefined;
}
