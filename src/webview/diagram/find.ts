/**
 * Finding a Pod, node or address in the drawing: matches over the whole (unfolded) graph, best first, each with the
 * node box that holds it so the caller can expand that node before highlighting the match. Pure.
 */
import type { DiagramElement, DiagramGraph } from './model';

/** One match of a query. */
export interface FindMatch {
  /** The matching box: `ns:pod/pod-2-25`, `ns:node/node2`, ... */
  id: string;
  namespace: string;
  /** The node (or host) box holding it; undefined for a top-level box (a node itself, the wire). */
  holder?: string;
  /** Its label lines joined, for the status line. */
  text: string;
}

const NAMESPACE_KINDS = new Set(['node', 'host', 'wire', 'pod', 'docker-container']);

/** How well a box's label lines match: 0 exact line, 1 a line starts with it, 2 contains it, undefined none. */
function rank(label: string[], q: string): number | undefined {
  const lines = label.map((l) => l.toLowerCase());
  // `default/web-1` is found by `web-1` as well as by its full name.
  const names = lines.flatMap((l) => [l, l.slice(l.lastIndexOf('/') + 1)]);
  if (names.includes(q)) return 0;
  if (names.some((l) => l.startsWith(q))) return 1;
  if (lines.some((l) => l.includes(q))) return 2;
  return undefined;
}

/** Every namespace box whose name or address matches `query` (case-insensitive), exact matches first, then in drawing order. */
export function findMatches(g: DiagramGraph, query: string): FindMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const found: { m: FindMatch; rank: number; order: number }[] = [];
  const walk = (e: DiagramElement, holder: string | undefined) => {
    if (NAMESPACE_KINDS.has(e.kind)) {
      const r = rank(e.label, q);
      if (r !== undefined) found.push({ m: { id: e.id, namespace: e.namespace, holder, text: e.label.join(', ') }, rank: r, order: found.length });
    }
    for (const c of e.children) walk(c, holder ?? (e.kind === 'node' || e.kind === 'host' ? e.id : undefined));
  };
  for (const r of g.roots) walk(r, undefined);
  return found.sort((a, b) => a.rank - b.rank || a.order - b.order).map((f) => f.m);
}
