/**
 * Box sizes for the layout: text is measured (canvas in the webview, an estimate elsewhere) so every label fits.
 * A Pod (or Docker container) is one fixed-size elk node: its containers are placed here in a row, its eth0 is an
 * elk port straddling the bottom border, where the veth pair leaves.
 */
import type { ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import { foldToggleText } from './fold';
import type { DiagramElement, ElementKind } from './model';

/** Measures a text's width in pixels at a font size. */
export type MeasureText = (text: string, fontSize: number) => number;

/** Font sizes and spacing shared with the renderer so text fits the boxes it was measured for. */
export const METRICS = { title: 13, text: 11, line: 15, pad: 8, chipGap: 6, headerGap: 6 } as const;

/** A measure that needs no DOM: a generous average glyph width. */
export const approxMeasure: MeasureText = (text, size) => text.length * size * 0.62;

/** Namespace boxes that hold other boxes laid out by elk. */
export const CONTAINER_KINDS = new Set<ElementKind>(['node', 'host', 'wire', 'client', 'router']);
/** Pods and Docker containers: fixed-size boxes with hand-placed contents. */
export const GUEST_KINDS = new Set<ElementKind>(['pod', 'docker-container']);

/** A container chip placed inside its Pod, relative to the Pod's top-left corner. */
export interface Chip {
  el: DiagramElement;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What sizing needs: the measure, whether containers are left out, and where chips are recorded. */
export interface SizingContext {
  measure: MeasureText;
  collapsed: boolean;
  chips: Map<string, Chip[]>;
}

/** Width and height of a block of label lines (the first line at title size). */
export function textBlock(ctx: SizingContext, label: string[]): { width: number; height: number } {
  const widths = label.map((t, i) => ctx.measure(t, i === 0 ? METRICS.title : METRICS.text));
  return { width: Math.max(0, ...widths), height: label.length * METRICS.line };
}

/** An interface box (veth, bridge, eth0, wire port) sized to its text; bridges are wide like the article's. */
export function leafNode(ctx: SizingContext, el: DiagramElement): ElkNode {
  const t = textBlock(ctx, el.label);
  const min = el.kind === 'bridge' ? 150 : el.kind === 'eth0' || el.kind === 'fold' ? 120 : 60;
  return { id: el.id, width: Math.max(min, Math.ceil(t.width) + 2 * METRICS.pad), height: t.height + METRICS.pad };
}

/** A Pod (or Docker container): title, a row of containers, and its eth0 as a bottom port. */
export function guestNode(ctx: SizingContext, el: DiagramElement): ElkNode {
  const { pad, chipGap, headerGap, line } = METRICS;
  const head = textBlock(ctx, el.label);
  const chips: Chip[] = [];
  let x = pad;
  let chipH = 0;
  if (!ctx.collapsed) {
    for (const c of el.children.filter((k) => k.kind === 'container')) {
      const t = textBlock(ctx, c.label);
      const w = Math.ceil(t.width) + 2 * pad;
      const h = t.height + 4;
      chips.push({ el: c, x, y: pad + head.height + headerGap, width: w, height: h });
      x += w + chipGap;
      chipH = Math.max(chipH, h);
    }
  }
  const portH = line + 3;
  const ports: ElkPort[] = el.children
    .filter((k) => k.kind === 'eth0')
    .map((p) => ({ id: p.id, width: Math.ceil(ctx.measure(p.label[0], METRICS.text)) + 2 * pad, height: portH }));
  const portsW = ports.reduce((s, p) => s + (p.width ?? 0) + chipGap, -chipGap);
  const width = Math.ceil(Math.max(head.width + 2 * pad, x - chipGap + pad, portsW + 2 * pad, 90));
  const height = Math.ceil(pad + head.height + (chipH ? headerGap + chipH : 0) + pad + portH / 2 + 4);
  let px = (width - portsW) / 2;
  for (const p of ports) {
    p.x = px;
    p.y = height - portH / 2;
    p.layoutOptions = { 'elk.port.side': 'SOUTH', 'elk.port.borderOffset': String(-portH / 2) };
    px += (p.width ?? 0) + chipGap;
  }
  ctx.chips.set(el.id, chips);
  return { id: el.id, width, height, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
}

/** The fold toggle in a node's title row: its text and size (right-aligned by the layout). */
export function toggleSize(ctx: SizingContext, el: DiagramElement): { text: string; width: number; height: number } | undefined {
  if (!el.fold) return undefined;
  const text = foldToggleText(el.fold);
  return { text, width: Math.ceil(ctx.measure(text, METRICS.text)) + 2 * METRICS.pad, height: METRICS.line + 1 };
}

/** The width a node's title block needs: its lines, and on the first the fold toggle beside the title. */
export function headerWidth(ctx: SizingContext, el: DiagramElement): number {
  const t = textBlock(ctx, el.label).width;
  const toggle = toggleSize(ctx, el);
  return Math.ceil(toggle ? Math.max(t, ctx.measure(el.label[0] ?? '', METRICS.title) + 12 + toggle.width) : t);
}

/** True for boxes whose title sits at the bottom: the wire, whose cables come in from above. */
export const titleBelow = (kind: ElementKind): boolean => kind === 'wire';

/** The elk padding of a namespace box: room for its title lines on top (at the bottom for the wire). */
export function boxPadding(ctx: SizingContext, el: DiagramElement): string {
  const title = METRICS.pad + textBlock(ctx, el.label).height + METRICS.headerGap;
  return titleBelow(el.kind) ? `[top=14,left=14,bottom=${title},right=14]` : `[top=${title},left=14,bottom=14,right=14]`;
}

/** Gives the Pods of one node the same height (the tallest), moving their eth0 ports down with the border. */
export function evenHeights(guests: ElkNode[]): void {
  const h = Math.max(0, ...guests.map((g) => g.height ?? 0));
  for (const g of guests) {
    const dh = h - (g.height ?? 0);
    g.height = h;
    for (const p of g.ports ?? []) p.y = (p.y ?? 0) + dh;
  }
}
