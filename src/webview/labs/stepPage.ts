/** One step's page: its Markdown page (cleaned again here), the actions, the checks with hints, the banner and Previous/Next. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { codicon, custom, html } from '../diagram/dom';
import { renderActions } from './actionsView';
import { renderChecks } from './checksView';
import { renderHints } from './hintsView';
import type { CheckResultView, StepView } from './protocol';
import { safeFragment } from './safeHtml';

/** Everything the page needs to draw one step as it stands now. */
export interface StepPageInput {
  step: StepView;
  index: number;
  total: number;
  passed: boolean;
  allPassed: boolean;
  results: CheckResultView[] | 'running' | undefined;
  hintsShown: number;
}

/** What the page asks of its owner. */
export interface StepPageEvents {
  run(action: string): void;
  check(): void;
  hint(shown: number): void;
  go(delta: -1 | 1): void;
}

/** Handle to update the drawn page in place. */
export interface StepPage {
  showResults(results: CheckResultView[] | 'running' | undefined): void;
  setPassed(passed: boolean, allPassed: boolean): void;
  actionDone(action: string, code: number): void;
  focusTitle(): void;
  footerButton(delta: -1 | 1): HTMLElement;
}

function content(parent: HTMLElement, step: StepView): HTMLElement {
  const body = html('div', { class: 'step-content markdown' }, undefined, parent);
  body.appendChild(safeFragment(step.html));
  // The page usually opens with its own heading; only add the step title when it does not.
  const first = body.firstElementChild;
  if (first && /^H[1-3]$/.test(first.tagName)) {
    first.classList.add('step-title');
    return first as HTMLElement;
  }
  const title = html('h1', { class: 'step-title' }, step.title);
  body.prepend(title);
  return title;
}

/** Draws the step into `parent` (replacing what was there). */
export function renderStepPage(parent: HTMLElement, input: StepPageInput, on: StepPageEvents): StepPage {
  parent.replaceChildren();
  const { step } = input;
  const page = html('article', { class: 'step-page', 'data-step': step.id }, undefined, parent);
  const eyebrow = html('div', { class: 'eyebrow' }, undefined, page);
  html('span', {}, `Step ${input.index + 1} of ${input.total}`, eyebrow);
  const pill = html('span', { class: 'passed-pill', hidden: '' }, undefined, eyebrow);
  codicon('pass-filled', pill);
  pill.append('Passed');
  const title = content(page, step);
  title.setAttribute('tabindex', '-1');
  const actions = renderActions(page, step.actions, on.run);
  const checks = step.checks.length > 0 ? renderChecks(page, step.checks, on.check) : undefined;
  renderHints(checks?.section ?? page, step.hints, input.hintsShown, on.hint);
  const banner = html('div', { class: 'passed-banner', role: 'note', hidden: '', 'data-testid': 'passed-banner' }, undefined, page);
  codicon('pass-filled', banner);
  const bannerText = html('span', {}, '', banner);
  const footer = html('footer', { class: 'step-footer' }, undefined, page);
  const nav = (delta: -1 | 1, text: string, icon: string): HTMLElement => {
    const b = custom('vscode-button', { secondary: '', 'data-go': delta < 0 ? 'previous' : 'next', [delta < 0 ? 'icon' : 'icon-after']: icon }, text, footer);
    b.addEventListener('click', () => {
      if (!b.hasAttribute('disabled')) on.go(delta);
    });
    return b;
  };
  const previous = nav(-1, 'Previous', 'arrow-left');
  html('span', { class: 'spacer' }, undefined, footer);
  const next = nav(1, 'Next', 'arrow-right');
  previous.toggleAttribute('disabled', input.index === 0);
  const last = input.index === input.total - 1;
  next.toggleAttribute('disabled', last);

  const setPassed = (passed: boolean, allPassed: boolean): void => {
    pill.toggleAttribute('hidden', !passed);
    banner.toggleAttribute('hidden', !passed);
    bannerText.textContent = allPassed && last ? 'Step passed: you finished the lab!' : last ? 'Step passed. Some earlier steps are still open.' : 'Step passed. Go on with Next.';
    // The highlighted Next is the primary button; there is only one primary action at a time on the page.
    next.toggleAttribute('secondary', !(passed && !last));
    next.classList.toggle('highlight', passed && !last);
    checks?.setPassed(passed);
  };
  checks?.show(input.results);
  setPassed(input.passed, input.allPassed);
  return {
    showResults: (r) => checks?.show(r),
    setPassed,
    actionDone: (a, code) => actions.done(a, code),
    focusTitle: () => title.focus({ preventScroll: true }),
    footerButton: (delta) => (delta < 0 ? previous : next),
  };
}
