/**
 * Layout strategy: the pure diagram graph -> positioned boxes and edge polylines, with elkjs (layered, top-down).
 * Nesting is laid out in two levels: each node (host, wire) is one flat elk graph (Pods on top, then their veths,
 * the bridge, eth0 at the bottom), then the top level places those boxes side by side with the wire below, joined
 * through ports on their borders. Flat graphs keep the model's order (elk's hierarchical mode shuffles Pods).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { DiagramEdge, DiagramElement, DiagramGraph, EdgeKind, ElementKind, FoldInfo } from './model';
import { columnLayout, gridLayout, isColumn } from './gridLayout';
import {
  CONTAINER_KINDS, GUEST_KINDS, METRICS, approxMeasure, boxPadding, evenHeights, guestNode, headerWidth, leafNode, toggleSize,
  type MeasureText, type SizingContext,
} from './sizing';

/** Text metrics and measuring live in sizing.ts; the renderer reaches them through here. */
export { METRICS, approxMeasure, type MeasureText } from './sizing';

/** A point in diagram coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** One positioned element; coordinates are absolute (diagram space). */
export interface Box {
  id: string;
  kind: ElementKind;
  namespace: string;
  label: string[];
  ifname?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  children: Box[];
  /** A node that can fold: its state, and where its toggle sits in the title row (diagram coordinates). */
  fold?: FoldInfo;
  toggle?: { text: string; x: number; y: number; width: number; height: number };
}

/** One routed edge: a polyline from the source's border to the target's border. */
export interface EdgePath {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  points: Point[];
}

/** The laid-out diagram. */
export interface DiagramLayout {
  boxes: Box[];
  edges: EdgePath[];
  width: number;
  height: number;
  /** True when Pod details (containers) were left out because the graph is large. */
  collapsed: boolean;
  /** Time spent in elk, in milliseconds. */
  elkMs: number;
}

/** Knobs of the layout step. */
export interface LayoutOptions {
  measure?: MeasureText;
  /** Above this many Pods plus containers, containers are not drawn inside their Pods. */
  collapseAbove?: number;
  /** A node with more Pods than this is laid out in wrapped rows (gridLayout) instead of by elk. */
  wrapAbove?: number;
}

/** How wide a row of unjoined top-level boxes grows before the next box starts a new row (six folded nodes). */
const ROW_WIDTH = 1600;

const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '18',
  'elk.spacing.edgeNode': '12',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.spacing.nodeNodeBetweenLayers': '24',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
};

type Laid = { node: ElkNode; byId: Map<string, ElkNode | ElkPort> };

function index(n: ElkNode, into = new Map<string, ElkNode | ElkPort>()): Map<string, ElkNode | ElkPort> {
  for (const c of n.children ?? []) {
    into.set(c.id, c);
    // Ports by their position in the graph (elk gives them relative to their node).
    for (const p of c.ports ?? []) into.set(p.id, { ...p, x: (c.x ?? 0) + (p.x ?? 0), y: (c.y ?? 0) + (p.y ?? 0) });
  }
  return into;
}

const sectionPoints = (e: ElkExtendedEdge): Point[] => (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
const shift = (pts: Point[], dx: number, dy: number): Point[] => pts.map((p) => ({ x: p.x + dx, y: p.y + dy }));

/** The top-level box each element sits in (itself for a top-level box; the Pod's for a Pod's eth0). */
function topOf(g: DiagramGraph): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (e: DiagramElement, top: string) => {
    out.set(e.id, top);
    e.children.forEach((c) => walk(c, top));
  };
  g.roots.forEach((r) => walk(r, r.id));
  return out;
}

function countGuests(g: DiagramGraph): number {
  let n = 0;
  const walk = (e: DiagramElement) => {
    if (GUEST_KINDS.has(e.kind)) n += 1 + e.children.filter((c) => c.kind === 'container').length;
    e.children.forEach(walk);
  };
  g.roots.forEach(walk);
  return n;
}

function elkEdge(e: DiagramEdge, source = e.source, target = e.target): ElkExtendedEdge {
  return { id: e.id, sources: [source], targets: [target] };
}

