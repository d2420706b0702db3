/**
 * Layouts of a node without elk, in linear time. A folded node (fold.ts) is a column: count box, bridge, eth0.
 * A node with many Pods: Pods in rows (each with its veth right below it), one bus per
 * row to a trunk down the left side, then the bridge and eth0 at the bottom, as elk would draw it but wrapped.
 * Linear time, so 3 nodes x 50 Pods lay out at once, and the box stays near a screen's shape instead of a
 * 20,000-pixel strip. Returns the same shape as an elk result so layout.ts composes both alike.
 */
import type { ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api';
import type { DiagramEdge, DiagramElement } from './model';
import { GUEST_KINDS, evenHeights, guestNode, headerWidth, leafNode, textBlock, METRICS, type SizingContext } from './sizing';

const GAP = 18;
const SIDE = 14;
const CABLE = 26;

/** Lays out a node's children in wrapped rows; `edges` are the node's inner edges. */
export function gridLayout(ctx: SizingContext, el: DiagramElement, edges: DiagramEdge[]): ElkNode {
  const guests = el.children.filter((c) => GUEST_KINDS.has(c.kind)).map((c) => guestNode(ctx, c));
  evenHeights(guests);
  const leaves = new Map(el.children.filter((c) => !GUEST_KINDS.has(c.kind)).map((c) => [c.id, leafNode(ctx, c)] as const));
  const kindOf = new Map(el.children.map((c) => [c.id, c.kind] as const));
  const portOwner = new Map(guests.flatMap((g) => (g.ports ?? []).map((p) => [p.id, g] as const)));
  // Each Pod's veth: the other end of the veth-pair edge from one of its ports.
  const vethOf = new Map<ElkNode, ElkNode>();
  for (const e of edges) {
    const g = portOwner.get(e.source) ?? portOwner.get(e.target);
    const v = leaves.get(portOwner.has(e.source) ? e.target : e.source);
    if (g && v && kindOf.get(v.id) === 'veth') vethOf.set(g, v);
  }
  const paired = new Set(vethOf.values());
  const units: { guest?: ElkNode; veth?: ElkNode }[] = guests.map((g) => ({ guest: g, veth: vethOf.get(g) }));
  for (const [id, n] of leaves) if (kindOf.get(id) === 'veth' && !paired.has(n)) units.push({ veth: n });
  const hub = [...leaves.values()].find((n) => kindOf.get(n.id) === 'bridge');
  const eth = [...leaves.values()].filter((n) => kindOf.get(n.id) === 'eth0');
  const rest = [...leaves.values()].filter((n) => n !== hub && !eth.includes(n) && !(kindOf.get(n.id) === 'veth'));

  const cols = Math.max(1, Math.min(units.length, Math.ceil(Math.sqrt(units.length) * 1.6)));
  const unitW = Math.max(...units.map((u) => Math.max(u.guest?.width ?? 0, u.veth?.width ?? 0)), 60);
  const top = METRICS.pad + textBlock(ctx, el.label).height + METRICS.headerGap;
  const left = SIDE + 10; // room for the trunk
  let y = top;
  const buses: { y: number; veths: ElkNode[] }[] = [];
  for (let r = 0; r * cols < units.length; r++) {
    const row = units.slice(r * cols, (r + 1) * cols);
    const podH = Math.max(0, ...row.map((u) => u.guest?.height ?? 0));
    const vethY = y + (podH ? podH + CABLE : 0);
    row.forEach((u, i) => {
      const cx = left + i * (unitW + GAP) + unitW / 2;
      if (u.guest) Object.assign(u.guest, { x: cx - (u.guest.width ?? 0) / 2, y });
      if (u.veth) Object.assign(u.veth, { x: cx - (u.veth.width ?? 0) / 2, y: vethY });
    });
    const vethH = Math.max(0, ...row.map((u) => u.veth?.height ?? 0));
    buses.push({ y: vethY + vethH + 10, veths: row.flatMap((u) => (u.veth ? [u.veth] : [])) });
    y = vethY + vethH + 10 + GAP;
  }
  const width = Math.max(left + cols * (unitW + GAP) - GAP + SIDE, headerWidth(ctx, el) + 2 * SIDE);
  const stack = [...(hub ? [hub] : []), ...eth, ...rest];
  for (const n of stack) {
    Object.assign(n, { x: (width - (n.width ?? 0)) / 2, y: y + 8 });
    y += (n.height ?? 0) + 8 + CABLE;
  }
  const height = y - CABLE + SIDE;

  const nodes = new Map<string, ElkNode>([...guests, ...leaves.values()].map((n) => [n.id, n] as const));
  const elkEdges = gridEdges(nodes, portOwner, buses, edges);
  return { id: el.id, x: 0, y: 0, width, height, children: [...nodes.values()], edges: elkEdges };
}

/** The inner edges of a grid-laid node: from a Pod's port straight down; from a veth along its row's bus and the trunk to the hub. */
function gridEdges(
  nodes: Map<string, ElkNode>, portOwner: Map<string, ElkNode>, buses: { y: number; veths: ElkNode[] }[], edges: DiagramEdge[],
): ElkExtendedEdge[] {
  const trunkX = SIDE;
  const centre = (n: ElkNode): ElkPoint => ({ x: (n.x ?? 0) + (n.width ?? 0) / 2, y: (n.y ?? 0) + (n.height ?? 0) / 2 });
  const busOf = new Map(buses.flatMap((b) => b.veths.map((v) => [v, b.y] as const)));
  const portPoint = (id: string): ElkPoint | undefined => {
    const g = portOwner.get(id);
    const p = g?.ports?.find((x) => x.id === id);
    return g && p ? { x: (g.x ?? 0) + (p.x ?? 0) + (p.width ?? 0) / 2, y: (g.y ?? 0) + (p.y ?? 0) + (p.height ?? 0) } : undefined;
  };
  const route = (e: DiagramEdge): ElkPoint[] => {
    const s = nodes.get(e.source);
    const t = nodes.get(e.target);
    const sp = portPoint(e.source);
    if (sp && t) return [sp, { x: sp.x, y: t.y ?? 0 }];
    if (s && t && busOf.has(s)) {
      // veth -> bus under its row -> trunk on the left -> over to the hub from above.
      const c = centre(s);
      const tc = centre(t);
      const into = (t.y ?? 0) - 10;
      const bus = busOf.get(s)!;
      return [
        { x: c.x, y: (s.y ?? 0) + (s.height ?? 0) }, { x: c.x, y: bus }, { x: trunkX, y: bus },
        { x: trunkX, y: into }, { x: tc.x, y: into }, { x: tc.x, y: t.y ?? 0 },
      ];
    }
    if (s && t) return [{ x: centre(s).x, y: (s.y ?? 0) + (s.height ?? 0) }, { x: centre(t).x, y: t.y ?? 0 }];
    return [];
  };
  const elkEdges: ElkExtendedEdge[] = edges.map((e) => {
    const pts = route(e);
    const section = { id: `${e.id}:s`, startPoint: pts[0] ?? { x: 0, y: 0 }, endPoint: pts[pts.length - 1] ?? { x: 0, y: 0 }, bendPoints: pts.slice(1, -1) };
    return { id: e.id, sources: [e.source], targets: [e.target], sections: pts.length ? [section] : [] };
  });
  return elkEdges;
}

const COLUMN_KINDS = ['fold', 'bridge', 'eth0'];

/** True for a node drawn folded to a plain column: a count box, at most one bridge, eth0, nothing else. */
export function isColumn(el: DiagramElement): boolean {
  return el.children.length > 0 && COLUMN_KINDS.every((k) => el.children.filter((c) => c.kind === k).length <= 1)
    && el.children.every((c) => COLUMN_KINDS.includes(c.kind));
}

/** Lays out a folded node as a centred column (count box, bridge, eth0) with straight edges: what elk would do, at once. */
export function columnLayout(ctx: SizingContext, el: DiagramElement, edges: DiagramEdge[]): ElkNode {
  const kids = COLUMN_KINDS.flatMap((k) => el.children.filter((c) => c.kind === k)).map((c) => leafNode(ctx, c));
  const width = Math.max(...kids.map((k) => k.width ?? 0), headerWidth(ctx, el)) + 2 * SIDE;
  let y = METRICS.pad + textBlock(ctx, el.label).height + METRICS.headerGap;
  for (const k of kids) {
    Object.assign(k, { x: (width - (k.width ?? 0)) / 2, y });
    y += (k.height ?? 0) + 24;
  }
  const at = new Map(kids.map((k) => [k.id, k] as const));
  const elkEdges: ElkExtendedEdge[] = edges.map((e) => {
    const s = at.get(e.source);
    const t = at.get(e.target);
    const start = { x: width / 2, y: (s?.y ?? 0) + (s?.height ?? 0) };
    const sections = s && t ? [{ id: `${e.id}:s`, startPoint: start, endPoint: { x: width / 2, y: t.y ?? 0 } }] : [];
    return { id: e.id, sources: [e.source], targets: [e.target], sections };
  });
  return { id: el.id, x: 0, y: 0, width, height: y - 24 + SIDE, children: kids, edges: elkEdges };
}
