/** The lab the extension shows: a live embedded lab (kept current by its events), a cluster (kept current by its watch) or a replayed snapshot file. */
import { watch as watchDir, type FSWatcher, mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { showError } from './errors';
import type { LabEvent, LabStatus, PodInfo, ServiceInfo } from '../providers/embedded/control/protocol';
import type { EmbeddedLab } from '../providers/embedded/embeddedLab';
import type { LabProvider } from '../providers/provider';
import type { ReplayLab } from '../providers/replay/replayLab';
import type { NamespaceSnapshot, Snapshot } from '../snapshot/types';
import { withService } from './tree/serviceText';
import { ClusterLink, type ClusterProvider, type ClusterViewChange } from './cluster/clusterLink';
import type { KubeAccessError } from '../providers/kube/kubeAccessError';

/**
 * What changed, so views refresh only the part that did. `moved: false` on a cluster Pod's update: it stays in the same
 * row (only its own row changes); a node change comes from a cluster only.
 */
export type LabChange =
  | { kind: 'all' }
  | { kind: 'pod'; change: 'added' | 'deleted' | 'updated'; pod: PodInfo; moved?: boolean }
  | { kind: 'node'; change: 'added' | 'deleted' | 'updated'; node: string }
  | { kind: 'service'; change: 'added' | 'deleted' | 'updated'; service: ServiceInfo };

/** The session's mode: nothing to show, a running lab, a connected cluster, or a snapshot file. */
export type SessionMode = 'none' | 'live' | 'cluster' | 'replay';

/** Holds the current lab and tells views when it changes. */
export class LabSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabChange>();
  /** Fires when the lab, or one Pod of it, changes. */
  readonly onDidChange = this.changed.event;
  private live?: EmbeddedLab;
  private cluster?: ClusterLink;
  private replay?: { lab: ReplayLab; file: string };
  private current?: LabStatus;
  private details = new Map<string, Promise<NamespaceSnapshot>>();
  private dirWatcher?: FSWatcher;
  private connecting?: Promise<void>;
  /** Set while this window starts the lab itself (it connects when the start finishes). */
  starting = false;

  private override?: string;

  constructor(private labName: () => string) {}

  /** The lab shown: a lab pack's own lab while one runs, else the one named in settings. */
  get lab(): string {
    return this.override ?? this.labName();
  }

  /** Shows another lab (a lab pack's), or the settings' lab again with undefined; reconnects. */
  async useLab(name: string | undefined): Promise<void> {
    if (name === this.override) return;
    this.override = name;
    await this.disconnectCluster(); // a lab pack needs its embedded lab
    this.disconnect();
    await this.connect();
  }

  /** What the session shows now. */
  get mode(): SessionMode {
    return this.replay ? 'replay' : this.cluster ? 'cluster' : this.live ? 'live' : 'none';
  }

  /** The status of the shown lab, if any. */
  get status(): LabStatus | undefined {
    return !this.replay && this.cluster ? this.cluster.status : this.current;
  }

  /** The provider behind the shown lab (replay, cluster or live). */
  get provider(): LabProvider | undefined {
    return this.replay?.lab ?? this.cluster?.provider ?? this.live;
  }

  /** The connected cluster, if any (its namespaces and namespace filter). */
  get clusterLink(): ClusterLink | undefined {
    return this.cluster;
  }

  /**
   * Shows a connected cluster instead of the embedded lab, following its watch events (no polling); a cluster shown
   * before is closed first. `onTrouble` hears the watch losing the cluster.
   */
  async connectCluster(provider: ClusterProvider, onTrouble?: (e: KubeAccessError) => void): Promise<void> {
    await this.disconnectCluster(false);
    const lab = this.live;
    this.live = undefined;
    lab?.close();
    this.dirWatcher?.close();
    this.dirWatcher = undefined;
    this.details.clear();
    this.cluster = await ClusterLink.open(provider, (c) => this.onClusterChange(c), onTrouble);
    this.changed.fire({ kind: 'all' }); // the link's first 'all' came before it was this session's cluster
  }

  /** Closes the cluster connection (deleting any debug Pod PodNet created) and goes back to the embedded lab. */
  async disconnectCluster(reconnect = true): Promise<void> {
    const link = this.cluster;
    if (!link) return;
    this.cluster = undefined;
    this.details.clear();
    try {
      await link.close();
    } finally {
      if (reconnect) {
        if (!this.replay) this.setStatus(undefined);
        void this.connect().catch((e: unknown) => showError('Could not connect to the PodNet lab', e)); // none running is not an error
      }
    }
  }

  private onClusterChange(c: ClusterViewChange): void {
    if (this.replay || !this.cluster) return;
    if (c.kind === 'all') {
      this.details.clear();
    } else if (c.kind === 'pod') {
      this.details.delete(`pod/${c.pod.name}`);
      this.details.delete(`node/${c.pod.node}`);
    } else if (c.kind === 'node') {
      this.details.delete(`node/${c.node}`);
    }
    this.changed.fire(c);
  }

  /** The snapshot file shown in replay mode. */
  get replayFile(): string | undefined {
    return this.replay?.file;
  }

  /** Connects to the running lab if there is one and follows its events; watches for one to appear otherwise. */
  connect(): Promise<void> {
    this.connecting ??= this.doConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    if (this.live || this.cluster) return;
    const [{ connectLab }, { EmbeddedLab: Embedded }] = [await import('../providers/embedded/launcher'), await import('../providers/embedded/embeddedLab')];
    // undefined: no lab runs (fine, wait for one); any other failure (a socket we may not open, say) is thrown to be shown.
    const client = await connectLab(this.lab);
    if (!client) {
      void this.watchForLab(); // it reports its own failures
      if (!this.replay && this.current) this.setStatus(undefined);
      return;
    }
    client.close();
    if (this.cluster) return; // a cluster was connected meanwhile: it is what is shown
    const lab = await Embedded.connect(this.lab);
    this.live = lab;
    lab.onClose(() => this.lost(lab));
    await lab.watch((e) => this.onLabEvent(e));
    if (!this.replay) this.setStatus(await lab.status());
  }

  private lost(lab: EmbeddedLab): void {
    if (this.live !== lab) return;
    this.live = undefined;
    this.details.clear();
    if (!this.replay && !this.cluster) this.setStatus(undefined);
    void this.watchForLab(); // it reports its own failures
  }

  /** Waits for the lab's socket to appear (a lab started from a terminal), without polling. */
  private async watchForLab(): Promise<void> {
    if (this.dirWatcher || this.cluster) return;
    const { labPaths } = await import('../providers/embedded/labPaths');
    const paths = labPaths(this.lab);
    try {
      mkdirSync(paths.runtimeDir, { recursive: true, mode: 0o700 });
      this.dirWatcher = watchDir(paths.runtimeDir, (_ev, file) => {
        if (file === `${this.lab}.sock` && !this.live && !this.cluster && !this.starting) void this.connect().catch((e: unknown) => showError('Could not connect to the PodNet lab', e));
      });
    } catch {
      // no runtime dir we may watch: the user refreshes by hand
    }
  }

  private onLabEvent(e: LabEvent): void {
    if (this.replay || this.cluster || !this.current) return;
    if (e.event === 'pod') {
      const pods = this.current.pods.filter((p) => p.name !== e.pod.name);
      if (e.change !== 'deleted') pods.push(e.pod);
      pods.sort((a, b) => a.name.localeCompare(b.name));
      this.current = { ...this.current, pods };
      this.details.delete(`pod/${e.pod.name}`);
      this.details.delete(`node/${e.pod.node}`);
      this.changed.fire({ kind: 'pod', change: e.change, pod: e.pod });
    } else if (e.event === 'service') {
      this.current = { ...this.current, services: withService(this.current.services, e.change, e.service) };
      this.changed.fire({ kind: 'service', change: e.change, service: e.service });
    } else if (e.event === 'state') {
      void this.refresh();
    }
  }

  private setStatus(st: LabStatus | undefined): void {
    this.current = st;
    this.details.clear();
    this.changed.fire({ kind: 'all' });
  }

  /** Re-reads the status (after a command changed the lab). */
  async refresh(): Promise<void> {
    if (this.replay) return this.setStatus(await this.replay.lab.status());
    if (this.cluster) return this.cluster.refresh();
    if (!this.live) return this.connect();
    this.setStatus(await this.live.status());
  }

  /** Shows a snapshot file instead of the live lab (read-only). */
  async openReplay(file: string): Promise<void> {
    const { ReplayLab: Replay } = await import('../providers/replay/replayLab');
    const lab = Replay.open(file);
    this.replay = { lab, file };
    this.setStatus(await lab.status());
  }

  /** Goes back from a snapshot file to the live lab. */
  async closeReplay(): Promise<void> {
    this.replay = undefined;
    this.setStatus(this.cluster || !this.live ? undefined : await this.live.status());
    if (this.cluster) this.changed.fire({ kind: 'all' });
  }

  /** One namespace's tables (links, addresses, routes, neighbours...), cached until it changes. */
  namespace(id: string): Promise<NamespaceSnapshot | undefined> {
    if (this.replay) return Promise.resolve(this.replay.lab.snapshot().namespaces.find((n) => n.id === id));
    const lab = this.cluster?.provider ?? this.live;
    const st = this.status;
    if (!lab || !st) return Promise.resolve(undefined);
    let p = this.details.get(id);
    if (!p) {
      p = (async () => {
        const [{ namespaceTargets }, { collectOneNamespace }] = [await import('../snapshot/clusterFacts'), await import('../snapshot/collect')];
        const target = namespaceTargets(st).find((t) => t.id === id);
        if (!target) throw new Error(`no namespace ${id} in this lab`);
        return collectOneNamespace(lab, target);
      })();
      this.details.set(id, p);
      p.catch(() => this.details.delete(id));
    }
    return p;
  }

  /** A full snapshot of the shown lab. */
  async snapshot(): Promise<Snapshot> {
    if (this.replay) return this.replay.lab.snapshot();
    if (this.cluster) {
      const { collectSnapshot } = await import('../snapshot/collect');
      return collectSnapshot(this.cluster.provider);
    }
    if (!this.live) throw new Error(`no lab named "${this.lab}" is running`);
    const { collectSnapshot } = await import('../snapshot/collect');
    return collectSnapshot(this.live);
  }

  /** Forgets the connection (after the lab was stopped by this window). */
  disconnect(): void {
    const lab = this.live;
    this.live = undefined;
    lab?.close();
    if (!this.replay && !this.cluster) this.setStatus(undefined);
    void this.watchForLab();
  }

  dispose(): void {
    // VS Code does not wait for dispose: the provider's close() removes debug Pods in the background and logs a failure.
    this.cluster?.provider.close();
    this.live?.close();
    this.dirWatcher?.close();
    this.changed.dispose();
  }
}
