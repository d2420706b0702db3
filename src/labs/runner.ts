/**
 * Runs a lab pack end to end: starts its topology, runs each step's actions the way a learner would (the
 * `podnet` CLI with the exact argv, never a shell), grades the step's checks, and always tears the lab down.
 */
import { join } from 'node:path';
import { EmbeddedLab } from '../providers/embedded/embeddedLab';
import { startLab, stopLab } from '../providers/embedded/launcher';
import { isValidLabName } from '../providers/embedded/labPaths';
import type { LabProvider } from '../providers/provider';
import { DEFAULT_ACTION_TIMEOUT_MS, runActionArgv, runLabAction } from './actionRun';
import type { ActionTarget } from './describe';
import { gradeChecks } from './gradeChecks';
import { runLabPackOnKind } from './kindRun';
import { createRunState, type LabRunState } from './state';
import type { LabAction, LabPack, LabStep } from './types';

/** Options for {@link runLabPack}. */
export interface RunOptions {
  /** Lab name; default `pack-<id>`. */
  lab?: string;
  /** Leave the lab running afterwards. */
  keep?: boolean;
  cniPath?: string;
  /** The bundled CLI (dist/cli.js) that runs the lab process and the actions; default: beside this bundle. */
  cliEntry?: string;
  /** Per action; default 120 s. */
  actionTimeoutMs?: number;
  onEvent?: (e: RunEvent) => void;
  /** Stops the run before the next action or check (the lab is still torn down), e.g. when nobody reads the output any more. */
  signal?: AbortSignal;
  /** Run on this existing kind cluster (made by `podnet kind create`, context kind-NAME) instead of an embedded lab. */
  kind?: string;
  /** On kind: the image of the pack's Pods (default: that of the Pods PodNet made there, else agnhost). */
  workloadImage?: string;
}

