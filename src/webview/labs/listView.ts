/** The list of labs (built-in, then from the workspace), the packs that could not be read, and the trust notice. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';
import type { LabListItem, LabListProblem } from './protocol';

/** What the list view shows (the `list` message without its type). */
export interface ListData {
  labs: LabListItem[];
  problems: LabListProblem[];
  trusted: boolean;
}

/** The Restricted Mode notice, shared by the list and the lab view. */
export function trustNotice(parent: HTMLElement): HTMLElement {
  const box = html('div', { class: 'notice warning', role: 'note', 'data-testid': 'trust-notice' }, undefined, parent);
  codicon('workspace-untrusted', box);
  const text = html('div', {}, undefined, box);
  html('strong', {}, 'Restricted Mode. ', text);
  text.append('Starting labs and running actions need a trusted workspace. You can still read every step.');
  return box;
}

/** "1 of 3 steps" with a native progress bar (accessible without extra ARIA). */
export function progressView(passed: number, steps: number, parent: HTMLElement): HTMLElement {
  const box = html('div', { class: 'progress' }, undefined, parent);
  const label = passed >= steps && steps > 0 ? `All ${steps} steps passed` : `${passed} of ${steps} steps passed`;
  html('progress', { value: passed, max: Math.max(steps, 1), 'aria-label': label }, undefined, box);
  html('span', { class: 'progress-label', 'aria-hidden': 'true' }, label, box);
  return box;
}

function card(lab: LabListItem, onOpen: (id: string) => void, parent: HTMLElement): void {
  const done = lab.steps > 0 && lab.passed >= lab.steps;
  const li = html('li', { class: `lab-card${done ? ' done' : ''}`, 'data-lab': lab.id }, undefined, parent);
  const head = html('div', { class: 'card-head' }, undefined, li);
  codicon(done ? 'pass-filled' : 'mortar-board', head).classList.add('card-icon');
  html('h3', { class: 'card-title' }, lab.title, head);
  const meta = html('div', { class: 'card-meta' }, undefined, li);
  codicon('clock', meta);
  html('span', {}, `${lab.minutes} min`, meta);
  html('span', { class: 'dot', 'aria-hidden': 'true' }, '·', meta);
  html('span', {}, lab.source === 'built-in' ? 'Built-in' : 'Workspace', meta);
  if (lab.description) html('p', { class: 'card-description' }, lab.description, li);
  const foot = html('div', { class: 'card-foot' }, undefined, li);
  progressView(lab.passed, lab.steps, foot);
  const open = custom('vscode-button', { 'data-open': lab.id, 'aria-label': `Open lab: ${lab.title}`, ...(done ? { secondary: '' } : {}) }, 'Open', foot);
  open.addEventListener('click', () => onOpen(lab.id));
}

function section(title: string, labs: LabListItem[], onOpen: (id: string) => void, parent: HTMLElement): void {
  if (labs.length === 0) return;
  const s = html('section', { class: 'lab-section', 'aria-label': title }, undefined, parent);
  html('h2', { class: 'section-title' }, title, s);
  const ul = html('ul', { class: 'lab-cards' }, undefined, s);
  for (const lab of labs) card(lab, onOpen, ul);
}

function problems(list: LabListProblem[], parent: HTMLElement): void {
  if (list.length === 0) return;
  const s = html('section', { class: 'lab-section problems', 'aria-label': 'Packs that could not be read' }, undefined, parent);
  html('h2', { class: 'section-title' }, 'Could not be read', s);
  const ul = html('ul', { class: 'problem-list' }, undefined, s);
  for (const p of list) {
    const li = html('li', { class: 'problem' }, undefined, ul);
    codicon('error', li);
    const text = html('div', {}, undefined, li);
    html('code', { class: 'problem-path' }, p.path, text);
    html('div', { class: 'problem-message' }, p.message, text);
  }
}

/** Draws the list into `root` (replacing what was there); `onOpen` gets the id of the lab whose Open was pressed. */
export function renderList(root: HTMLElement, data: ListData, onOpen: (id: string) => void): void {
  root.replaceChildren();
  const page = html('div', { class: 'list-page' }, undefined, root);
  const header = html('header', { class: 'list-header' }, undefined, page);
  html('h1', { class: 'page-title', tabindex: -1 }, 'PodNet Labs', header);
  html('p', { class: 'lede' }, 'Hands-on labs on a real embedded cluster: run the commands, then let the lab check your work.', header);
  if (!data.trusted) trustNotice(page);
  if (data.labs.length === 0 && data.problems.length === 0) html('p', { class: 'empty' }, 'No labs found.', page);
  section('Built-in labs', data.labs.filter((l) => l.source === 'built-in'), onOpen, page);
  section('From this workspace', data.labs.filter((l) => l.source === 'workspace'), onOpen, page);
  problems(data.problems, page);
}
