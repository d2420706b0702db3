/**
 * The page around the drawing: a toolbar (source, player controls, zoom, hop counter), the canvas, and the side
 * panel (summary, current hop with aria-live, legend). Controls are vscode-elements; only the ones used are imported.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { custom, html } from './dom';

/** The control actions the toolbar offers. */
export type Action = 'restart' | 'back' | 'toggle' | 'forward' | 'zoomIn' | 'zoomOut' | 'zoomFit' | 'expandAll' | 'collapseAll';

/** What the find box asks for: the next (or previous) match of a query. */
export type FindHandler = (query: string, backwards: boolean) => void;

/** Handles to the parts of the page main.ts updates. */
export interface Chrome {
  source: HTMLElement;
  live: HTMLElement;
  buttons: Record<Action, HTMLElement>;
  counter: HTMLElement;
  /** The Expand all / Collapse all group, hidden while the drawing has nothing to fold. */
  folding: HTMLElement;
  find: HTMLInputElement;
  /** What the last find found (read out politely). */
  findStatus: HTMLElement;
  canvas: HTMLElement;
  empty: HTMLElement;
  summary: HTMLElement;
  hop: HTMLElement;
  legend: HTMLElement;
}

/** The find box: Enter finds the next match, Shift+Enter the previous, Escape clears. */
function buildFind(bar: HTMLElement, onFind: FindHandler): { find: HTMLInputElement; findStatus: HTMLElement } {
  const box = html('div', { class: 'find', role: 'search' }, undefined, bar);
  const find = html('input', {
    type: 'search', class: 'find-input', placeholder: 'Find Pod, node or IP', spellcheck: 'false',
    'aria-label': 'Find a Pod, node or IP address (Enter: next match)',
  }, undefined, box);
  const findStatus = html('span', { class: 'find-status', 'aria-live': 'polite' }, '', box);
  find.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onFind(find.value, e.shiftKey);
    } else if (e.key === 'Escape') {
      find.value = '';
      onFind('', false);
    }
  });
  return { find, findStatus };
}

/** Builds the page into `body` and wires button clicks to `onAction`, the find box to `onFind`. */
export function buildChrome(body: HTMLElement, onAction: (a: Action) => void, onFind: FindHandler): Chrome {
  const bar = html('header', { class: 'toolbar' }, undefined, body);
  const title = html('div', { class: 'source' }, undefined, bar);
  const source = html('span', { class: 'source-label' }, 'No snapshot yet', title);
  const live = custom('vscode-badge', { class: 'live', hidden: '' }, 'live', title);
  const player = html('div', { class: 'player', role: 'toolbar', 'aria-label': 'Packet player' }, undefined, bar);
  const button = (action: Action, icon: string, label: string, key: string): HTMLElement => {
    const b = custom('vscode-button', { icon, secondary: '', title: `${label} (${key})`, 'aria-label': label, 'data-action': action }, label, player);
    b.addEventListener('click', () => onAction(action));
    return b;
  };
  const buttons = {
    restart: button('restart', 'debug-restart', 'Restart', 'Home'),
    back: button('back', 'debug-step-back', 'Back', '←'),
    toggle: button('toggle', 'play', 'Play', 'Space'),
    forward: button('forward', 'debug-step-over', 'Step', '→'),
  } as Record<Action, HTMLElement>;
  const counter = html('span', { class: 'counter', 'aria-live': 'off' }, '', player);
  const zoom = html('div', { class: 'zoom', role: 'toolbar', 'aria-label': 'Zoom' }, undefined, bar);
  const zoomButton = (action: Action, icon: string, label: string): HTMLElement => {
    const b = custom('vscode-toolbar-button', { icon, label, title: label, 'data-action': action }, undefined, zoom);
    b.addEventListener('click', () => onAction(action));
    return b;
  };
  buttons.zoomOut = zoomButton('zoomOut', 'zoom-out', 'Zoom out');
  buttons.zoomFit = zoomButton('zoomFit', 'screen-normal', 'Fit to window');
  buttons.zoomIn = zoomButton('zoomIn', 'zoom-in', 'Zoom in');
  const folding = html('div', { class: 'zoom folding', role: 'toolbar', 'aria-label': 'Fold nodes', hidden: '' }, undefined, bar);
  const foldButton = (action: Action, icon: string, label: string): HTMLElement => {
    const b = custom('vscode-toolbar-button', { icon, label, title: label, 'data-action': action }, undefined, folding);
    b.addEventListener('click', () => onAction(action));
    return b;
  };
  buttons.expandAll = foldButton('expandAll', 'expand-all', 'Expand all nodes (show every Pod)');
  buttons.collapseAll = foldButton('collapseAll', 'collapse-all', 'Collapse all nodes (count their Pods)');
  const { find, findStatus } = buildFind(bar, onFind);
  const work = html('main', { class: 'workspace' }, undefined, body);
  const canvas = html('div', { class: 'canvas' }, undefined, work);
  const empty = html('p', { class: 'empty' }, 'Waiting for a snapshot of the lab…', canvas);
  const side = html('aside', { class: 'side', 'aria-label': 'Trace details' }, undefined, work);
  const summary = html('section', { class: 'summary' }, undefined, side);
  const hop = html('section', { class: 'hop', 'aria-live': 'polite', 'aria-atomic': 'true' }, undefined, side);
  const legend = html('section', { class: 'legend-box' }, undefined, side);
  return { source, live, buttons, counter, folding, find, findStatus, canvas, empty, summary, hop, legend };
}

/** Shows play or pause on the toggle button and enables the controls that make sense at this hop. */
export function updateControls(c: Chrome, step: number, length: number, playing: boolean): void {
  const t = c.buttons.toggle;
  t.setAttribute('icon', playing ? 'debug-pause' : 'play');
  t.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  t.setAttribute('title', `${playing ? 'Pause' : 'Play'} (Space)`);
  t.textContent = playing ? 'Pause' : 'Play';
  const none = length === 0;
  for (const a of ['restart', 'back', 'toggle', 'forward'] as const) c.buttons[a].toggleAttribute('disabled', none);
  if (!none) {
    c.buttons.back.toggleAttribute('disabled', step === 0);
    c.buttons.forward.toggleAttribute('disabled', step >= length);
  }
  c.counter.textContent = none ? '' : `hop ${step} / ${length}`;
}
