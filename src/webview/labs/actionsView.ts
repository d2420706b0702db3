/** A step's actions: each with its exact argv in a code block, a "runs a shell" warning when it does, and Run. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';
import { formatArgv } from './argv';
import type { ActionView } from './protocol';

/** How long an action's exit code stays next to its Run button. */
export const EXIT_CODE_MS = 5000;

/** Handle to show an action's exit code. */
export interface ActionsView {
  done(action: string, code: number): void;
}

/** Builds the "Try it" section into `parent` (nothing when there are no actions); Run calls `onRun` with the action id. */
export function renderActions(parent: HTMLElement, actions: ActionView[], onRun: (action: string) => void): ActionsView {
  const chips = new Map<string, { button: HTMLElement; chip: HTMLElement; timer?: ReturnType<typeof setTimeout> }>();
  if (actions.length > 0) {
    const section = html('section', { class: 'step-section actions', 'aria-label': 'Try it' }, undefined, parent);
    html('h3', { class: 'section-title' }, 'Try it', section);
    for (const a of actions) {
      const card = html('div', { class: 'action', 'data-action': a.id }, undefined, section);
      const head = html('div', { class: 'action-head' }, undefined, card);
      codicon('terminal', head);
      html('span', { class: 'action-title' }, a.title, head);
      if (a.usesShell) {
        const warn = html('span', { class: 'shell-badge', title: 'This action starts a shell (sh -c): read the command before running it.' }, undefined, head);
        codicon('warning', warn);
        warn.append('runs a shell');
      }
      html('span', { class: 'spacer' }, undefined, head);
      const chip = html('span', { class: 'exit-code', hidden: '' }, '', head);
      const button = custom('vscode-button', { icon: 'play', secondary: '', 'data-run': a.id, 'aria-label': `Run: ${a.title}` }, 'Run', head);
      button.addEventListener('click', () => onRun(a.id));
      const pre = html('pre', { class: 'argv' }, undefined, card);
      html('span', { class: 'prompt', 'aria-hidden': 'true' }, '$ ', pre);
      html('code', { 'data-testid': 'argv' }, formatArgv(a.argv), pre);
      chips.set(a.id, { button, chip });
    }
  }
  return {
    done(action, code) {
      const c = chips.get(action);
      if (!c) return;
      if (c.timer) clearTimeout(c.timer);
      c.chip.className = `exit-code ${code === 0 ? 'ok' : 'bad'}`;
      c.chip.replaceChildren();
      codicon(code === 0 ? 'pass' : 'error', c.chip);
      c.chip.append(`exit ${code}`);
      c.chip.removeAttribute('hidden');
      c.button.setAttribute('data-exit', String(code));
      c.timer = setTimeout(() => {
        c.chip.setAttribute('hidden', '');
        c.button.removeAttribute('data-exit');
      }, EXIT_CODE_MS);
    },
  };
}
