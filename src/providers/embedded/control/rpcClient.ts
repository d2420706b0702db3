/** The client side of the control socket, used by the CLI and the extension. */
import { Socket, connect } from 'node:net';
import { readJsonLines, writeJsonLine } from './jsonLines';
import { LabError } from './labError';
import type { LabEvent, LabMethod, LabMethods, RpcResponse } from './protocol';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a value shaped like an event (`event` string) or a response (numeric `id` with a result or an error with a message). */
function isMessage(v: unknown): v is RpcResponse | LabEvent {
  if (!isObject(v)) return false;
  if (typeof v.event === 'string') return true;
  if (typeof v.id !== 'number') return false;
  return 'error' in v ? isObject(v.error) && typeof v.error.message === 'string' : 'result' in v;
}

/** A connection to one running lab. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private closedError?: Error;

  private constructor(private readonly socket: Socket) {
    readJsonLines(socket, (msg) => this.receive(msg), (line) => this.malformed(line));
    socket.on('close', () => this.failAll(new LabError('the lab process closed the connection (did it stop or crash?)')));
    socket.on('error', (e) => this.failAll(e));
  }

  /** Connects to the socket at `path`; rejects with the raw errno error (ENOENT, ECONNREFUSED) so callers can tell "not running". */
  static connect(path: string, timeoutMs = 5000): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new LabError(`timed out connecting to ${path}`));
      }, timeoutMs);
      const onError = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        resolve(new RpcClient(socket));
      });
      socket.once('error', onError);
    });
  }

  /** Calls a method; rejects with a {@link LabError} carrying the lab's code and field. */
  call<M extends LabMethod>(method: M, params: LabMethods[M]['params'], timeoutMs = 120_000): Promise<LabMethods[M]['result']> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs > 0 ? setTimeout(() => {
        this.pending.delete(id);
        reject(new LabError(`the lab did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs) : undefined;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      writeJsonLine(this.socket, { id, method, params });
    });
  }

  /** Registers a listener for events pushed on this connection; returns a function that removes it. */
  onEvent(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a listener for the connection closing; returns a function that removes it. */
  onClose(listener: () => void): () => void {
    this.socket.once('close', listener);
    return () => void this.socket.removeListener('close', listener);
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  /** A line that is not a response or an event means the other end does not speak this protocol: fail loudly, once. */
  private malformed(line: string): void {
    const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    this.failAll(new LabError(`the lab process sent a malformed message (${JSON.stringify(shown)}); the connection was closed. Is \`podnet\` the same version as the running lab?`));
    this.socket.destroy();
  }

  private receive(raw: unknown): void {
    if (!isMessage(raw)) return this.malformed(JSON.stringify(raw) ?? String(raw));
    const msg = raw;
    if ('event' in msg) {
      for (const l of this.listeners) l(msg);
      return;
    }
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    clearTimeout(waiter.timer);
    if ('error' in msg) waiter.reject(new LabError(msg.error.message, msg.error.code, msg.error.field));
    else waiter.resolve(msg.result);
  }

  private failAll(e: Error): void {
    this.closedError ??= e;
    for (const [, w] of this.pending) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    this.pending.clear();
  }
}
