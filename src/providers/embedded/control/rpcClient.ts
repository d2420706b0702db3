/** The client side of the control socket, used by the CLI and the extension. */
import { Socket, connect } from 'node:net';
import { readJsonLines, writeJsonLine } from './jsonLines';
import { LabError } from './labError';
import type { LabEvent, LabMethod, LabMethods, RpcResponse } from './protocol';

/** A connection to one running lab. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private closedError?: Error;

  private constructor(private readonly socket: Socket) {
    readJsonLines(socket, (msg) => this.receive(msg as RpcResponse | LabEvent));
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
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(new RpcClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
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

  /** Registers a listener for the connection closing. */
  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  private receive(msg: RpcResponse | LabEvent): void {
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
