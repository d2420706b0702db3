/**
 * The traced path over the drawing: one path per hop (styled by how the hop is known), a numbered marker per hop,
 * a stop marker where a failed trace ended, and the packet circle the player moves.
 */
import { svg, svgText } from './dom';
import type { HopStatus, TraceStep } from './model';
import type { Box, Point } from './layout';
import { centre, pathData, type Drawing } from './render';

/** Geometry of one hop in diagram coordinates. */
export interface HopGeometry {
  index: number;
  status: HopStatus;
  /** The polyline the packet follows during this hop (starts where the previous hop ended). */
  points: Point[];
  /** The parts drawn as the highlighted path: edges only, not the runs through a box (they would cross its label). */
  drawn: Point[][];
  /** Where the hop's marker sits. */
  marker: Point;
  /** The packet's destination after this hop (`10.244.1.2:8080`): a DNAT hop changes it. */
  dst: string;
  /** True when the packet is inside a VXLAN tunnel after this hop (the hop has outer headers). */
  tunnel: boolean;
}

/** What the drawing adds for a Service or a tunnel: the destination as sent, the candidate Pods and the chosen one. */
export interface TraceExtras {
  sent?: string;
  candidates?: string[];
  chosenPod?: string;
}

/** The drawn overlay, for the player to update. */
export interface TraceOverlay {
  hops: HopGeometry[];
  paths: SVGPathElement[];
  markers: SVGGElement[];
  packet: SVGCircleElement;
  /** The destination label that travels with the packet, on a pill so it stays readable over boxes. */
  label: SVGTextElement;
  pill: SVGRectElement;
  /** The destination as sent (before any hop). */
  sent: string;
}

/** A piece of a hop's path: its points, and whether it is drawn (an edge) or only travelled (inside a box). */
interface Piece {
  points: Point[];
  drawn: boolean;
}

const inside = (outer: Box, inner: Box) =>
  inner.x >= outer.x - 1 && inner.y >= outer.y - inner.height
  && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + inner.height;

function piece(d: Drawing, a: string, b: string): Piece | undefined {
  const fwd = d.edges.get(`${a}|${b}`);
  if (fwd) return { points: fwd.points, drawn: true };
  const back = d.edges.get(`${b}|${a}`);
  if (back) return { points: [...back.points].reverse(), drawn: true };
  const ba = d.boxes.get(a);
  const bb = d.boxes.get(b);
  if (!ba || !bb) return undefined;
  // A Pod and its own eth0: the packet goes straight down (or up) inside the Pod, not across its title.
  if (inside(ba, bb)) return { points: [{ x: centre(bb).x, y: bb.y - 12 }, centre(bb)], drawn: false };
  if (inside(bb, ba)) return { points: [centre(ba)], drawn: false };
  const around = underNodes(d, ba, bb);
  return { points: around ?? [centre(ba), centre(bb)], drawn: true };
}

/**
 * Two interfaces of different nodes with no edge between them (a cluster's node network, not in the snapshot): the
 * path leaves one from below, runs under both node boxes and comes up into the other, instead of crossing their labels.
 */
function underNodes(d: Drawing, a: Box, b: Box): Point[] | undefined {
  const na = d.boxes.get(`ns:${a.namespace}`);
  const nb = d.boxes.get(`ns:${b.namespace}`);
  if (!na || !nb || na === nb || na === a || nb === b) return undefined;
  const y = Math.max(na.y + na.height, nb.y + nb.height) + 10;
  const ax = centre(a).x;
  const bx = centre(b).x;
  return [{ x: ax, y: a.y + a.height }, { x: ax, y }, { x: bx, y }, { x: bx, y: b.y + b.height }];
}

function length(points: Point[]): number {
  let n = 0;
  for (let i = 1; i < points.length; i++) n += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  return n;
}

/** The point at fraction `t` (0..1) along a polyline. */
export function pointAt(points: Point[], t: number): Point {
  if (points.length === 1) return points[0];
  let left = Math.max(0, Math.min(1, t)) * length(points);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const seg = Math.hypot(b.x - a.x, b.y - a.y);
    if (left <= seg && seg > 0) return { x: a.x + ((b.x - a.x) * left) / seg, y: a.y + ((b.y - a.y) * left) / seg };
    left -= seg;
  }
  return points[points.length - 1];
}

function fallback(d: Drawing, step: TraceStep): Box | undefined {
  return d.boxes.get(`ns:${step.hop.namespace}`);
}

