/**
 * The one module that starts processes: argv arrays only, never a shell. `run`/`runOk` run to completion with a
 * timeout and capture output; `runAttached` gives a program this terminal (interactive `podnet exec`); `startProcess`
 * starts one that outlives the call (the lab sandbox, containers, the mount holder), its output going to a file or pipe.
 */
import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';

/** Options for {@link run}. */
export interface RunOptions {
  /** Written to the child's stdin, then stdin is closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /** Receives stdout as it arrives, decoded as one stream (a character split across chunks stays whole). */
  onStdout?: (text: string) => void;
  /** Receives stderr as it arrives, decoded the same way. */
  onStderr?: (text: string) => void;
  /** Aborting kills the child (SIGTERM, then SIGKILL after 2 s); the result then has `aborted: true`. */
  signal?: AbortSignal;
  /** Keep at most this many bytes of each of stdout and stderr in the result (callbacks still see everything); default: all. */
  maxOutputBytes?: number;
}

/** What a finished child produced. */
export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when `signal` was aborted before the child ended. */
  aborted?: boolean;
}

/** Default timeout for short tool calls (ip, CNI plugins, nsenter). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A failed command: keeps the argv (copy-pasteable) and what it printed. */
export class RunError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
    context?: string,
  ) {
    const why = result.timedOut
      ? 'timed out'
      : result.signal
        ? `was killed by ${result.signal}`
        : `exited with ${result.code}`;
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    super(`${context ? `${context}: ` : ''}${prettyCommand(argv)} ${why}${detail ? `: ${detail}` : ''}`);
    this.name = 'RunError';
  }
}

/** A program that is not installed (ENOENT when spawning). */
export class ToolMissingError extends Error {
  constructor(readonly tool: string, hint: string) {
    super(`${tool} was not found. ${hint}`);
    this.name = 'ToolMissingError';
  }
}

/** True when a command could not start because its program is not installed where it ran: exit 127/126, or a runtime's or busybox's "not found". */
export function programMissing(res: { code: number; stderr: string }): boolean {
  return res.code === 127 || res.code === 126 || (res.code !== 0 && /executable file not found|failed to execute|applet not found/.test(res.stderr));
}

/** Quotes argv the way a user could paste it into a POSIX shell. */
export function prettyCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** One output stream of a child: kept as bytes up to a cap, and passed on as text decoded as one stream. */
function collect(stream: NodeJS.ReadableStream, cap: number, onText?: (text: string) => void): { text: () => string; flush: () => void } {
  const chunks: Buffer[] = [];
  let kept = 0;
  const decoder = onText ? new StringDecoder('utf8') : undefined;
  stream.on('data', (d: Buffer) => {
    if (kept < cap) {
      const part = kept + d.length > cap ? d.subarray(0, cap - kept) : d;
      chunks.push(part);
      kept += part.length;
    }
    if (decoder) onText?.(decoder.write(d));
  });
  return {
    text: () => Buffer.concat(chunks).toString('utf8'),
    flush: () => {
      const rest = decoder?.end();
      if (rest) onText?.(rest);
    },
  };
}

/** The parent of every process in /proc (a process that ends while it is read is left out). */
function parentsByPid(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended between the listing and the read: nothing to kill
    }
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

/**
 * Sends `sig` to the child and everything it started (found through /proc): a command run through nsenter leaves its real
 * process as a grandchild, which would otherwise outlive a timeout and hold the caller's pipes open.
 */
export function killTree(child: ChildProcess, sig: NodeJS.Signals): void {
  const pids: number[] = [];
  if (child.pid !== undefined) {
    const byParent = parentsByPid();
    for (let i = 0, queue = [child.pid]; i < queue.length; i++) {
      for (const c of byParent.get(queue[i]) ?? []) {
        pids.push(c);
        queue.push(c);
      }
    }
  }
  child.kill(sig);
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone (ESRCH) or not ours to signal (EPERM): either way there is nothing more this call can do.
    }
  }
}

/** After a kill, stop waiting for pipes a process outside our reach may still hold: end them 1 s after the child exits. */
function releasePipesAfterKill(child: ChildProcess, killed: () => boolean): void {
  child.once('exit', () => {
    if (!killed()) return;
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, 1000).unref();
  });
}

/** Runs argv to completion and resolves with its result, whatever the exit code; the one place that spawns a process and waits for it. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      shell: false,
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let aborted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, 'SIGKILL');
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onAbort = () => {
      aborted = true;
      killTree(child, 'SIGTERM');
      setTimeout(() => killTree(child, 'SIGKILL'), 2000).unref();
    };
    releasePipesAfterKill(child, () => timedOut || aborted);
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cap = opts.maxOutputBytes ?? Infinity;
    const out = collect(child.stdout, cap, opts.onStdout);
    const err = collect(child.stderr, cap, opts.onStderr);
    child.stdin.on('error', () => undefined); // the child may exit before reading its input
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') {
        reject(new ToolMissingError(argv[0], 'Run `npm run setup` (as root) to install the tools PodNet Lab needs.'));
      } else {
        reject(e);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      out.flush();
      err.flush();
      resolve({ code: code ?? -1, signal, stdout: out.text(), stderr: err.text(), timedOut, ...(aborted ? { aborted } : {}) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs argv and rejects with a {@link RunError} unless it exits 0. */
export async function runOk(argv: readonly string[], opts: RunOptions = {}, context?: string): Promise<RunResult> {
  const result = await run(argv, opts);
  if (result.code !== 0 || result.timedOut) throw new RunError(argv, result, context);
  return result;
}

/** Options for {@link startProcess}. */
export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdio: StdioOptions;
  /** Its own process group, so it can outlive this process (the lab sandbox). */
  detached?: boolean;
}

/** Starts argv without waiting for it, for a process that outlives the call; the caller owns its lifetime (kill, exit, its stdio). */
export function startProcess(argv: readonly string[], opts: StartOptions): ChildProcess {
  return spawn(argv[0], argv.slice(1), { shell: false, env: opts.env ?? process.env, cwd: opts.cwd, stdio: opts.stdio, detached: opts.detached });
}

/**
 * Runs argv with this terminal attached (stdin, stdout and stderr inherited), passing SIGINT and SIGTERM on; resolves
 * with its exit code the way a shell reports it: 128 + N when killed by signal N, 124 when `timeoutMs` (0: none) ran out.
 */
export function runAttached(argv: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { shell: false, stdio: 'inherit', env: opts.env ?? process.env });
    let timedOut = false;
    const timer = opts.timeoutMs ? setTimeout(() => {
      timedOut = true;
      killTree(child, 'SIGKILL');
    }, opts.timeoutMs) : undefined;
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', forward).off('SIGTERM', forward);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      done();
      reject(e.code === 'ENOENT' ? new ToolMissingError(argv[0], 'Run `npm run setup` (as root) to install the tools PodNet Lab needs.') : e);
    });
    child.once('close', (code, signal) => {
      done();
      resolve(timedOut ? 124 : code ?? 128 + (osConstants.signals[signal as NodeJS.Signals] ?? 0));
    });
  });
}
