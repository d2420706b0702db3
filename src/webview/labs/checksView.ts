/** A step's checks with a status icon each (pending, running, passed, failed), their messages, and "Check my work". */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';
import type { CheckResultView, CheckView } from './protocol';

/** What one check shows. */
export type CheckStatus = 'pending' | 'running' | 'passed' | 'failed';

/** Handle to show a check run and its results. */
export interface ChecksView {
  /** Results to show, or 'running' while the host checks; undefined shows every check as pending. */
  show(results: CheckResultView[] | 'running' | undefined): void;
  /** Once the step has passed, "Check my work" steps back so Next is the one primary button. */
  setPassed(passed: boolean): void;
}

const ICONS: Record<CheckStatus, string> = {
  pending: 'circle-large-outline',
  running: 'loading codicon-modifier-spin',
  passed: 'pass-filled',
  failed: 'error',
};
const LABELS: Record<CheckStatus, string> = { pending: 'not checked yet', running: 'checking', passed: 'passed', failed: 'failed' };

/** Builds the "Check your work" section into `parent`; the button calls `onCheck`. Returns the section too, for hints. */
export function renderChecks(parent: HTMLElement, checks: CheckView[], onCheck: () => void): ChecksView & { section: HTMLElement } {
  const section = html('section', { class: 'step-section checks', 'aria-label': 'Check your work' }, undefined, parent);
  html('h3', { class: 'section-title' }, 'Check your work', section);
  const list = html('ul', { class: 'check-list' }, undefined, section);
  const rows = checks.map((c) => {
    const li = html('li', { class: 'check pending', 'data-check': c.index }, undefined, list);
    const icon = codicon(ICONS.pending, li);
    icon.classList.add('check-icon');
    icon.removeAttribute('aria-hidden');
    icon.setAttribute('role', 'img');
    const body = html('div', { class: 'check-body' }, undefined, li);
    html('div', { class: 'check-title' }, c.title, body);
    const message = html('div', { class: 'check-message', hidden: '' }, '', body);
    return { check: c, li, icon, message };
  });
  const bar = html('div', { class: 'check-bar' }, undefined, section);
  const button = custom('vscode-button', { icon: 'checklist', 'data-testid': 'check-step' }, 'Check my work', bar);
  button.addEventListener('click', () => onCheck());
  const show = (results: CheckResultView[] | 'running' | undefined): void => {
    button.toggleAttribute('icon-spin', results === 'running');
    button.setAttribute('icon', results === 'running' ? 'loading' : 'checklist');
    for (const r of rows) {
      const result = Array.isArray(results) ? results.find((x) => x.index === r.check.index) : undefined;
      const status: CheckStatus = results === 'running' ? 'running' : result ? (result.passed ? 'passed' : 'failed') : 'pending';
      r.li.className = `check ${status}`;
      r.icon.className = `codicon codicon-${ICONS[status]} check-icon`;
      r.icon.setAttribute('aria-label', LABELS[status]);
      r.message.textContent = result?.message ?? '';
      r.message.toggleAttribute('hidden', !result?.message);
    }
  };
  show(undefined);
  return { section, show, setPassed: (passed) => button.toggleAttribute('secondary', passed) };
}
