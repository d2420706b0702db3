/**
 * Entry of the diagram webview: receives typed messages from the host, keeps DiagramState with get/setState,
 * lays out and draws the snapshot, overlays and plays a trace, and reports back (ready, rendered, select, error).
 */
import { buildChrome, updateControls, type Action, type Chrome } from './chrome';
import { findMatches } from './find';
import { foldGraph, foldableNodes, tracedNamespaces } from './fold';
import { renderHop, renderLegend, renderSummary } from './hopPanel';
import { canvasMeasure, tagCodiconLink } from './browser';
import { layoutGraph, type DiagramLayout } from './layout';
import { buildGraph, traceFits, traceSteps, type DiagramGraph, type TraceStep } from './model';
import { Player } from './player';
import { isHostToDiagram, type DiagramSource, type DiagramState, type DiagramToHost, type HostToDiagram } from './protocol';
import { renderDiagram, setZoom, type Drawing } from './render';
import { destinations, serviceCandidates } from './overlayModel';
import { clearTrace, drawTrace } from './traceView';
import { traceVerdict } from './outcomeText';
import type { Snapshot } from '../../snapshot/types';
import type { TraceResult } from '../../tracer/types';

interface VsCodeApi {
  postMessage(message: DiagramToHost): void;
  getState(): DiagramState | undefined;
  setState(state: DiagramState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: DiagramState = { step: 0, ...(vscode.getState() ?? {}) };
let drawn: { layout: DiagramLayout; drawing: Drawing } | undefined;
/** The current snapshot's whole graph (nothing folded) and the node boxes that fold in it. */
let full: { snapshot: Snapshot; source?: DiagramSource; graph: DiagramGraph; foldable: string[] } | undefined;
/** The last find: its query and which match it stands on. */
let finding: { query: string; index: number; id: string } | undefined;
let trace: { steps: TraceStep[]; player: Player } | undefined;
let zoom = 1;
let generation = 0;
let pendingFocus: string | undefined;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

const post = (m: DiagramToHost) => vscode.postMessage(m);
const save = () => vscode.setState(state);
const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });

/** The zoom that fits the drawing in the canvas, between `floor` and `ceiling`. */
function fitZoom(layout: DiagramLayout, floor: number, ceiling: number): number {
  const w = chrome.canvas.clientWidth - 16;
  const h = chrome.canvas.clientHeight - 16;
  if (w <= 0 || h <= 0) return 1;
  return Math.max(floor, Math.min(ceiling, w / (layout.width + 110), h / layout.height));
}

function onStep(step: number, playing: boolean): void {
  if (!trace || !state.trace) return;
  state.step = step;
  save();
  updateControls(chrome, step, trace.player.length, playing);
  renderHop(chrome.hop, state.trace, trace.steps, step);
  const marker = drawn?.drawing.traceLayer.querySelector(`.hop-marker[data-hop="${step}"]`);
  marker?.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: reducedMotion.matches ? 'auto' : 'smooth' });
}

function showTrace(t: TraceResult | undefined, step: number): void {
  trace?.player.dispose();
  trace = undefined;
  if (drawn) clearTrace(drawn.drawing);
  renderSummary(chrome.summary, t);
  chrome.hop.replaceChildren();
  if (!t || !drawn) {
    updateControls(chrome, 0, 0, false);
    return;
  }
  const steps = traceSteps(t);
  const verdict = traceVerdict(t);
  const svc = serviceCandidates(t);
  const overlay = drawTrace(drawn.drawing, steps, verdict.label, verdict.tone !== 'good', { sent: destinations(t)[0], candidates: svc.pods, chosenPod: svc.chosenPod });
  trace = { steps, player: new Player(overlay, onStep, () => reducedMotion.matches) };
  trace.player.jump(step);
}

/** The folded node box that holds namespace box `id`, if any. */
function foldedHolder(id: string): string | undefined {
  const holder = full?.graph.roots.find((r) => r.children.some((c) => c.id === id));
  return holder && full?.foldable.includes(holder.id) && !(state.expanded ?? []).includes(holder.id) ? holder.id : undefined;
}

function focusNamespace(namespace: string): void {
  const g = drawn?.drawing.groups.get(`ns:${namespace}`);
  if (!g) {
    pendingFocus = namespace;
    // A Pod inside a folded node: show the node's Pods; the redraw then focuses it.
    const holder = foldedHolder(`ns:${namespace}`);
    if (holder) setExpanded([holder], true).catch(fail);
    return;
  }
  pendingFocus = undefined;
  drawn?.drawing.svg.querySelectorAll('.outlined').forEach((e) => e.classList.remove('outlined'));
  g.classList.add('outlined');
  g.scrollIntoView({ block: 'center', inline: 'center' });
  g.focus({ preventScroll: true });
}