/** What one action printed. */
export interface ActionResult {
  id: string;
  title?: string;
  /** The exact argv that ran, `--lab` included. */
  argv: string[];
  usesShell: boolean;
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** One graded check. */
export interface CheckResult {
  type: string;
  /** The check's title, or a description of it when the pack gave none. */
  title: string;
  passed: boolean;
  message: string;
}

/** One step's actions and checks. */
export interface StepResult {
  id: string;
  title: string;
  passed: boolean;
  actions: ActionResult[];
  checks: CheckResult[];
  hints: string[];
}

/** The whole run; `passed` only when the lab came up and every check of every step passed. */
export interface LabRunResult {
  pack: { id: string; title: string; version: string; dir: string };
  lab: string;
  passed: boolean;
  steps: StepResult[];
  /** Why the run stopped early (the lab did not start, or died). */
  error?: string;
  kept: boolean;
  durationMs: number;
}

/** Progress, in order, for a UI or the CLI to print as it happens. */
export type RunEvent =
  | { kind: 'lab-up'; lab: string; nodes: number; pods: number; rootless: boolean; cluster?: string }
  | { kind: 'step'; index: number; total: number; step: LabStep }
  | { kind: 'action-start'; step: string; id: string; title?: string; argv: string[]; usesShell: boolean }
  | { kind: 'action'; step: string; result: ActionResult }
  | { kind: 'check'; step: string; result: CheckResult }
  | { kind: 'step-done'; result: StepResult }
  | { kind: 'teardown'; lab: string; kept: boolean };

/** Runs one action's argv through the CLI entry (no shell), with a timeout and capped output: see {@link runActionArgv}. */
export const runAction = runActionArgv;

/** What running a pack's steps needs, on an embedded lab or a cluster alike. */
export interface StepContext {
  pack: LabPack;
  /** `--lab NAME`, or `--context CTX` on a cluster. */
  lab: ActionTarget;
  provider: LabProvider;
  state: LabRunState;
  cliEntry: string;
  emit: (e: RunEvent) => void;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Throws when the run was asked to stop, with the reason given (an Error's message) or a generic one. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw new Error(`it was stopped (${reason instanceof Error ? reason.message : 'asked to stop'})`, { cause: reason });
}

/** Runs one action the way the lab panel does too (see {@link runLabAction}), announcing it before it runs. */
async function runOneAction(action: LabAction, ctx: StepContext, step: string): Promise<ActionResult> {
  const out = await runLabAction(action, {
    lab: ctx.lab, provider: ctx.provider, state: ctx.state, cliEntry: ctx.cliEntry, cwd: ctx.pack.dir, timeoutMs: ctx.timeoutMs, signal: ctx.signal,
    onStart: (argv) => ctx.emit({ kind: 'action-start', step, id: action.id, title: action.title, argv, usesShell: !!action.usesShell }),
  });
  return { id: action.id, ...(action.title ? { title: action.title } : {}), usesShell: !!action.usesShell, ...out };
}

/** Runs a step's actions in order, then grades its checks in order. */
export async function runStep(step: LabStep, ctx: StepContext): Promise<StepResult> {
  const res: StepResult = { id: step.id, title: step.title, passed: true, actions: [], checks: [], hints: step.hints };
  for (const action of step.actions) {
    throwIfStopped(ctx.signal);
    const ar = await runOneAction(action, ctx, step.id);
    res.actions.push(ar);
    ctx.emit({ kind: 'action', step: step.id, result: ar });
  }
  await gradeChecks(step.checks, { lab: ctx.provider, state: ctx.state }, {
    beforeEach: () => throwIfStopped(ctx.signal),
    onResult: ({ type, title, passed, message }) => {
      const cr: CheckResult = { type, title, passed, message };
      res.checks.push(cr);
      res.passed &&= cr.passed;
      ctx.emit({ kind: 'check', step: step.id, result: cr });
    },
  });
  ctx.emit({ kind: 'step-done', result: res });
  return res;
}

/** Brings up the pack's lab, runs every step, and tears the lab down (unless `keep`), whatever happens. */
export async function runLabPack(pack: LabPack, opts: RunOptions = {}): Promise<LabRunResult> {
  if (opts.kind !== undefined) return runLabPackOnKind(pack, { ...opts, kind: opts.kind });
  const started = Date.now();
  const lab = opts.lab ?? `pack-${pack.id}`;
  if (!isValidLabName(lab)) throw new Error(`"${lab}" is not a valid lab name (lowercase letters, digits and "-", at most 32); pass another with --lab`);
  const cliEntry = opts.cliEntry ?? process.env.PODNET_ENTRY ?? join(__dirname, 'cli.js');
  const emit = opts.onEvent ?? (() => undefined);
  const result: LabRunResult = {
    pack: { id: pack.id, title: pack.title, version: pack.version, dir: pack.dir }, lab, passed: false, steps: [], kept: !!opts.keep, durationMs: 0,
  };
  let status;
  try {
    status = await startLab({ lab, topology: pack.topology, cniPath: opts.cniPath, entry: cliEntry });
  } catch (e) {
    // Nothing of ours is running: a lab of that name may be someone else's, so it is not stopped.
    result.error = `the lab "${lab}" could not be started: ${(e as Error).message}`;
    result.kept = false;
    return { ...result, durationMs: Date.now() - started };
  }
  emit({ kind: 'lab-up', lab, nodes: status.nodes.length, pods: status.pods.length, rootless: status.rootless });
  let provider: EmbeddedLab | undefined;
  try {
    provider = await EmbeddedLab.connect(lab);
    const state = createRunState(status);
    for (const [index, step] of pack.steps.entries()) {
      emit({ kind: 'step', index, total: pack.steps.length, step });
      throwIfStopped(opts.signal);
      result.steps.push(await runStep(
        step, { pack, lab, provider, state, cliEntry, emit, timeoutMs: opts.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS, signal: opts.signal },
      ));
    }
    result.passed = result.steps.every((s) => s.passed);
  } catch (e) {
    result.error = `the run stopped: ${(e as Error).message}`;
    result.passed = false;
  } finally {
    provider?.close();
    if (!opts.keep) {
      try {
        await stopLab(lab);
      } catch (e) {
        result.error = `${result.error ? `${result.error}; ` : ''}tearing down the lab "${lab}" failed: ${(e as Error).message} (run \`podnet lab down --lab ${lab}\`)`;
        result.passed = false;
      }
    }
    emit({ kind: 'teardown', lab, kept: !!opts.keep });
  }
  return { ...result, durationMs: Date.now() - started };
}