/** Lays out one node (or host, or the wire) as a flat graph; widens it to its title when the contents are narrow. */
async function layoutInside(elk: InstanceType<typeof ELK>, ctx: SizingContext, el: DiagramElement, edges: DiagramEdge[], wrapAbove: number): Promise<Laid> {
  if (el.children.filter((c) => GUEST_KINDS.has(c.kind)).length > wrapAbove) {
    const node = gridLayout(ctx, el, edges);
    return { node, byId: index(node) };
  }
  if (el.fold && isColumn(el)) {
    const node = columnLayout(ctx, el, edges);
    return { node, byId: index(node) };
  }
  const children = el.children.map((c) => (GUEST_KINDS.has(c.kind) ? guestNode(ctx, c) : leafNode(ctx, c)));
  evenHeights(children.filter((c) => c.ports?.length));
  const graph: ElkNode = { id: el.id, layoutOptions: { ...OPTIONS, 'elk.padding': boxPadding(ctx, el) }, children, edges: edges.map((e) => elkEdge(e)) };
  const node: ElkNode = await elk.layout(graph);
  const need = headerWidth(ctx, el) + 28;
  if ((node.width ?? 0) < need) {
    const dx = (need - (node.width ?? 0)) / 2;
    for (const c of node.children ?? []) c.x = (c.x ?? 0) + dx;
    for (const e of node.edges ?? []) for (const s of (e as ElkExtendedEdge).sections ?? []) {
      for (const p of [s.startPoint, s.endPoint, ...(s.bendPoints ?? [])]) p.x += dx;
    }
    node.width = need;
  }
  return { node, byId: index(node) };
}

function toBox(el: DiagramElement, x: number, y: number, w: number, h: number, children: Box[]): Box {
  const box: Box = { id: el.id, kind: el.kind, namespace: el.namespace, label: el.label, ifname: el.ifname, x, y, width: w, height: h, children };
  if (el.fold) box.fold = el.fold;
  return box;
}

/** A node box with its fold toggle right after its title: in view whenever the name is, however wide the node. */
function nodeBox(ctx: SizingContext, el: DiagramElement, x: number, y: number, w: number, h: number, children: Box[]): Box {
  const b = toBox(el, x, y, w, h, children);
  const t = toggleSize(ctx, el);
  if (t) b.toggle = { ...t, x: x + METRICS.pad + Math.ceil(ctx.measure(el.label[0] ?? '', METRICS.title)) + 12, y: y + METRICS.pad - 2.5 };
  return b;
}

/** A guest (Pod) box at absolute (x, y) with its chips and eth0 ports. */
function guestBox(ctx: SizingContext, el: DiagramElement, n: ElkNode, x: number, y: number): Box {
  const kids: Box[] = (ctx.chips.get(el.id) ?? []).map((c) => toBox(c.el, x + c.x, y + c.y, c.width, c.height, []));
  for (const p of n.ports ?? []) {
    const pe = el.children.find((c) => c.id === p.id);
    if (pe) kids.push(toBox(pe, x + (p.x ?? 0), y + (p.y ?? 0), p.width ?? 0, p.height ?? 0, []));
  }
  return toBox(el, x, y, n.width ?? 0, n.height ?? 0, kids);
}

/** Boxes in rows, in order, top-aligned, wrapped at ROW_WIDTH (or the widest box): the top level without edges. */
function inRows(kids: ElkNode[]): ElkNode {
  const pad = 16;
  const gap = 36;
  const limit = Math.max(ROW_WIDTH, ...kids.map((k) => k.width ?? 0));
  let x = pad;
  let y = pad;
  let rowH = 0;
  let width = 0;
  for (const k of kids) {
    if (x > pad && x + (k.width ?? 0) > pad + limit) {
      x = pad;
      y += rowH + gap;
      rowH = 0;
    }
    Object.assign(k, { x, y });
    x += (k.width ?? 0) + gap;
    rowH = Math.max(rowH, k.height ?? 0);
    width = Math.max(width, x - gap + pad);
  }
  return { id: 'root', x: 0, y: 0, width, height: y + rowH + pad, children: kids, edges: [] };
}

/** Edges inside one top-level box (by box id), and those between boxes. */
function splitEdges(g: DiagramGraph, top: Map<string, string>): { inner: Map<string, DiagramEdge[]>; cross: DiagramEdge[] } {
  const inner = new Map<string, DiagramEdge[]>();
  const cross: DiagramEdge[] = [];
  for (const e of g.edges) {
    const a = top.get(e.source);
    if (a !== undefined && a === top.get(e.target)) inner.set(a, [...(inner.get(a) ?? []), e]);
    else cross.push(e);
  }
  return { inner, cross };
}

