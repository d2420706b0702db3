/** A watch response: chunked JSON lines `{type, object}` from a resourceVersion on, with bookmarks and 410 Gone as a real API server sends them. */
import type { ServerResponse } from 'node:http';
import { expired } from './status';
import type { ObjectStore, StoreEvent, StoreQuery } from './store';
import { API_VERSION, matches } from './store';

/** One open watch connection. */
export interface OpenWatch {
  res: ServerResponse;
  query: StoreQuery;
  bookmarks: boolean;
  /** Writes a BOOKMARK carrying the store's current resourceVersion. */
  bookmark(): void;
}

/** Parameters of one watch request. */
export interface WatchParams {
  resourceVersion?: string;
  bookmarks: boolean;
  timeoutSeconds?: number;
  /** How an expired resourceVersion is answered: an ERROR event in a 200 stream (the API server's way) or an HTTP 410. */
  goneAs: 'event' | 'http';
}

const line = (type: string, object: unknown): string => `${JSON.stringify({ type, object })}\n`;

/** Starts a watch on `res`; returns the open watch, or undefined when it was answered at once (410). */
export function startWatch(store: ObjectStore, res: ServerResponse, query: StoreQuery, p: WatchParams, onEnd: () => void): OpenWatch | undefined {
  const fromRV = p.resourceVersion && p.resourceVersion !== '0' ? Number(p.resourceVersion) : undefined;
  const backlog = fromRV === undefined || Number.isNaN(fromRV) ? undefined : store.since(fromRV, query);
  if (backlog === 'gone' && p.goneAs === 'http') {
    const body = expired(fromRV ?? 0, store.currentRV);
    res.writeHead(410, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    onEnd();
    return undefined;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  if (backlog === 'gone') {
    res.end(line('ERROR', expired(fromRV ?? 0, store.currentRV)));
    onEnd();
    return undefined;
  }
  const initial: { type: string; object: unknown }[] =
    backlog ?? store.list(query).items.map((object) => ({ type: 'ADDED', object }));
  for (const e of initial) res.write(line(e.type, e.object));
  const unsubscribe = store.subscribe((e: StoreEvent) => {
    if (matches(query, e.kind, e.object)) res.write(line(e.type, e.object));
  });
  const timer = p.timeoutSeconds ? setTimeout(() => res.end(), p.timeoutSeconds * 1000) : undefined;
  const close = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    onEnd();
  };
  res.on('close', close);
  return {
    res,
    query,
    bookmarks: p.bookmarks,
    bookmark: () => {
      if (!p.bookmarks || res.writableEnded) return;
      res.write(line('BOOKMARK', { kind: query.kind, apiVersion: API_VERSION[query.kind], metadata: { resourceVersion: String(store.currentRV) } }));
    },
  };
}
