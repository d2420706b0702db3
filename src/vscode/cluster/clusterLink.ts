/** The shown cluster: its status kept current from the provider's watch events, one Pod or node at a time (no `vscode` here). */
import type { ClusterSource, LabStatus, PodInfo, ServiceInfo } from '../../providers/embedded/control/protocol';
import type { LabProvider } from '../../providers/provider';
import type { ClusterChange, KubeNode } from '../../providers/kube/clusterTypes';
import type { KubeAccessError } from '../../providers/kube/kubeAccessError';
import { withService } from '../tree/serviceText';
import { applyClusterChange, filterNamespace, namespacesOf, sortedStatus } from './clusterState';

/** What the session needs of a KubeProvider (its public surface; a structural type so this file loads no Kubernetes client). */
export interface ClusterProvider extends LabProvider {
  readonly source: ClusterSource;
  onChange(listener: (c: ClusterChange) => void): void;
  onTrouble(listener: (e: KubeAccessError) => void): void;
  nodes(): KubeNode[];
  closeAndWait(): Promise<void>;
  /** Calls `listener` when a Service or its endpoints change (providers that watch Services). */
  onServiceChange?(listener: (change: 'added' | 'updated' | 'deleted', service: ServiceInfo) => void): void;
}

/** One change the views refresh for: everything, one Pod (its row or its node), or one node. */
export type ClusterViewChange =
  | { kind: 'all' }
  | { kind: 'pod'; change: 'added' | 'updated' | 'deleted'; pod: PodInfo; moved: boolean }
  | { kind: 'node'; change: 'added' | 'updated' | 'deleted'; node: string }
  | { kind: 'service'; change: 'added' | 'updated' | 'deleted'; service: ServiceInfo };

/** Follows one connected cluster; `onView` hears each change that touches what is shown (the namespace filter applied). */
export class ClusterLink {
  private full?: LabStatus;
  private shown?: LabStatus;
  private namespace?: string;
  private pending: ClusterChange[] | undefined = [];
  private closed = false;
  private resyncing?: Promise<void>;

  private constructor(readonly provider: ClusterProvider, private readonly onView: (c: ClusterViewChange) => void) {}

  /**
   * Subscribes to the provider's events, then reads its status once; events that arrive while that read runs are
   * applied after it (upserts, so one seen twice does no harm). Never lists again, except once after a resync.
   */
  static async open(provider: ClusterProvider, onView: (c: ClusterViewChange) => void, onTrouble?: (e: KubeAccessError) => void): Promise<ClusterLink> {
    const link = new ClusterLink(provider, onView);
    provider.onChange((c) => link.onEvent(c));
    provider.onServiceChange?.((change, service) => link.onService(change, service));
    if (onTrouble) provider.onTrouble(onTrouble);
    await link.reload();
    return link;
  }

  /** The status shown: the cluster's, limited to the chosen namespace. */
  get status(): LabStatus | undefined {
    return this.shown;
  }

  /** The namespace shown, or undefined for all. */
  get namespaceFilter(): string | undefined {
    return this.namespace;
  }

  /** The namespaces that have Pods, with their Pod counts (from every Pod the provider watches). */
  namespaces(): { namespace: string; pods: number }[] {
    return this.full ? namespacesOf(this.full) : [];
  }

  /** Shows one namespace's Pods, or all with undefined. */
  setNamespace(namespace: string | undefined): void {
    this.namespace = namespace;
    this.reshow();
    this.onView({ kind: 'all' });
  }

  /** Re-reads the provider's status once (its watch cache, not a new list). */
  refresh(): Promise<void> {
    return this.reload();
  }

  private async reload(): Promise<void> {
    this.pending ??= [];
    let st: LabStatus;
    try {
      st = sortedStatus(await this.provider.status());
    } catch (e) {
      // Keep showing what we had, with the events that came meanwhile, and let the caller report the failure.
      const queued = this.pending;
      this.pending = undefined;
      for (const c of queued) this.apply(c, true);
      throw e;
    }
    if (this.closed) return;
    this.full = st;
    const queued = this.pending;
    this.pending = undefined;
    for (const c of queued) this.apply(c, false);
    this.reshow();
    this.onView({ kind: 'all' });
  }

  private reshow(): void {
    this.shown = this.full && filterNamespace(this.full, this.namespace);
  }

  private onEvent(c: ClusterChange): void {
    if (this.closed) return;
    if (this.pending) {
      if (c.kind !== 'resync') this.pending.push(c);
      return;
    }
    if (c.kind === 'resync') {
      // A failed re-read is not reported here: the watcher reports its trouble itself through onTrouble.
      this.resyncing ??= this.reload().catch(() => undefined).finally(() => (this.resyncing = undefined));
      return;
    }
    this.apply(c, true);
  }

  /** One Service changed: kept in the status (a reload in progress reads it anyway) and shown when its namespace is. */
  private onService(change: 'added' | 'updated' | 'deleted', service: ServiceInfo): void {
    if (this.closed || this.pending || !this.full) return;
    this.full = { ...this.full, services: withService(this.full.services, change, service) };
    this.reshow();
    if (this.namespace === undefined || service.namespace === this.namespace) this.onView({ kind: 'service', change, service });
  }

  private apply(c: ClusterChange, notify: boolean): void {
    if (!this.full || c.kind === 'resync') return;
    const nodes = (name: string) => this.provider.nodes().find((n) => n.name === name);
    const { status, applied } = applyClusterChange(this.full, c, nodes);
    this.full = status;
    if (!notify) return;
    if (applied.kind === 'node') {
      this.reshow();
      this.onView({ kind: 'node', change: applied.change, node: applied.node.name });
    } else if (applied.kind === 'pod') {
      const visible = this.namespace === undefined || applied.pod.namespace === this.namespace;
      this.reshow();
      if (!visible) return;
      const prev = applied.previous;
      const moved = !prev || prev.node !== applied.pod.node || prev.hostVeth !== applied.pod.hostVeth || prev.hostNetwork !== applied.pod.hostNetwork;
      this.onView({ kind: 'pod', change: applied.change, pod: applied.pod, moved });
    }
  }

  /** Stops following and closes the provider, which deletes any debug Pod it created. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.provider.closeAndWait();
  }
}
