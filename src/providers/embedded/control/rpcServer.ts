/** The lab process's side of the control socket: dispatches typed requests and pushes events. */
import { Server, Socket, createServer } from 'node:net';
import { readJsonLines, writeJsonLine } from './jsonLines';
import { LabError } from './labError';
import type { LabEvent, LabMethod, LabMethods, RpcRequest, RpcResponse } from './protocol';

/** Handles one method; `emit` sends an event to this caller only (e.g. build progress). */
export type Handler<M extends LabMethod> = (params: LabMethods[M]['params'], ctx: { emit: (e: LabEvent) => void; socket: Socket }) => Promise<LabMethods[M]['result']>;

/** One handler per method. */
export type Handlers = { [M in LabMethod]: Handler<M> };

/** A control server with a set of watching sockets that receive every broadcast event. */
export class RpcServer {
  private readonly server: Server;
  private readonly watchers = new Set<Socket>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handlers: Handlers) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening on a Unix socket path. */
  listen(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => resolve());
    });
  }

  /** Adds `socket` to the receivers of {@link broadcast}. */
  watch(socket: Socket): void {
    this.watchers.add(socket);
    socket.once('close', () => this.watchers.delete(socket));
  }

  /** Sends an event to every watcher. */
  broadcast(event: LabEvent): void {
    for (const s of this.watchers) writeJsonLine(s, event);
  }

  /** Stops accepting and closes every connection. */
  close(): void {
    this.server.close();
    for (const s of this.sockets) s.destroy();
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined); // a client that vanishes mid-write: 'close' follows and forgets the socket
    readJsonLines(
      socket,
      (msg) => void this.dispatch(socket, msg as RpcRequest),
      () => writeJsonLine(socket, { id: 0, error: { code: 'BAD_REQUEST', message: 'malformed JSON line' } }),
    );
  }

  private async dispatch(socket: Socket, req: RpcRequest): Promise<void> {
    // Only the table's own entries: "constructor" or "__proto__" must not reach Object.prototype.
    const known = typeof req?.method === 'string' && Object.prototype.hasOwnProperty.call(this.handlers, req.method);
    const handler = known ? (this.handlers[req.method] as Handler<LabMethod>) : undefined;
    let response: RpcResponse;
    if (!handler || typeof req.id !== 'number') {
      response = { id: req?.id ?? 0, error: { code: 'BAD_REQUEST', message: `unknown method ${String(req?.method)}` } };
    } else {
      try {
        const result = await handler(req.params ?? {}, { emit: (e) => writeJsonLine(socket, e), socket });
        response = { id: req.id, result };
      } catch (e) {
        const err = e instanceof LabError ? e : new LabError(e instanceof Error ? e.message : String(e));
        response = { id: req.id, error: err.toBody() };
      }
    }
    writeJsonLine(socket, response);
  }
}