/** The graph as it is drawn now: folded nodes stay folded unless expanded; the traced path's Pods are always drawn. */
function foldedGraph(): DiagramGraph | undefined {
  if (!full) return undefined;
  const t = state.trace && traceFits(state.trace, full.snapshot) ? state.trace : undefined;
  return foldGraph(full.graph, { expanded: new Set(state.expanded ?? []), pinned: t ? tracedNamespaces(t.hops) : new Set() });
}

async function drawSnapshot(snapshot: Snapshot, source: DiagramSource | undefined): Promise<void> {
  const graph = buildGraph(snapshot);
  const foldable = foldableNodes(graph);
  full = { snapshot, source, graph, foldable };
  // Keep what the user expanded (nodes that still exist and still fold); a new lab starts folded.
  const open = (state.expanded ?? []).filter((id) => foldable.includes(id));
  if (open.length !== (state.expanded ?? []).length) {
    state = { ...state, expanded: open };
    save();
  }
  chrome.folding.toggleAttribute('hidden', foldable.length === 0);
  return redraw();
}

/** Lays out and draws the current snapshot as folded now, redraws the trace, and reports the timings. */
async function redraw(): Promise<void> {
  if (!full) return;
  const { snapshot, source } = full;
  const gen = ++generation;
  const t0 = performance.now();
  const graph = foldedGraph()!;
  const layout = await layoutGraph(graph, { measure: canvasMeasure() });
  if (gen !== generation) return;
  const layoutMs = performance.now() - t0;
  const t1 = performance.now();
  chrome.source.textContent = source?.label ?? snapshot.source.lab;
  chrome.live.toggleAttribute('hidden', !source?.live);
  chrome.empty.remove();
  // Fit, but not so small that labels cannot be read: a big lab scrolls instead (Fit shows it whole).
  zoom = fitZoom(layout, 0.75, 1.25);
  drawn = { layout, drawing: renderDiagram(layout, chrome.canvas, zoom) };
  if (state.trace && !traceFits(state.trace, snapshot)) state = { ...state, trace: undefined, step: 0 };
  showTrace(state.trace, state.step);
  if (pendingFocus) focusNamespace(pendingFocus);
  // A live lab redraws every few seconds: keep what find highlighted.
  if (finding) drawn.drawing.groups.get(finding.id)?.classList.add('found');
  drawn.drawing.svg.getBoundingClientRect();
  const drawMs = performance.now() - t1;
  const pods = layout.boxes.reduce((n, b) => n + (GUESTS.has(b.kind) ? 1 : b.children.filter((c) => GUESTS.has(c.kind)).length), 0);
  const folded = layout.boxes.filter((b) => b.fold && !b.fold.expanded).length;
  post({ type: 'rendered', namespaces: graph.namespaces, elements: graph.elements, layoutMs: round(layoutMs), drawMs: round(drawMs), pods, folded });
}

const GUESTS = new Set(['pod', 'docker-container']);

