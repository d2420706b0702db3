/** The lab view's header: back link, title, the sandbox state badge and the Start / Stop / Reset / Run on kind / Open diagram buttons. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';
import type { KindRunView, LabRunStateView, LabView } from './protocol';

/** The header buttons, named like the messages they post. */
export type LabCommand = 'backToList' | 'startLab' | 'stopLab' | 'resetLab' | 'runOnKind' | 'openDiagram';

/** Handle main.ts uses to show the sandbox state. */
export interface LabHeader {
  setState(state: LabRunStateView, message?: string): void;
  /** Shows a run on kind: the button busy while it runs, its result sentence after. */
  setKindRun(run: KindRunView): void;
}

const STATES: Record<LabRunStateView, { label: string; icon: string; spin?: boolean }> = {
  stopped: { label: 'Stopped', icon: 'circle-outline' },
  starting: { label: 'Starting…', icon: 'loading', spin: true },
  running: { label: 'Running', icon: 'circle-filled' },
  stopping: { label: 'Stopping…', icon: 'loading', spin: true },
};

// Which buttons make sense in each state (Open diagram and Back always do).
const ENABLED: Record<LabRunStateView, Partial<Record<LabCommand, boolean>>> = {
  stopped: { startLab: true, resetLab: true },
  starting: {},
  running: { stopLab: true, resetLab: true },
  stopping: {},
};

/** Under the header: why the pack is embedded-only, or the state of a run on kind (which also makes its button busy). */
function kindRunNote(header: HTMLElement, lab: LabView, button: HTMLElement | undefined): (run: KindRunView) => void {
  if (lab.kindIncompatible) html('p', { class: 'kind-note', 'data-testid': 'kind-incompatible' }, `Embedded lab only: ${lab.kindIncompatible}.`, header);
  const note = html('p', { class: 'kind-run', 'data-testid': 'kind-run', role: 'status', hidden: '' }, '', header);
  return (run) => {
    const running = run.state === 'running';
    if (button) {
      button.toggleAttribute('disabled', running);
      button.setAttribute('icon', running ? 'loading' : 'cloud');
      button.toggleAttribute('icon-spin', running);
    }
    note.className = `kind-run ${running ? 'running' : run.passed ? 'passed' : 'failed'}`;
    note.textContent = run.message ?? (running ? `Running every step on the kind cluster "${run.cluster}"…` : '');
    note.toggleAttribute('hidden', !note.textContent);
  };
}

/** Builds the header into `parent`; every button click calls `onCommand`. */
export function renderHeader(parent: HTMLElement, lab: LabView, onCommand: (c: LabCommand) => void): LabHeader {
  const header = html('header', { class: 'lab-header' }, undefined, parent);
  const back = html('button', { class: 'link-button back', type: 'button', 'data-command': 'backToList' }, undefined, header);
  codicon('arrow-left', back);
  back.append('Back to list');
  back.addEventListener('click', () => onCommand('backToList'));
  const row = html('div', { class: 'title-row' }, undefined, header);
  const titles = html('div', { class: 'titles' }, undefined, row);
  html('h1', { class: 'lab-title', tabindex: -1 }, lab.title, titles);
  const meta = html('div', { class: 'lab-meta' }, undefined, titles);
  const pill = html('span', { class: 'state-pill', tabindex: -1, 'data-testid': 'lab-state' }, undefined, meta);
  const icon = codicon('circle-outline', pill);
  const label = html('span', {}, '', pill);
  codicon('clock', meta);
  html('span', {}, `${lab.minutes} min`, meta);
  html('span', { class: 'dot', 'aria-hidden': 'true' }, '·', meta);
  html('span', {}, `${lab.steps.length} ${lab.steps.length === 1 ? 'step' : 'steps'}`, meta);
  const bar = html('div', { class: 'lab-toolbar', role: 'toolbar', 'aria-label': 'Lab' }, undefined, row);
  const button = (command: LabCommand, text: string, icon: string, primary = false): HTMLElement => {
    const b = custom('vscode-button', { icon, 'data-command': command, ...(primary ? {} : { secondary: '' }) }, text, bar);
    b.addEventListener('click', () => {
      if (!b.hasAttribute('disabled')) onCommand(command);
    });
    return b;
  };
  const buttons: Partial<Record<LabCommand, HTMLElement>> = {
    startLab: button('startLab', 'Start lab', 'play', true),
    stopLab: button('stopLab', 'Stop lab', 'debug-stop'),
    resetLab: button('resetLab', 'Reset lab', 'discard'),
    ...(lab.kindIncompatible ? {} : { runOnKind: button('runOnKind', 'Run on kind', 'cloud') }),
    openDiagram: button('openDiagram', 'Open diagram', 'type-hierarchy-sub'),
  };
  const note = html('p', { class: 'state-message', hidden: '' }, '', header);
  const setKindRun = kindRunNote(header, lab, buttons.runOnKind);

  const setState = (state: LabRunStateView, message?: string): void => {
    const s = STATES[state];
    pill.className = `state-pill ${state}`;
    pill.setAttribute('aria-label', `Lab state: ${s.label}`);
    icon.className = `codicon codicon-${s.icon}${s.spin ? ' codicon-modifier-spin' : ''}`;
    label.textContent = s.label;
    let lostFocus = false;
    for (const c of ['startLab', 'stopLab', 'resetLab'] as const) {
      const b = buttons[c]!;
      const off = !ENABLED[state][c];
      if (off && document.activeElement === b) lostFocus = true;
      b.toggleAttribute('disabled', off);
    }
    // A disabled button drops focus to <body>; keep keyboard users next to what changed instead.
    if (lostFocus) pill.focus();
    note.textContent = message ?? '';
    note.toggleAttribute('hidden', !message);
  };
  setState('stopped');
  return { setState, setKindRun };
}