/** Where a hop's marker goes: mid-cable for a veth hop, beside the box it ends in otherwise (not over its label). */
function markerSpot(d: Drawing, step: TraceStep, pts: Point[], drawn: Point[][], ids: string[]): Point {
  if (step.hop.decision === 'veth') return pointAt(drawn[0] ?? pts, 0.5);
  // Delivered: beside the interface it came in on, not on the (large) namespace box.
  const at = ids.length > 1 && ids[ids.length - 1].startsWith('ns:') ? ids[ids.length - 2] : ids[ids.length - 1];
  const box = d.boxes.get(at ?? '');
  if (!box) return pts[pts.length - 1];
  if (box.id.startsWith('ns:')) return { x: box.x + box.width - 12, y: box.y + 12 };
  // Beside a small box (a Pod's eth0); on a larger box's top-right corner, clear of its centred label and of
  // edges, which meet boxes mid-side.
  if (box.width < 60) return { x: box.x + box.width + 11, y: box.y + box.height / 2 };
  return { x: box.x + box.width - 2, y: box.y + 1 };
}

/** Computes every hop's polyline and marker position from the drawn boxes and edges. */
export function traceGeometry(d: Drawing, steps: TraceStep[]): HopGeometry[] {
  const out: HopGeometry[] = [];
  const used: Point[] = [];
  let last: Point | undefined;
  for (const step of steps) {
    // A node's Services box is marked on the path (the DNAT happens in its rules) but the packet does not detour to it.
    const ids = step.ids.filter((id) => d.boxes.has(id) && !id.startsWith('svc:'));
    // A hop that stays in one element (a drop where the packet arrived) keeps the packet where it came in.
    let pts: Point[] = ids.length === 1 ? [last ?? centre(d.boxes.get(ids[0])!)] : [];
    const drawn: Point[][] = [];
    for (let i = 1; i < ids.length; i++) {
      const p = piece(d, ids[i - 1], ids[i]);
      if (!p) continue;
      if (p.drawn) drawn.push(p.points);
      pts.push(...(pts.length && same(pts[pts.length - 1], p.points[0]) ? p.points.slice(1) : p.points));
    }
    if (!pts.length) {
      const box = fallback(d, step);
      pts = box ? [centre(box)] : last ? [last] : [{ x: 0, y: 0 }];
    }
    if (last && !same(last, pts[0])) pts.unshift(last);
    let marker = markerSpot(d, step, pts, drawn, ids.length ? ids : [`ns:${step.hop.namespace}`]);
    while (used.some((u) => Math.hypot(u.x - marker.x, u.y - marker.y) < 16)) marker = { x: marker.x + 22, y: marker.y };
    used.push(marker);
    const h = step.hop.headers;
    out.push({ index: step.hop.index, status: step.status, points: pts, drawn, marker, dst: h.dstPort ? `${h.dstIP}:${h.dstPort}` : h.dstIP, tunnel: !!step.hop.outer });
    last = pts[pts.length - 1];
  }
  return out;
}

function setBox(r: SVGRectElement, x: number, y: number, w: number, h: number): void {
  r.setAttribute('x', x.toFixed(1));
  r.setAttribute('y', y.toFixed(1));
  r.setAttribute('width', w.toFixed(1));
  r.setAttribute('height', String(h));
}

function same(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;
}

const SHAPES: Record<HopStatus, (g: SVGGElement) => void> = {
  observed: (g) => svg('circle', { r: 9, class: 'shape' }, g),
  predicted: (g) => svg('circle', { r: 9, class: 'shape' }, g),
  'not-observed': (g) => {
    svg('circle', { r: 9, class: 'shape' }, g);
    svg('line', { x1: -7, y1: 7, x2: 7, y2: -7, class: 'slash' }, g);
  },
  differs: (g) => svg('polygon', { points: '0,-11 11,0 0,11 -11,0', class: 'shape' }, g),
  stopped: (g) => svg('polygon', { points: '-5,-11 5,-11 11,-5 11,5 5,11 -5,11 -11,5 -11,-5', class: 'shape' }, g),
};

/** Words for each status, for tooltips and the panel. */
export const STATUS_TEXT: Record<HopStatus, string> = {
  observed: 'observed by the probe',
  predicted: 'predicted from the tables only (no probe)',
  differs: 'observed, but not as predicted',
  'not-observed': 'predicted, but the probe did not see it here',
  stopped: 'the packet stopped here',
};