/** Expands (or folds) node boxes, then redraws; keeps keyboard focus on the toggle that was pressed. */
async function setExpanded(ids: string[], expanded: boolean, focusToggle?: string): Promise<void> {
  const now = new Set(state.expanded ?? []);
  for (const id of ids) if (expanded) now.add(id);
  else now.delete(id);
  state = { ...state, expanded: [...now] };
  save();
  await redraw();
  if (!focusToggle) return;
  const toggle = drawn?.drawing.svg.querySelector<SVGGElement>(`.fold-toggle[data-fold="${CSS.escape(focusToggle)}"]`);
  drawn?.drawing.groups.get(`ns:${focusToggle}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  toggle?.focus({ preventScroll: true });
}

/** Finds the next (or previous) match of `query`, expands the node holding it, and highlights it. */
async function find(query: string, backwards: boolean): Promise<void> {
  if (!full) return;
  const matches = findMatches(full.graph, query);
  if (!matches.length) {
    finding = undefined;
    chrome.findStatus.textContent = query.trim() ? `No Pod, node or address matches "${query.trim()}"` : '';
    drawn?.drawing.svg.querySelectorAll('.found').forEach((e) => e.classList.remove('found'));
    return;
  }
  const again = finding?.query === query;
  const index = again ? (finding!.index + (backwards ? -1 : 1) + matches.length) % matches.length : backwards ? matches.length - 1 : 0;
  const m = matches[index];
  finding = { query, index, id: m.id };
  if (m.holder && full.foldable.includes(m.holder) && !(state.expanded ?? []).includes(m.holder)) await setExpanded([m.holder], true);
  drawn?.drawing.svg.querySelectorAll('.found').forEach((e) => e.classList.remove('found'));
  const g = drawn?.drawing.groups.get(m.id);
  g?.classList.add('found');
  g?.scrollIntoView({ block: 'center', inline: 'center' });
  chrome.findStatus.textContent = `${m.text}: ${index + 1} of ${matches.length}`;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function handle(m: HostToDiagram): Promise<void> {
  switch (m.type) {
    case 'snapshot':
      state = { ...state, snapshot: m.snapshot, source: m.source };
      save();
      return drawSnapshot(m.snapshot, m.source);
    case 'trace':
      state = { ...state, trace: m.trace, step: 0 };
      save();
      // A folded drawing is laid out again so the path's Pods are drawn; a small one just gets the overlay.
      return full?.foldable.length ? redraw() : showTrace(m.trace, 0);
    case 'clearTrace':
      state = { ...state, trace: undefined, step: 0 };
      save();
      return full?.foldable.length ? redraw() : showTrace(undefined, 0);
    case 'focus':
      return focusNamespace(m.namespace);
  }
}

function onAction(a: Action): void {
  const p = trace?.player;
  if (a === 'expandAll' || a === 'collapseAll') {
    if (full) setExpanded(full.foldable, a === 'expandAll').catch(fail);
    return;
  }
  if (a === 'zoomIn' || a === 'zoomOut' || a === 'zoomFit') {
    if (!drawn) return;
    zoom = a === 'zoomFit' ? fitZoom(drawn.layout, 0.02, 1.25) : Math.max(0.02, Math.min(4, zoom * (a === 'zoomIn' ? 1.25 : 0.8)));
    setZoom(drawn.drawing, drawn.layout, zoom);
    return;
  }
  if (!p) return;
  if (a === 'restart') p.restart();
  else if (a === 'back') p.back();
  else if (a === 'forward') p.forward();
  else p.toggle();
}

/** A click or key on a fold toggle or a count box: expands or folds that node. True when it was one. */
function toggleFold(target: EventTarget | null): boolean {
  const el = (target as Element | null)?.closest?.('[data-fold]');
  const namespace = el?.getAttribute('data-fold');
  if (!el || !namespace) return false;
  const id = `ns:${namespace}`;
  setExpanded([id], !(state.expanded ?? []).includes(id), namespace).catch(fail);
  return true;
}

function select(target: EventTarget | null): void {
  const g = (target as Element | null)?.closest?.('g.ns');
  const namespace = g?.getAttribute('data-namespace');
  if (!g || !namespace) return;
  drawn?.drawing.svg.querySelectorAll('.selected').forEach((e) => e.classList.remove('selected'));
  g.classList.add('selected');
  post({ type: 'select', namespace });
}

function onKey(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
  const target = e.target as Element;
  if (target.closest?.('input, textarea, select')) return;
  const onButton = !!target.closest?.('vscode-button, vscode-toolbar-button, button');
  const actions: Record<string, Action> = { ' ': 'toggle', ArrowRight: 'forward', ArrowLeft: 'back', Home: 'restart' };
  if ((e.key === 'Enter' || e.key === ' ') && target.closest?.('.fold-toggle')) {
    e.preventDefault();
    toggleFold(target);
  } else if (e.key === 'Enter' && target.closest?.('g.ns')) {
    e.preventDefault();
    select(target);
  } else if (actions[e.key] && !(onButton && (e.key === ' ' || e.key === 'Enter'))) {
    e.preventDefault();
    onAction(actions[e.key]);
  }
}

tagCodiconLink();
const chrome: Chrome = buildChrome(
  document.body,
  (a) => {
    try {
      onAction(a);
    } catch (e) {
      fail(e);
    }
  },
  (query, backwards) => find(query, backwards).catch(fail),
);
renderLegend(chrome.legend);
updateControls(chrome, 0, 0, false);
renderSummary(chrome.summary, undefined);
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostToDiagram(e.data)) handle(e.data).catch(fail);
});
document.addEventListener('keydown', onKey);
chrome.canvas.addEventListener('click', (e) => {
  if (!toggleFold(e.target)) select(e.target);
});
post({ type: 'ready' });
if (state.snapshot) drawSnapshot(state.snapshot, state.source).catch(fail);
