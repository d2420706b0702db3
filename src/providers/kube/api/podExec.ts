/** Runs a command in a container through the API's exec subresource (client-node's Exec over WebSocket) and collects what it printed and its exit code. */
import { Readable, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { ExecResult } from '../../embedded/control/protocol';
import type { KubeExecOptions } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { describeApiError } from './errors';

/** Default time a command may run. */
export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

/** A Writable that keeps everything written to it. */
class Collector extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.parts.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/** The exit code a V1Status stands for: 0 on Success, the ExitCode cause on NonZeroExitCode, 126/127 when the command could not be run. */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  if (status.reason === 'NonZeroExitCode' && Number.isInteger(code)) return code;
  return /not found|no such file/i.test(status.message ?? '') ? 127 : 126;
}

type WebSocketLike = Awaited<ReturnType<Exec['exec']>>;

/** The socket once it is open, or undefined when `ms` passed first (a socket opening later is closed at once). */
async function within(connecting: Promise<WebSocketLike>, ms: number): Promise<WebSocketLike | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    const ws = await Promise.race([connecting, gaveUp]);
    // A late socket is closed; a late failure no longer matters to anyone.
    if (!ws) connecting.then((late) => late.terminate(), () => undefined);
    return ws;
  } finally {
    clearTimeout(timer);
  }
}

/** Where the command runs, for messages. */
export interface ExecWhere {
  namespace: string;
  pod: string;
  container: string;
  context: string;
  server: string;
  /** The exec credential plugin of the context's user, if any. */
  plugin?: string;
}

/** Runs argv in the container and resolves when its exit status arrived, or with timedOut after opts.timeoutMs (the socket is then closed). */
export async function execInContainer(config: KubeConfig, w: ExecWhere, argv: string[], opts: KubeExecOptions = {}): Promise<ExecResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const stdin = opts.input !== undefined ? Readable.from(opts.input ? [Buffer.from(opts.input)] : []) : null;
  let status: V1Status | undefined;
  const action = { verb: 'create', resource: 'pods/exec', namespace: w.namespace, name: w.pod, context: w.context, server: w.server, plugin: w.plugin };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const startedAt = Date.now();
  const connecting = new Exec(config).exec(w.namespace, w.pod, w.container, argv, stdout, stderr, stdin, false, (s) => {
    status = s;
  });
  let ws: WebSocketLike | undefined;
  try {
    ws = await within(connecting, timeoutMs);
  } catch (e) {
    throw describeApiError(e, action);
  }
  if (!ws) return { code: -1, stdout: '', stderr: '', timedOut: true }; // the server did not even accept the WebSocket in time
  const socket = ws;
  return new Promise<ExecResult>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.terminate();
    }, Math.max(0, timeoutMs - (Date.now() - startedAt)));
    socket.on('close', () => {
      clearTimeout(timer);
      if (timedOut) return resolve({ code: -1, stdout: stdout.text(), stderr: stderr.text(), timedOut: true });
      if (!status) {
        return reject(new KubeAccessError(`the exec connection to pod ${w.namespace}/${w.pod} closed before the command's exit status arrived: check that the Pod still runs and retry`, 'FAILED'));
      }
      const code = exitCodeOf(status);
      const note = code >= 126 && status.status !== 'Success' && status.message ? `${status.message}\n` : '';
      resolve({ code, stdout: stdout.text(), stderr: stderr.text() + note, timedOut: false });
    });
  });
}
