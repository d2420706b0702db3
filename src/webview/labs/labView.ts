/**
 * The open lab: header, step navigator and the current step's page, plus what the panel remembers while the lab is
 * open (passed steps, the last results per step, how many hints are showing). Updates go to the parts that changed.
 */
import { html } from '../diagram/dom';
import type { Announce } from './announce';
import { renderHeader, type LabCommand, type LabHeader } from './labHeader';
import { trustNotice } from './listView';
import type { CheckResultView, KindRunView, LabPanelToHost, LabRunStateView, LabView } from './protocol';
import { renderNav, type StepNav } from './stepNav';
import { renderStepPage, type StepPage } from './stepPage';

const KEYS = ['data-run', 'data-go', 'data-testid'];

/** A selector that finds the same control again after a redraw ('' when the element has no stable key). */
function focusSelector(el: Element | null): string {
  const key = KEYS.find((k) => el?.hasAttribute(k));
  return key && el ? `[${key}="${CSS.escape(el.getAttribute(key) ?? '')}"]` : '';
}

/** Focuses a vscode-element once it has rendered (it only becomes focusable in its first update). */
function focusWhenReady(el: HTMLElement): void {
  const ready = (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  if (ready) void ready.then(() => el.focus());
  else el.focus();
}

/** What the lab view needs from main.ts. */
export interface LabScreenContext {
  trusted: boolean;
  post(m: LabPanelToHost): void;
  announce: Announce;
  /** Back to list: the panel shows the list it already has (the host is told too). */
  onBack(): void;
}

/** The lab view of one open lab. */
export class LabScreen {
  private step: string;
  private passed: Set<string>;
  private readonly results = new Map<string, CheckResultView[] | 'running'>();
  private readonly hints = new Map<string, number>();
  private readonly header: LabHeader;
  private readonly nav: StepNav;
  private readonly pageHost: HTMLElement;
  private readonly notice: HTMLElement;
  private page?: StepPage;

  constructor(
    root: HTMLElement,
    private lab: LabView,
    step: string,
    passedSteps: string[],
    private readonly ctx: LabScreenContext,
  ) {
    this.step = lab.steps.some((s) => s.id === step) ? step : (lab.steps[0]?.id ?? '');
    this.passed = new Set(passedSteps);
    root.replaceChildren();
    const shell = html('div', { class: 'lab-page', 'data-lab': lab.id }, undefined, root);
    this.header = renderHeader(shell, lab, (c) => this.command(c));
    this.notice = trustNotice(shell);
    this.setTrusted(ctx.trusted);
    const body = html('div', { class: 'lab-body' }, undefined, shell);
    this.nav = renderNav(body, lab.steps, (id) => this.goto(id, 'nav'));
    this.pageHost = html('main', { class: 'step-host' }, undefined, body);
    this.draw();
  }

  /** True when `lab` is this lab with the same steps, so a fresh `open` can update in place. */
  canReopen(lab: LabView): boolean {
    return lab.id === this.lab.id && lab.steps.map((s) => s.id).join('\n') === this.lab.steps.map((s) => s.id).join('\n');
  }

  /** A fresh `open` for this same lab: keeps results and hints, takes the host's step and passed steps. */
  reopen(lab: LabView, step: string, passedSteps: string[]): void {
    this.lab = lab;
    this.passed = new Set(passedSteps);
    const moved = step !== this.step && lab.steps.some((s) => s.id === step);
    if (moved) this.step = step;
    const focused = this.pageHost.contains(document.activeElement) ? focusSelector(document.activeElement) : undefined;
    this.draw();
    if (focused === undefined) return;
    // Redrawing replaced the focused control: put focus back on its twin, or on the title when the step changed.
    const twin = !moved && focused ? this.pageHost.querySelector<HTMLElement>(focused) : null;
    if (twin) focusWhenReady(twin);
    else this.page?.focusTitle();
  }

  /** Shows or hides the Restricted Mode notice (trust can be granted while the lab is open). */
  setTrusted(trusted: boolean): void {
    this.notice.toggleAttribute('hidden', trusted);
  }

  /** Shows the sandbox state in the header. */
  setState(state: LabRunStateView, message?: string): void {
    this.header.setState(state, message);
  }

  /** Shows a run of the pack on a kind cluster in the header. */
  setKindRun(run: KindRunView): void {
    this.header.setKindRun(run);
  }

  /** The host started checking `step`. */
  checking(step: string): void {
    this.results.set(step, 'running');
    if (step === this.step) this.page?.showResults('running');
  }

  /** The host finished checking `step`. */
  checks(step: string, results: CheckResultView[], stepPassed: boolean): void {
    this.results.set(step, results);
    if (stepPassed) this.passed.add(step);
    this.nav.update(this.step, this.passed);
    if (step === this.step) {
      this.page?.showResults(results);
      this.page?.setPassed(this.passed.has(step), this.allPassed());
    }
    const s = this.lab.steps.find((x) => x.id === step);
    const ok = results.filter((r) => r.passed).length;
    const failed = results.filter((r) => !r.passed).map((r) => `${s?.checks.find((c) => c.index === r.index)?.title ?? `check ${r.index + 1}`}: ${r.message}`);
    this.ctx.announce(
      `${s?.title ?? step}: ${ok} of ${results.length} checks passed.` + (stepPassed ? ' Step passed.' : '') + (failed.length ? ` Failed: ${failed.join('. ')}` : ''),
    );
  }

  /** An action finished: show its exit code by its Run button for a while. */
  actionDone(step: string, action: string, code: number): void {
    if (step === this.step) this.page?.actionDone(action, code);
    const title = this.lab.steps.find((s) => s.id === step)?.actions.find((a) => a.id === action)?.title ?? action;
    this.ctx.announce(`${title} finished with exit code ${code}.`);
  }

  private allPassed(): boolean {
    return this.lab.steps.every((s) => this.passed.has(s.id));
  }

  private command(c: LabCommand): void {
    this.ctx.post({ type: c });
    if (c === 'backToList') this.ctx.onBack();
  }

  private goto(id: string, from: 'nav' | -1 | 1): void {
    if (id === this.step || !this.lab.steps.some((s) => s.id === id)) return;
    this.step = id;
    this.ctx.post({ type: 'gotoStep', step: id });
    this.draw();
    const index = this.lab.steps.findIndex((s) => s.id === id);
    this.ctx.announce(`Step ${index + 1} of ${this.lab.steps.length}: ${this.lab.steps[index].title}`);
    window.scrollTo({ top: 0 });
    if (from === 'nav' || !this.page) return;
    // Previous/Next keep focus on themselves while they still lead somewhere, so paging through stays one key away.
    const b = this.page.footerButton(from);
    if (b.hasAttribute('disabled')) this.page.focusTitle();
    else focusWhenReady(b);
  }

  private draw(): void {
    const index = Math.max(0, this.lab.steps.findIndex((s) => s.id === this.step));
    const step = this.lab.steps[index];
    this.nav.update(this.step, this.passed);
    if (!step) {
      this.pageHost.replaceChildren(html('p', { class: 'empty' }, 'This lab has no steps.'));
      return;
    }
    this.page = renderStepPage(
      this.pageHost,
      {
        step,
        index,
        total: this.lab.steps.length,
        passed: this.passed.has(step.id),
        allPassed: this.allPassed(),
        results: this.results.get(step.id),
        hintsShown: this.hints.get(step.id) ?? 0,
      },
      {
        run: (action) => this.ctx.post({ type: 'runAction', step: step.id, action }),
        check: () => this.ctx.post({ type: 'checkStep', step: step.id }),
        hint: (shown) => this.hints.set(step.id, shown),
        go: (delta) => {
          const next = this.lab.steps[index + delta];
          if (next) this.goto(next.id, delta);
        },
      },
    );
  }
}
