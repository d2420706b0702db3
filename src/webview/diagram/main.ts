/**
 * Entry of the diagram webview: receives typed messages from the host, keeps DiagramState with get/setState,
 * lays out and draws the snapshot, overlays and plays a trace, and reports back (ready, rendered, select, error).
 */
import { buildChrome, updateControls, type Action, type Chrome } from './chrome';
import { renderHop, renderLegend, renderSummary } from './hopPanel';
import { layoutGraph, METRICS, type DiagramLayout, type MeasureText } from './layout';
import { buildGraph, traceFits, traceSteps, type TraceStep } from './model';
import { Player } from './player';
import { isHostToDiagram, type DiagramSource, type DiagramState, type DiagramToHost, type HostToDiagram } from './protocol';
import { renderDiagram, setZoom, type Drawing } from './render';
import { clearTrace, drawTrace } from './traceView';
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
let trace: { steps: TraceStep[]; player: Player } | undefined;
let zoom = 1;
let generation = 0;
let pendingFocus: string | undefined;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

const post = (m: DiagramToHost) => vscode.postMessage(m);
const save = () => vscode.setState(state);
const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });

/** vscode-icon finds the codicon stylesheet by this id; the host page links it, maybe without the id. */
function tagCodiconLink(): void {
  if (document.getElementById('vscode-codicon-stylesheet')) return;
  const link = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).find((l) => /codicon/.test(l.href));
  if (link) link.id = 'vscode-codicon-stylesheet';
}

function canvasMeasure(): MeasureText {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  if (!ctx) return (t, size) => t.length * size * 0.62;
  return (text, size) => {
    ctx.font = `${size === METRICS.title ? 600 : 400} ${size}px ${family}`;
    return ctx.measureText(text).width + 1;
  };
}

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
  const end = t.disposition === 'DELIVERED' ? 'DELIVERED' : t.disposition;
  const overlay = drawTrace(drawn.drawing, steps, end);
  trace = { steps, player: new Player(overlay, onStep, () => reducedMotion.matches) };
  trace.player.jump(step);
}

function focusNamespace(namespace: string): void {
  const g = drawn?.drawing.groups.get(`ns:${namespace}`);
  if (!g) {
    pendingFocus = namespace;
    return;
  }
  pendingFocus = undefined;
  drawn?.drawing.svg.querySelectorAll('.outlined').forEach((e) => e.classList.remove('outlined'));
  g.classList.add('outlined');
  g.scrollIntoView({ block: 'center', inline: 'center' });
  g.focus({ preventScroll: true });
}

async function drawSnapshot(snapshot: Snapshot, source: DiagramSource | undefined): Promise<void> {
  const gen = ++generation;
  const t0 = performance.now();
  const graph = buildGraph(snapshot);
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
  drawn.drawing.svg.getBoundingClientRect();
  const drawMs = performance.now() - t1;
  post({ type: 'rendered', namespaces: graph.namespaces, elements: graph.elements, layoutMs: round(layoutMs), drawMs: round(drawMs) });
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
      return showTrace(m.trace, 0);
    case 'clearTrace':
      state = { ...state, trace: undefined, step: 0 };
      save();
      return showTrace(undefined, 0);
    case 'focus':
      return focusNamespace(m.namespace);
  }
}

function onAction(a: Action): void {
  const p = trace?.player;
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
  if (e.key === 'Enter' && target.closest?.('g.ns')) {
    e.preventDefault();
    select(target);
  } else if (actions[e.key] && !(onButton && (e.key === ' ' || e.key === 'Enter'))) {
    e.preventDefault();
    onAction(actions[e.key]);
  }
}

tagCodiconLink();
const chrome: Chrome = buildChrome(document.body, (a) => {
  try {
    onAction(a);
  } catch (e) {
    fail(e);
  }
});
renderLegend(chrome.legend);
updateControls(chrome, 0, 0, false);
renderSummary(chrome.summary, undefined);
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostToDiagram(e.data)) handle(e.data).catch(fail);
});
document.addEventListener('keydown', onKey);
chrome.canvas.addEventListener('click', (e) => select(e.target));
post({ type: 'ready' });
if (state.snapshot) drawSnapshot(state.snapshot, state.source).catch(fail);