/** Removes the traced path from the drawing. */
export function clearTrace(d: Drawing): void {
  d.traceLayer.replaceChildren();
  d.svg.querySelectorAll('.on-path, .candidate, .chosen').forEach((e) => e.classList.remove('on-path', 'candidate', 'chosen'));
}

/**
 * Draws the whole path (every hop), the markers and the packet; the player then moves through it; `failed` marks the end label as a
 * failure even when the last hop was seen.
 */
export function drawTrace(d: Drawing, steps: TraceStep[], endLabel: string, failed = false, extras: TraceExtras = {}): TraceOverlay {
  const hops = traceGeometry(d, steps);
  clearTrace(d);
  const pathLayer = svg('g', { class: 'trace-paths' }, d.traceLayer);
  const markerLayer = svg('g', { class: 'trace-markers' }, d.traceLayer);
  const paths = hops.map((h) => svg('path', { d: h.drawn.map(pathData).join(' '), class: `trace-hop ${h.status}`, 'data-hop': h.index }, pathLayer));
  for (const s of steps) for (const id of s.ids) d.groups.get(id)?.classList.add('on-path');
  for (const pod of extras.candidates ?? []) d.groups.get(`ns:pod/${pod}`)?.classList.add('candidate');
  if (extras.chosenPod) d.groups.get(`ns:pod/${extras.chosenPod}`)?.classList.add('chosen');
  const markers = hops.map((h) => {
    const transform = `translate(${h.marker.x.toFixed(1)} ${h.marker.y.toFixed(1)})`;
    const g = svg('g', { class: `hop-marker ${h.status}`, 'data-hop': h.index, transform }, markerLayer);
    svgText(`hop ${h.index}: ${STATUS_TEXT[h.status]}`, {}, svg('title', {}, g));
    SHAPES[h.status](g);
    svgText(String(h.index), { class: 'num', 'text-anchor': 'middle', y: 4 }, g);
    return g;
  });
  const end = hops[hops.length - 1];
  if (end) {
    const stopped = end.status === 'stopped' || failed;
    const g = svg('g', { class: `end-label ${stopped ? 'stopped' : 'delivered'}` }, markerLayer);
    const pill = svg('rect', { class: 'pill', rx: 4 }, g);
    const text = svgText(`${stopped ? '✕' : '✓'} ${endLabel}`, { x: end.marker.x + 18, y: end.marker.y + 4, 'font-size': 12 }, g);
    const w = text.getComputedTextLength();
    setBox(pill, end.marker.x + 13, end.marker.y - 9, w + 10, 18);
  }
  const start = hops[0]?.points[0] ?? { x: 0, y: 0 };
  const packet = svg('circle', { class: 'packet', r: 6, cx: start.x, cy: start.y }, d.traceLayer);
  const sent = extras.sent ?? '';
  const pill = svg('rect', { class: 'packet-pill', rx: 3 }, d.traceLayer);
  const label = svgText(sent, { class: 'packet-label', x: start.x + 10, y: start.y - 10, 'font-size': 11, 'data-testid': 'packet-dst' }, d.traceLayer);
  return { hops, paths, markers, packet, label, pill, sent };
}

/** Marks hops before `step` visited, hop `step` current, the rest upcoming. */
export function showStep(o: TraceOverlay, step: number): void {
  o.hops.forEach((h, i) => {
    const state = h.index < step ? 'visited' : h.index === step ? 'current' : 'upcoming';
    for (const el of [o.paths[i], o.markers[i]]) {
      el.classList.remove('visited', 'current', 'upcoming');
      el.classList.add(state);
    }
  });
}

/** Puts the packet at fraction `t` of hop `index` (1-based); index 0 is the start of the first hop. */
export function placePacket(o: TraceOverlay, index: number, t = 1): void {
  const h = o.hops[index - 1];
  const p = h ? pointAt(h.points, t) : (o.hops[0]?.points[0] ?? { x: 0, y: 0 });
  o.packet.setAttribute('cx', p.x.toFixed(1));
  o.packet.setAttribute('cy', p.y.toFixed(1));
  // Until the hop is done the packet still carries what it had before it (a DNAT rewrites the destination at its end).
  const at = t >= 1 ? h : o.hops[index - 2];
  o.label.textContent = `→ ${at?.dst ?? o.sent}`;
  o.label.setAttribute('x', (p.x + 12).toFixed(1));
  o.label.setAttribute('y', (p.y - 12).toFixed(1));
  setBox(o.pill, p.x + 9, p.y - 24, o.label.getComputedTextLength() + 6, 16);
  o.packet.classList.toggle('in-tunnel', !!at?.tunnel);
}
