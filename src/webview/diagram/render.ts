/**
 * The renderer: draws a laid-out diagram as SVG (one `<g data-id>` per element, classed by kind, edges as paths).
 * Geometry goes into attributes and colours come from diagram.css (theme variables), so the strict CSP holds.
 */
import { svg, svgText } from './dom';
import { METRICS, type Box, type DiagramLayout, type EdgePath, type Point } from './layout';
import { titleBelow } from './sizing';

/** What the drawing hands back: the root SVG, the layers the trace overlay draws into, and lookups. */
export interface Drawing {
  svg: SVGSVGElement;
  /** Layer above boxes and edges for the traced path, hop markers and the packet. */
  traceLayer: SVGGElement;
  boxes: Map<string, Box>;
  /** Edges by `source|target`. */
  edges: Map<string, EdgePath>;
  /** The `<g>` of every element by id. */
  groups: Map<string, SVGGElement>;
}

const NAMESPACE_KINDS = new Set(['node', 'host', 'wire', 'pod', 'docker-container', 'client', 'router']);
const LABELLED_KINDS: Record<string, string> = {
  node: 'node', host: 'Docker-style host', wire: 'wire', pod: 'Pod', 'docker-container': 'container', client: 'outside client', router: 'router',
};

/** The SVG path `d` for a polyline. */
export function pathData(points: Point[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/** The words a screen reader hears for a namespace box, with the fold state of a node that folds. */
function ariaLabel(box: Box): string {
  const f = box.fold;
  const noun = f && `${f.noun}${f.pods === 1 ? '' : 's'}`;
  const state = !f ? '' : f.expanded ? `, ${f.pods} ${noun} shown` : `, ${f.pods} ${noun} folded${f.shown ? ` (${f.shown} shown)` : ''}`;
  return `${LABELLED_KINDS[box.kind]} ${box.label.join(', ')}${state}`;
}

function drawBox(box: Box, parent: SVGElement, d: Drawing): void {
  const isNs = NAMESPACE_KINDS.has(box.kind);
  const classes = ['el', box.kind, isNs ? 'ns' : box.kind === 'container' ? 'chip' : box.kind === 'fold' ? 'count' : 'iface'];
  if (box.fold) classes.push(box.fold.expanded ? 'expanded' : 'folded');
  const g = svg('g', { 'data-id': box.id, class: classes.join(' '), 'data-namespace': box.namespace }, parent);
  if (isNs) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', ariaLabel(box));
  }
  d.groups.set(box.id, g);
  d.boxes.set(box.id, box);
  const rx = box.kind === 'container' || box.kind === 'eth0' || box.kind === 'veth' || box.kind === 'port' ? 4 : 6;
  if (box.kind === 'fold') {
    // A stack of cards: the Pods folded behind one box. Clicking it shows them (main.ts).
    g.setAttribute('data-fold', box.namespace);
    svgText(`Click to show the ${box.label[0]} of ${box.namespace.replace(/^[a-z]+\//, '')}`, {}, svg('title', {}, g));
    for (const k of [6, 3]) svg('rect', { class: 'stack', x: box.x + k, y: box.y - k, width: box.width, height: box.height, rx }, g);
  }
  svg('rect', { class: 'frame', x: box.x, y: box.y, width: box.width, height: box.height, rx }, g);
  const { pad, line, title, text } = METRICS;
  const centered = !isNs;
  const top = centered ? (box.height - box.label.length * line) / 2 : titleBelow(box.kind) ? box.height - pad - box.label.length * line : pad;
  box.label.forEach((t, i) => {
    const y = box.y + top + i * line + (i === 0 ? title : text) - 1;
    const attrs = centered ? { x: box.x + box.width / 2, y, 'text-anchor': 'middle' } : { x: box.x + pad, y };
    svgText(t, { ...attrs, class: i === 0 ? 'title' : 'sub', 'font-size': i === 0 ? title : text }, g);
  });
  for (const c of box.children) drawBox(c, g, d);
}

function drawEdge(e: EdgePath, layer: SVGGElement, labelVeths: boolean): void {
  const g = svg('g', { 'data-id': e.id, class: `edge ${e.kind}`, 'data-source': e.source, 'data-target': e.target }, layer);
  svg('path', { d: pathData(e.points) }, g);
  if (labelVeths && e.kind === 'veth-pair' && e.points.length >= 2) {
    const a = e.points[0];
    const b = e.points[e.points.length - 1];
    svgText('veth pair', { x: (a.x + b.x) / 2 + 13, y: (a.y + b.y) / 2 + 4, class: 'edge-label', 'font-size': 10 }, g);
  }
}

/** A node's fold toggle: a keyboard-reachable button in its title row (not inside the node's own button). */
function drawToggle(box: Box, layer: SVGGElement): void {
  const t = box.toggle;
  if (!t || !box.fold) return;
  const f = box.fold;
  const name = box.label[0];
  const what = `${f.pods} ${f.noun}${f.pods === 1 ? '' : 's'}`;
  const g = svg('g', {
    class: 'fold-toggle', role: 'button', tabindex: 0, 'data-fold': box.namespace, 'aria-expanded': String(f.expanded),
    'aria-label': f.expanded ? `Fold the ${what} of ${name}` : `Show the ${what} of ${name}`,
  }, layer);
  svg('rect', { class: 'frame', x: t.x, y: t.y, width: t.width, height: t.height, rx: t.height / 2 }, g);
  svgText(t.text, { x: t.x + t.width / 2, y: t.y + t.height / 2 + 4, 'text-anchor': 'middle', 'font-size': METRICS.text }, g);
}

/** Room on the right for the end-of-trace label beside the last marker. */
const MARGIN_RIGHT = 110;

/** Draws the diagram into `host` (replacing what was there) at `zoom`. */
export function renderDiagram(layout: DiagramLayout, host: Element, zoom = 1): Drawing {
  const viewBox = `0 0 ${layout.width + MARGIN_RIGHT} ${layout.height}`;
  const root = svg('svg', { class: 'diagram', viewBox, role: 'group', 'aria-label': 'Pod network diagram' });
  const d: Drawing = { svg: root, traceLayer: svg('g'), boxes: new Map(), edges: new Map(), groups: new Map() };
  setZoom(d, layout, zoom);
  const boxes = svg('g', { class: 'boxes' }, root);
  // Each fold toggle right after its node, so Tab goes node, its Pods, its toggle, the next node.
  for (const b of layout.boxes) {
    drawBox(b, boxes, d);
    drawToggle(b, boxes);
  }
  const edges = svg('g', { class: 'edges', 'aria-hidden': 'true' }, root);
  const labelVeths = layout.edges.filter((e) => e.kind === 'veth-pair').length <= 16;
  for (const e of layout.edges) {
    drawEdge(e, edges, labelVeths);
    d.edges.set(`${e.source}|${e.target}`, e);
  }
  d.traceLayer.setAttribute('class', 'trace');
  root.appendChild(d.traceLayer);
  host.replaceChildren(root);
  return d;
}

/** Sets the drawing's on-screen size for a zoom factor (the viewBox keeps diagram coordinates). */
export function setZoom(d: Drawing, layout: DiagramLayout, zoom: number): void {
  d.svg.setAttribute('width', String(Math.ceil((layout.width + MARGIN_RIGHT) * zoom)));
  d.svg.setAttribute('height', String(Math.ceil(layout.height * zoom)));
}

/** The centre of an element's box. */
export function centre(b: Box): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}
