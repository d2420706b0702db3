/** The pods/exec subresource over WebSocket (channel.k8s.io v4/v5): runs the command a test's handler chooses, for real. */
import type { WebSocket } from 'ws';
import { run, ToolMissingError } from '../../../src/util/exec';
import type { StoredObject } from './store';
import { failure, type StatusBody } from './status';

/** Decides what really runs for an exec into a Pod (e.g. `docker exec -i <node> ...`); throw to refuse. */
export type ExecHandler = (pod: StoredObject, container: string, argv: string[]) => { argv: string[] };

/** The default handler: refuses, since a stand-in has no containers of its own. */
export const refuseExec: ExecHandler = (pod) => {
  throw new Error(`the stand-in has no exec handler for pod ${pod.metadata.name}`);
};

/** What one exec request asked for and how it ended, for tests to inspect. */
export interface ExecSessionRecord {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  protocol: string;
  /** The argv the handler chose (undefined when it refused). */
  spawned?: string[];
  /** Exit code of the spawned program, when it ran to the end. */
  code?: number;
  /** The client closed the socket before the command finished (e.g. its timeout). */
  closedByClient: boolean;
}

/** Parsed exec query: the command and which streams the client wants. */
export interface ExecQuery {
  command: string[];
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

const CLOSE_STREAM = 255;
const FRAME = 32 * 1024;

function send(ws: WebSocket, channel: number, data: Buffer): void {
  for (let at = 0; at < data.length || at === 0; at += FRAME) {
    ws.send(Buffer.concat([Buffer.from([channel]), data.subarray(at, at + FRAME)]));
    if (data.length === 0) break;
  }
}

function exitStatus(argv: string[], code: number): StatusBody {
  if (code === 0) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  return failure(
    500,
    'NonZeroExitCode',
    `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    { causes: [{ reason: 'ExitCode', message: String(code) }] },
  );
}

/** Reads stdin frames until the client closes stdin (v5 close frame) or the socket. */
function collectStdin(ws: WebSocket, wanted: boolean): Promise<string> {
  if (!wanted) return Promise.resolve('');
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const done = (): void => resolve(Buffer.concat(parts).toString('utf8'));
    ws.on('message', (raw: Buffer) => {
      if (raw[0] === 0) parts.push(raw.subarray(1));
      else if (raw[0] === CLOSE_STREAM && raw[1] === 0) done();
    });
    ws.on('close', done);
  });
}

/** Serves one exec WebSocket: stdin in, then the handler's program runs, stdout/stderr and a status Status out, then close. */
export async function serveExec(
  ws: WebSocket,
  pod: StoredObject,
  q: ExecQuery,
  handler: ExecHandler,
  record: ExecSessionRecord,
  timeoutMs: number,
): Promise<void> {
  let finished = false;
  // Like kube-apiserver (through the kubelet), a client that hangs up ends the program.
  const hangUp = new AbortController();
  ws.on('close', () => {
    if (!finished) record.closedByClient = true;
    hangUp.abort();
  });
  let argv: string[];
  try {
    argv = handler(pod, q.container, q.command).argv;
  } catch (e) {
    finished = true;
    send(ws, 3, Buffer.from(JSON.stringify(failure(500, 'InternalError', (e as Error).message))));
    ws.close(1000);
    return;
  }
  record.spawned = argv;
  const input = await collectStdin(ws, q.stdin);
  let status: StatusBody;
  // Output is streamed as the program writes it, as the real API server does (a watching program never exits by itself).
  const stream = (channel: number) => (text: string) => {
    if (ws.readyState === ws.OPEN && text) send(ws, channel, Buffer.from(text));
  };
  try {
    const r = await run(argv, {
      input, timeoutMs, signal: hangUp.signal,
      ...(q.stdout ? { onStdout: stream(1) } : {}), ...(q.stderr ? { onStderr: stream(2) } : {}),
    });
    record.code = r.code;
    status = exitStatus(q.command, r.code);
  } catch (e) {
    // The program could not be started: the runtime reports that as a failed Status, not an exit code.
    const msg = e instanceof ToolMissingError ? `exec: "${argv[0]}": executable file not found in $PATH` : (e as Error).message;
    status = failure(500, 'InternalError', msg);
  }
  if (ws.readyState !== ws.OPEN) return;
  finished = true;
  send(ws, 3, Buffer.from(JSON.stringify(status)));
  ws.close(1000);
}
