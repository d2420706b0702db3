/** A step's hints behind "Show a hint", revealed one at a time so the learner takes only as much help as needed. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';

/** Builds the hints block into `parent` with `shown` hints already open; `onShow` gets the new count after each reveal. */
export function renderHints(parent: HTMLElement, hints: string[], shown: number, onShow: (shown: number) => void): void {
  if (hints.length === 0) return;
  const box = html('div', { class: 'hints' }, undefined, parent);
  const list = html('ol', { class: 'hint-list', 'aria-label': 'Hints' }, undefined, box);
  const bar = html('div', { class: 'hint-bar' }, undefined, box);
  const button = custom('vscode-button', { secondary: '', icon: 'lightbulb', 'data-testid': 'show-hint' }, '', bar);
  const count = html('span', { class: 'hint-count' }, '', bar);
  let open = 0;
  const reveal = (): HTMLElement => {
    const li = html('li', { class: 'hint', tabindex: -1 }, undefined, list);
    codicon('lightbulb', li);
    html('span', {}, hints[open], li);
    open++;
    button.textContent = 'Show another hint';
    count.textContent = `${open} of ${hints.length} hints shown`;
    if (open >= hints.length) bar.setAttribute('hidden', '');
    return li;
  };
  button.textContent = 'Show a hint';
  while (open < Math.min(shown, hints.length)) reveal();
  button.addEventListener('click', () => {
    if (open >= hints.length) return;
    const focused = document.activeElement === button;
    const li = reveal();
    // The button goes away after the last hint: hand focus to that hint rather than to <body>.
    if (open >= hints.length && focused) li.focus();
    onShow(open);
  });
}
