/**
 * Running one lab action, the one implementation the CLI runner (`podnet lab run`) and the VS Code lab panel
 * both call: `{{ip:NAME}}` filled from the live lab, the `podnet` CLI run with the exact argv through the
 * shared process runner (src/util/exec.ts), output decoded as a stream and capped, and the outcome recorded
 * for the step's checks the same way whether the action ran, timed out or could not start.
 */
import type { LabProvider } from '../providers/provider';
import { run } from '../util/exec';
import { type ActionTarget, actionArgv } from './describe';
import { fillPlaceholders } from './placeholders';
import { type LabRunState, recordActionOutput } from './state';
import type { LabAction } from './types';

/** How long an action may run before it is killed, unless told otherwise. */
export const DEFAULT_ACTION_TIMEOUT_MS = 120_000;
/** Exit code of an action killed at its timeout (as coreutils `timeout` reports it). */
export const ACTION_TIMEOUT_EXIT = 124;
/** Exit code of an action that could not run at all (the CLI could not start, or a placeholder has no value). */
export const ACTION_NOT_RUN_EXIT = 127;
/** Each of stdout and stderr is kept up to this many bytes (the terminal still shows everything). */
export const MAX_ACTION_OUTPUT = 1024 * 1024;

/** How an action's process ended and what it printed. */
export interface ActionOutcome {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Where and how actions run. */
export interface ActionRunOptions {
  /** The bundled CLI (dist/cli.js), run by this process's Node (VS Code's, with ELECTRON_RUN_AS_NODE). */
  cliEntry: string;
  /** The pack's folder: relative files in an action are relative to it. */
  cwd: string;
  timeoutMs: number;
  /** Output as it arrives, decoded as one stream (a character split across chunks stays whole). */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  signal?: AbortSignal;
}

/** Runs `podnet ARGV...` (argv[0] is "podnet") through the CLI entry, never a shell; never rejects. */
export async function runActionArgv(argv: string[], opts: ActionRunOptions): Promise<ActionOutcome> {
  const started = Date.now();
  try {
    const r = await run([process.execPath, opts.cliEntry, ...argv.slice(1)], {
      cwd: opts.cwd, timeoutMs: opts.timeoutMs, maxOutputBytes: MAX_ACTION_OUTPUT, onStdout: opts.onStdout, onStderr: opts.onStderr, signal: opts.signal,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PODNET_DEBUG: '' },
    });
    const code = r.timedOut ? ACTION_TIMEOUT_EXIT : r.code < 0 ? 1 : r.code; // -1: killed by a signal other than our timeout
    return { code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, ms: Date.now() - started };
  } catch (e) {
    const stderr = `could not start ${process.execPath} ${opts.cliEntry}: ${(e as Error).message}`;
    opts.onStderr?.(stderr);
    return { code: ACTION_NOT_RUN_EXIT, stdout: '', stderr, timedOut: false, ms: Date.now() - started };
  }
}

/** What running one action in a lab needs. */
export interface LabActionContext extends ActionRunOptions {
  /** `--lab NAME`, or `--context CTX` on a cluster. */
  lab: ActionTarget;
  provider: LabProvider;
  state: LabRunState;
  /** Called with the final argv just before it runs (or fails to). */
  onStart?: (argv: string[]) => void;
}

/** A lab action that ran (or failed to), with the exact argv. */
export interface LabActionResult extends ActionOutcome {
  argv: string[];
}

/**
 * Runs one action: fills `{{ip:NAME}}` from the live lab, runs the argv, and records the outcome for the checks;
 * a placeholder with no value is recorded as a failed action that did not run (exit 127, the reason on stderr).
 */
export async function runLabAction(action: LabAction, ctx: LabActionContext): Promise<LabActionResult> {
  let argv = actionArgv(action, ctx.lab);
  let out: ActionOutcome;
  try {
    argv = fillPlaceholders(argv, await ctx.provider.status());
  } catch (e) {
    ctx.onStart?.(argv);
    const stderr = (e as Error).message;
    ctx.onStderr?.(stderr);
    out = { code: ACTION_NOT_RUN_EXIT, stdout: '', stderr, timedOut: false, ms: 0 };
    recordActionOutput(ctx.state, action.id, { argv, title: action.title, ...out });
    return { argv, ...out };
  }
  ctx.onStart?.(argv);
  out = await runActionArgv(argv, ctx);
  recordActionOutput(ctx.state, action.id, { argv, title: action.title, ...out });
  return { argv, ...out };
}
