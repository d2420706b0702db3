/**
 * Folding a big lab: above a size a node is drawn as its bridge (or, on a ptp node, its eth0) with one box counting
 * its Pods, instead of a grid of unreadable Pod boxes. The user expands nodes one by one (or all); the Pods of a traced
 * path and the one a search found are drawn inside a folded node, the rest stay counted. Pure: graph in, graph out.
 */
import type { Hop } from '../../tracer/types';
import type { DiagramEdge, DiagramElement, DiagramGraph, FoldInfo } from './model';

/** A node with more Pods than this folds the drawing (12 Pods in a row already overflow a 1400-px window). */
export const FOLD_NODE_ABOVE = 12;
/** A lab with more Pods (and containers) than this in all folds the drawing, whatever each node holds. */
export const FOLD_TOTAL_ABOVE = 40;
/** Nodes with fewer Pods than this never fold: their count box would take the room the Pods take. */
export const FOLD_MIN_PODS = 4;

/** What the user (and the trace) asked to see. */
export interface FoldView {
  /** Node box ids (`ns:node/node1`) drawn with all their Pods. */
  expanded: ReadonlySet<string>;
  /** Pod namespaces (`pod/pod-1-01`) drawn even inside a folded node: the traced path's, the one found. */
  pinned: ReadonlySet<string>;
}

/** The id of a folded node's count box. */
export const foldId = (namespace: string): string => `fold:${namespace}`;

const isGuest = (e: DiagramElement): boolean => e.kind === 'pod' || e.kind === 'docker-container';
const isMachine = (e: DiagramElement): boolean => e.kind === 'node' || e.kind === 'host';
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The ids of the node boxes that fold in this graph; empty for a lab small enough to draw whole (the article). */
export function foldableNodes(g: DiagramGraph): string[] {
  const machines = g.roots.filter(isMachine);
  const counts = machines.map((m) => m.children.filter(isGuest).length);
  const total = counts.reduce((a, b) => a + b, 0) + g.roots.filter(isGuest).length;
  const active = total > FOLD_TOTAL_ABOVE || counts.some((c) => c > FOLD_NODE_ABOVE);
  return active ? machines.filter((_, i) => counts[i] >= FOLD_MIN_PODS).map((m) => m.id) : [];
}

/** The text of a node's fold toggle: what pressing it does. */
export function foldToggleText(f: FoldInfo): string {
  return f.expanded ? `▾ Fold ${plural(f.pods, f.noun)}` : `▸ Show ${plural(f.pods, f.noun)}`;
}

/** One folded node: the pinned Pods with their veths, the count box, the bridge and eth0; plus the count box's edge. */
function foldNode(el: DiagramElement, edges: DiagramEdge[], view: FoldView): { el: DiagramElement; edge?: DiagramEdge } {
  const guests = el.children.filter(isGuest);
  const noun = guests.some((g) => g.kind === 'pod') || !guests.length ? 'Pod' : 'container';
  if (view.expanded.has(el.id)) return { el: { ...el, fold: { pods: guests.length, shown: guests.length, expanded: true, noun } } };
  const hidden = new Set(guests.filter((g) => !view.pinned.has(g.namespace)).map((g) => g.id));
  // A hidden Pod's veth: the node-side end of the veth pair leaving one of its ports (its eth0).
  const portOf = new Map(guests.flatMap((g) => g.children.map((c) => [c.id, g.id] as const)));
  const mine = new Set(el.children.map((c) => c.id));
  for (const e of edges) {
    const [pod, other] = portOf.has(e.source) ? [portOf.get(e.source), e.target] : [portOf.get(e.target), e.source];
    if (pod && hidden.has(pod) && mine.has(other) && !portOf.has(other)) hidden.add(other);
  }
  const hiddenGuests = guests.filter((g) => hidden.has(g.id)).length;
  const fold: FoldInfo = { pods: guests.length, shown: guests.length - hiddenGuests, expanded: false, noun };
  const kept = el.children.filter((c) => !hidden.has(c.id));
  if (!hiddenGuests) return { el: { ...el, children: kept, fold } };
  const hub = kept.find((c) => c.kind === 'bridge') ?? kept.find((c) => c.kind === 'eth0');
  const veths = hidden.size - hiddenGuests;
  const what = fold.shown ? `${hiddenGuests} more ${noun}${hiddenGuests === 1 ? '' : 's'}` : plural(hiddenGuests, noun);
  const via = kept.some((c) => c.kind === 'bridge') ? `veths on ${hub?.ifname}` : `ptp veths to ${hub?.ifname ?? 'the node'}`;
  // Without resolved veth peers (a partial snapshot) there is no veth count to show, only where they attach.
  const sub = veths ? `${veths} ${via}` : `via ${hub?.ifname ?? 'the node'}`;
  const box: DiagramElement = { id: foldId(el.namespace), kind: 'fold', namespace: el.namespace, label: [what, sub], children: [] };
  // Model order guides elk: the count box sits where the veths are, above the bridge and eth0.
  const at = kept.findIndex((c) => c.kind === 'bridge' || c.kind === 'eth0');
  const children = at < 0 ? [...kept, box] : [...kept.slice(0, at), box, ...kept.slice(at)];
  const edge = hub ? { id: `edge:${box.id}--${hub.id}`, kind: 'folded' as const, source: box.id, target: hub.id } : undefined;
  return { el: { ...el, children, fold }, edge };
}

function collectIds(el: DiagramElement, into: Set<string>): void {
  into.add(el.id);
  for (const c of el.children) collectIds(c, into);
}

/** The graph as drawn with `view`: nodes that fold lose their hidden Pods and veths and gain a count box. */
export function foldGraph(g: DiagramGraph, view: FoldView): DiagramGraph {
  const foldable = new Set(foldableNodes(g));
  if (!foldable.size) return g;
  const added: DiagramEdge[] = [];
  const roots = g.roots.map((r) => {
    if (!foldable.has(r.id)) return r;
    const f = foldNode(r, g.edges, view);
    if (f.edge) added.push(f.edge);
    return f.el;
  });
  const present = new Set<string>();
  for (const r of roots) collectIds(r, present);
  const edges = [...g.edges.filter((e) => present.has(e.source) && present.has(e.target)), ...added];
  return { roots, edges, namespaces: g.namespaces, elements: present.size };
}

/** The namespaces a trace passes (its hops', and both ends of every veth pair it crosses): the Pods it pins. */
export function tracedNamespaces(hops: Hop[]): Set<string> {
  const out = new Set<string>();
  for (const h of hops) {
    out.add(h.namespace);
    for (const r of h.rows) {
      if (r.kind === 'veth') out.add(r.from.namespace).add(r.to.namespace);
      // A Service's candidates stay drawn in a folded node: the drawing highlights them.
      if (r.kind === 'service') for (const c of r.candidates) if (c.pod) out.add(`pod/${c.pod}`);
    }
  }
  return out;
}
