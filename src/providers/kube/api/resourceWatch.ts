/** List then watch one resource (Nodes, or Pods) from its resourceVersion: bookmarks, reconnect with backoff, and a diffing relist on 410 Gone. */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { KubeAccessError } from '../kubeAccessError';
import type { KubeList } from './kubeApi';

/** What one resource watch needs to know about its resource. */
export interface ResourceSpec<T extends { resourceVersion: string }> {
  /** Watch path, e.g. /api/v1/pods or /api/v1/namespaces/NS/pods. */
  path: string;
  list(): Promise<KubeList<T>>;
  /** Reads a watch event's object; undefined when it cannot be keyed (no name). */
  convert(raw: unknown): T | undefined;
  key(item: T): string;
  /** Turns a failure into the sentence the user sees. */
  describe(e: unknown): KubeAccessError;
}

/** Where a resource watch reports. */
export interface ResourceHooks<T> {
  change(change: 'added' | 'updated' | 'deleted', item: T): void;
  /** A relist finished (its differences were reported first). */
  resync(): void;
  /** The watch broke and is being retried. */
  trouble(e: KubeAccessError): void;
}

/** Reconnect delays: start, cap. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Compares two resourceVersions when both are numbers (etcd revisions); undefined when either is opaque. */
export function compareRV(a: string, b: string): number | undefined {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Keeps a map of one resource in step with the API server, without polling. */
export class ResourceWatch<T extends { resourceVersion: string }> {
  readonly items = new Map<string, T>();
  /** The resourceVersion a reconnect resumes from. */
  rv = '';
  private stopped = false;
  private gone = false;
  private generation = 0;
  private delayMs: number;
  private controller?: AbortController;
  /** This side closed the current connection (after an ERROR event), so its abort is no failure. */
  private selfAborted = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: KubeConfig,
    private readonly spec: ResourceSpec<T>,
    private readonly hooks: ResourceHooks<T>,
    private readonly backoff: Backoff = { initialMs: 200, maxMs: 10_000 },
  ) {
    this.delayMs = backoff.initialMs;
  }

  /** The first list; throws a KubeAccessError when it fails. */
  async list(): Promise<void> {
    const list = await this.spec.list();
    for (const item of list.items) this.items.set(this.spec.key(item), item);
    this.rv = list.resourceVersion;
  }

  /** Starts watching from the listed resourceVersion. */
  watch(): void {
    void this.connect();
  }

  /** Closes the watch and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const gen = ++this.generation;
    const opened = Date.now();
    let sawEvent = false;
    const params = { resourceVersion: this.rv || undefined, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) };
    this.selfAborted = false;
    let controller: AbortController;
    try {
      controller = await new Watch(this.config).watch(
        this.spec.path,
        params,
        (type: string, obj: unknown) => {
          if (gen !== this.generation || this.stopped) return;
          if (type !== 'ERROR') sawEvent = true;
          this.onEvent(type, obj);
        },
        (err: unknown) => {
          if (gen !== this.generation || this.stopped) return;
          this.onDone(this.selfAborted ? null : err, sawEvent || Date.now() - opened > 1000);
        },
      );
    } catch (e) {
      // Building the request failed (e.g. the credential plugin): same as a failed connection.
      if (gen === this.generation && !this.stopped) this.onDone(e, false);
      return;
    }
    if (gen === this.generation && !this.stopped) this.controller = controller;
    else controller.abort(); // stopped (or superseded) while connecting
  }

  private onEvent(type: string, raw: unknown): void {
    const metaRV = (raw as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    const rv = typeof metaRV === 'string' ? metaRV : '';
    if (type === 'BOOKMARK') {
      if (rv && compareRV(rv, this.rv) !== -1) this.rv = rv;
      return;
    }
    if (type === 'ERROR') {
      if ((raw as { code?: unknown } | null)?.code === 410) this.gone = true;
      else this.hooks.trouble(this.spec.describe(Object.assign(new Error(String((raw as { message?: unknown })?.message ?? 'watch error')), raw)));
      this.selfAborted = true;
      this.controller?.abort();
      return;
    }
    const item = this.spec.convert(raw);
    if (!item) return;
    const order = compareRV(item.resourceVersion, this.rv);
    if (order !== undefined && order <= 0) return; // already seen (a replay after reconnect): no duplicates
    const key = this.spec.key(item);
    const prev = this.items.get(key);
    if (item.resourceVersion) this.rv = item.resourceVersion;
    if (type === 'DELETED') {
      if (!prev) return;
      this.items.delete(key);
      this.hooks.change('deleted', item);
    } else if (type === 'ADDED' || type === 'MODIFIED') {
      if (prev && prev.resourceVersion === item.resourceVersion) return;
      this.items.set(key, item);
      this.hooks.change(prev ? 'updated' : 'added', item);
    }
  }

  /** A connection ended; `healthy` when it delivered events or stayed open a while (then the backoff starts afresh). */
  private onDone(err: unknown, healthy: boolean): void {
    if (healthy) this.delayMs = this.backoff.initialMs;
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    if (status === 410) this.gone = true;
    if (err && !this.gone) this.hooks.trouble(this.spec.describe(err));
    if (this.gone) return this.schedule(() => this.relist(), 0);
    if (!err && healthy) return this.schedule(() => this.connect(), 0); // a normal end (timeoutSeconds): resume at once
    this.schedule(() => this.connect(), this.nextDelay());
  }

  private nextDelay(): number {
    const d = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxMs);
    return d;
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void fn(), ms);
  }

  /** Lists again after 410 Gone and reports the differences (added, updated, deleted) and then one resync. */
  private async relist(): Promise<void> {
    if (this.stopped) return;
    let list: KubeList<T>;
    try {
      list = await this.spec.list();
    } catch (e) {
      this.hooks.trouble(this.spec.describe(e));
      return this.schedule(() => this.relist(), this.nextDelay());
    }
    if (this.stopped) return;
    this.gone = false;
    const fresh = new Map(list.items.map((i) => [this.spec.key(i), i] as const));
    for (const [key, item] of fresh) {
      const prev = this.items.get(key);
      this.items.set(key, item);
      if (!prev) this.hooks.change('added', item);
      else if (prev.resourceVersion !== item.resourceVersion) this.hooks.change('updated', item);
    }
    for (const [key, prev] of [...this.items]) {
      if (fresh.has(key)) continue;
      this.items.delete(key);
      this.hooks.change('deleted', prev);
    }
    this.rv = list.resourceVersion;
    this.hooks.resync();
    void this.connect();
  }
}