/** Lays out the top level: each box with a port on its border above or below the inner element a cross edge leaves from. */
async function layoutRoot(
  elk: InstanceType<typeof ELK>, ctx: SizingContext, g: DiagramGraph, laid: Map<string, Laid>, top: Map<string, string>, cross: DiagramEdge[],
): Promise<ElkNode> {
  const rootKids = new Map<string, ElkNode>();
  for (const r of g.roots) {
    const l = laid.get(r.id);
    const fixed = { 'elk.portConstraints': 'FIXED_POS' };
    const kid = l ? { id: r.id, width: l.node.width, height: l.node.height, ports: [], layoutOptions: fixed } : guestNode(ctx, r);
    kid.layoutOptions = { ...kid.layoutOptions, 'elk.alignment': 'TOP' };
    rootKids.set(r.id, kid);
  }
  const borderPort = (end: string, edgeId: string, tag: string): string => {
    const l = laid.get(top.get(end) ?? '');
    if (!l) return end;
    const inside = l.byId.get(end);
    const box = rootKids.get(l.node.id)!;
    const below = (inside?.y ?? 0) + (inside?.height ?? 0) / 2 > (box.height ?? 0) / 2;
    const id = `port:${edgeId}:${tag}`;
    const x = (inside?.x ?? 0) + (inside?.width ?? 0) / 2;
    box.ports!.push({ id, x, y: below ? (box.height ?? 0) : -1, width: 1, height: 1, layoutOptions: { 'elk.port.side': below ? 'SOUTH' : 'NORTH' } });
    return id;
  };
  const rootEdges = cross.map((e) => elkEdge(e, borderPort(e.source, e.id, 's'), borderPort(e.target, e.id, 't')));
  const rootOptions = {
    ...OPTIONS, 'elk.padding': '[top=16,left=16,bottom=16,right=16]', 'elk.spacing.nodeNode': '36', 'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  };
  // Nothing joins the boxes (a cluster: no wire namespace): rows in node order; elk would pack them out of order.
  return rootEdges.length
    ? await elk.layout({ id: 'root', layoutOptions: rootOptions, children: [...rootKids.values()], edges: rootEdges } as ElkNode)
    : inRows([...rootKids.values()]);
}

/** Lays the graph out with elk; Pod containers are left out above `collapseAbove` Pods plus containers. */
export async function layoutGraph(g: DiagramGraph, opts: LayoutOptions = {}): Promise<DiagramLayout> {
  const ctx: SizingContext = { measure: opts.measure ?? approxMeasure, collapsed: countGuests(g) > (opts.collapseAbove ?? 400), chips: new Map() };
  const elk = new ELK();
  const t0 = performance.now();
  const top = topOf(g);
  const { inner, cross } = splitEdges(g, top);
  const laid = new Map<string, Laid>();
  for (const r of g.roots) if (CONTAINER_KINDS.has(r.kind)) laid.set(r.id, await layoutInside(elk, ctx, r, inner.get(r.id) ?? [], opts.wrapAbove ?? 16));

  const root = await layoutRoot(elk, ctx, g, laid, top, cross);
  const rootIndex = index(root);
  const elkMs = performance.now() - t0;

  // Compose absolute coordinates.
  const boxes: Box[] = [];
  const edges: EdgePath[] = [];
  const abs = new Map<string, Box>();
  const note = (b: Box) => {
    abs.set(b.id, b);
    b.children.forEach(note);
  };
  for (const r of g.roots) {
    const at = rootIndex.get(r.id) as ElkNode;
    const x0 = at.x ?? 0;
    const y0 = at.y ?? 0;
    const l = laid.get(r.id);
    if (!l) {
      boxes.push(guestBox(ctx, r, at, x0, y0));
      continue;
    }
    const kids = r.children.map((c) => {
      const n = l.byId.get(c.id) as ElkNode;
      const [x, y] = [x0 + (n.x ?? 0), y0 + (n.y ?? 0)];
      return GUEST_KINDS.has(c.kind) ? guestBox(ctx, c, n, x, y) : toBox(c, x, y, n.width ?? 0, n.height ?? 0, []);
    });
    boxes.push(nodeBox(ctx, r, x0, y0, at.width ?? 0, at.height ?? 0, kids));
    const model = new Map((inner.get(r.id) ?? []).map((x) => [x.id, x] as const));
    for (const e of l.node.edges ?? []) {
      const m = model.get(e.id)!;
      edges.push({ id: m.id, kind: m.kind, source: m.source, target: m.target, points: shift(sectionPoints(e as ElkExtendedEdge), x0, y0) });
    }
  }
  boxes.forEach(note);
  const crossById = new Map(cross.map((x) => [x.id, x] as const));
  for (const e of root.edges ?? []) {
    const m = crossById.get(e.id)!;
    const pts = sectionPoints(e as ElkExtendedEdge);
    // Extend from the inner element to the border port (a straight vertical run: the element is right above or below it).
    const s = abs.get(m.source);
    const t = abs.get(m.target);
    if (s && laid.has(top.get(m.source) ?? '') && pts.length) pts.unshift({ x: pts[0].x, y: pts[0].y > s.y ? s.y + s.height : s.y });
    if (t && laid.has(top.get(m.target) ?? '') && pts.length) {
      const end = pts[pts.length - 1];
      pts.push({ x: end.x, y: end.y < t.y + t.height / 2 ? t.y : t.y + t.height });
    }
    edges.push({ id: m.id, kind: m.kind, source: m.source, target: m.target, points: pts });
  }
  return { boxes, edges, width: root.width ?? 0, height: root.height ?? 0, collapsed: ctx.collapsed, elkMs };
}
