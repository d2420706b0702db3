/** The step navigator beside the page: overall progress and one button per step, with a check mark once passed. */
import { codicon, html } from '../diagram/dom';
import { progressView } from './listView';
import type { StepView } from './protocol';

/** Handle to update the navigator without rebuilding it (so focus stays where it is). */
export interface StepNav {
  update(current: string, passed: ReadonlySet<string>): void;
}

/** Builds the navigator into `parent`; choosing a step calls `onGo` with its id. */
export function renderNav(parent: HTMLElement, steps: StepView[], onGo: (id: string) => void): StepNav {
  const nav = html('nav', { class: 'step-nav', 'aria-label': 'Steps' }, undefined, parent);
  html('h2', { class: 'nav-title' }, 'Steps', nav);
  const progress = html('div', { class: 'nav-progress' }, undefined, nav);
  const list = html('ol', { class: 'step-list' }, undefined, nav);
  const items = steps.map((step, i) => {
    const li = html('li', {}, undefined, list);
    const b = html('button', { class: 'step-link', type: 'button', 'data-step': step.id }, undefined, li);
    const icon = codicon('circle-large-outline', b);
    icon.classList.add('step-icon');
    html('span', { class: 'step-number' }, `${i + 1}.`, b);
    html('span', { class: 'step-name' }, step.title, b);
    b.addEventListener('click', () => onGo(step.id));
    return { step, b, icon };
  });
  return {
    update(current, passed) {
      progress.replaceChildren();
      progressView(steps.filter((s) => passed.has(s.id)).length, steps.length, progress);
      for (const { step, b, icon } of items) {
        const done = passed.has(step.id);
        b.classList.toggle('current', step.id === current);
        b.classList.toggle('passed', done);
        if (step.id === current) b.setAttribute('aria-current', 'step');
        else b.removeAttribute('aria-current');
        b.setAttribute('aria-label', `${step.title}${done ? ' (passed)' : ''}`);
        icon.className = `codicon codicon-${done ? 'pass-filled' : 'circle-large-outline'} step-icon`;
      }
    },
  };
}
