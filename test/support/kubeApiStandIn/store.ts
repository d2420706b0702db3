/** The stand-in's object store: Nodes, Pods, Services and EndpointSlices, one global resourceVersion, and a bounded event history like etcd's. */
import { randomUUID } from 'node:crypto';
import { matchesSelector } from './selector';

/** A stored API object: plain JSON as the wire carries it. */
export interface StoredObject {
  kind?: string;
  apiVersion?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** The kinds the stand-in serves. */
export type StandInKind = 'Node' | 'Pod' | 'Service' | 'EndpointSlice';

/** The apiVersion of each kind, as the API server writes it into every object. */
export const API_VERSION: Record<StandInKind, string> = { Node: 'v1', Pod: 'v1', Service: 'v1', EndpointSlice: 'discovery.k8s.io/v1' };

/** One change, as a watch stream sends it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  kind: StandInKind;
  object: StoredObject;
}

/** Which objects a list or watch asks for. */
export interface StoreQuery {
  kind: StandInKind;
  namespace?: string;
  labelSelector?: string;
}

const keyOf = (kind: StandInKind, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

/** True when an object is one a query asks for. */
export function matches(q: StoreQuery, kind: StandInKind, obj: StoredObject): boolean {
  if (kind !== q.kind) return false;
  if (q.namespace !== undefined && obj.metadata.namespace !== q.namespace) return false;
  return matchesSelector(q.labelSelector, obj.metadata.labels ?? {});
}

/** Objects, resourceVersions and history; every change is pushed to subscribers (the open watches). */
export class ObjectStore {
  private rv = 1000;
  /** Events at or below this RV are forgotten: a watch from an older RV gets 410 Gone. */
  private oldestResumable = 1000;
  private readonly objects = new Map<string, StoredObject>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(private readonly historyLimit = 1000) {}

  /** The newest resourceVersion handed out. */
  get currentRV(): number {
    return this.rv;
  }

  /** Creates or replaces an object (a deep copy), giving it a new resourceVersion, uid and creationTimestamp if missing. */
  upsert(kind: StandInKind, input: StoredObject): StoredObject {
    const obj = JSON.parse(JSON.stringify(input)) as StoredObject;
    const key = keyOf(kind, obj.metadata.namespace, obj.metadata.name);
    const prev = this.objects.get(key);
    this.rv += 1;
    obj.kind = kind;
    obj.apiVersion = API_VERSION[kind];
    obj.metadata.uid = obj.metadata.uid ?? prev?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = obj.metadata.creationTimestamp ?? prev?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(this.rv);
    this.objects.set(key, obj);
    this.record({ type: prev ? 'MODIFIED' : 'ADDED', rv: this.rv, kind, object: obj });
    return obj;
  }

  /** Deletes an object and emits DELETED (carrying a new resourceVersion); undefined when it did not exist. */
  remove(kind: StandInKind, namespace: string | undefined, name: string): StoredObject | undefined {
    const key = keyOf(kind, namespace, name);
    const prev = this.objects.get(key);
    if (!prev) return undefined;
    this.objects.delete(key);
    this.rv += 1;
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(this.rv) } };
    this.record({ type: 'DELETED', rv: this.rv, kind, object: gone });
    return gone;
  }

  /** One object, or undefined. */
  get(kind: StandInKind, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(keyOf(kind, namespace, name));
  }

  /** The objects a query asks for, sorted by namespace/name, and the RV the list is consistent with. */
  list(q: StoreQuery): { rv: number; items: StoredObject[] } {
    const items = [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(`${q.kind}/`) && matches(q, q.kind, o))
      .map(([, o]) => o)
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
    return { rv: this.rv, items };
  }

  /** Events after `rv` matching a query, or 'gone' when history no longer reaches back that far. */
  since(rv: number, q: StoreQuery): StoreEvent[] | 'gone' {
    if (rv < this.oldestResumable) return 'gone';
    return this.history.filter((e) => e.rv > rv && matches(q, e.kind, e.object));
  }

  /** Forgets all history, like an etcd compaction: a watch from any RV older than now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.oldestResumable = this.rv;
  }

  /** Calls `l` with every change from now on; returns the unsubscribe function. */
  subscribe(l: (e: StoreEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.oldestResumable = dropped.rv;
    }
    for (const l of [...this.listeners]) l(e);
  }
}
