/**
 * A long-lived `nft -i` in one node's namespace, for kube-proxy's small partial updates: starting nsenter and nft for every
 * update costs more than the update itself. Each update is one input line, so one nft transaction (all or nothing).
 * Completion is seen by a marker: a `list table` of a table that does not exist, whose error nft prints on stderr after
 * the update's own errors (one stream, so in order).
 */
import type { ChildProcess } from 'node:child_process';
import { startProcess } from '../../../../util/exec';

/** Updates longer than this go through `nft -f` instead (one line is read whole; keep lines modest). */
export const NFT_SESSION_MAX_BYTES = 16_000;
const MARKER = 'podnet-sync-mark-';

/** One `nft -i` process; updates run one at a time. */
export class NftSession {
  private child?: ChildProcess;
  private stderr = '';
  private seq = 0;
  private waiter?: { token: string; resolve: () => void; reject: (e: Error) => void };
  private queue: Promise<unknown> = Promise.resolve();

  /** `argv` starts `nft -i` in the node's namespace (nsenter ... nft -i). */
  constructor(private readonly argv: string[], private readonly what: string) {}

  /** Applies `script` (nft commands, one per line, no comments spanning lines) as one transaction. */
  apply(script: string, timeoutMs = 20_000): Promise<void> {
    const next = this.queue.then(() => this.applyNow(script, timeoutMs));
    this.queue = next.catch(() => undefined); // the caller gets the failure; the next update still runs
    return next;
  }

  /** Ends the process. */
  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private start(): ChildProcess {
    const child = startProcess(this.argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => this.child === child && this.received(d));
    child.on('exit', (code, signal) => this.ended(child, `nft -i for ${this.what} ended (${signal ?? `exit ${code}`})`));
    child.on('error', (e) => this.ended(child, `nft -i for ${this.what} could not run: ${e.message}`));
    child.stdin?.on('error', () => undefined); // a dead process is reported by 'exit'
    this.child = child;
    this.stderr = '';
    return child;
  }

  private applyNow(script: string, timeoutMs: number): Promise<void> {
    const line = script.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
    if (!line) return Promise.resolve();
    const child = this.child ?? this.start();
    const token = `${MARKER}${++this.seq}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`nft -i for ${this.what} did not finish an update within ${timeoutMs} ms`));
        this.close();
      }, timeoutMs);
      this.waiter = {
        token,
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      child.stdin?.write(`${line}\nlist table ip ${token}\n`);
    });
  }

  /** Collects stderr; once the marker's error is there, what came before it is the update's own output (empty: it worked). */
  private received(text: string): void {
    this.stderr += text;
    const w = this.waiter;
    if (!w) return;
    const at = this.stderr.indexOf(`\nlist table ip ${w.token}\n`);
    if (at < 0) return;
    const caretEnd = this.stderr.indexOf('\n', at + w.token.length + 16);
    if (caretEnd < 0) return; // the caret line has not arrived yet
    const markerError = this.stderr.lastIndexOf('Error:', at);
    const own = this.stderr.slice(0, Math.max(0, markerError)).trim();
    this.stderr = this.stderr.slice(caretEnd + 1);
    this.waiter = undefined;
    if (own) w.reject(new Error(`updating ${this.what} failed: ${own.split('\n').slice(0, 3).join(' | ')}`));
    else w.resolve();
  }

  private ended(child: ChildProcess, why: string): void {
    if (this.child !== child) return; // an earlier process, closed on purpose: the current update is not its business
    this.child = undefined;
    this.fail(new Error(why));
  }

  private fail(e: Error): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }
}
