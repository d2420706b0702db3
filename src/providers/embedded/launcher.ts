/** Starts and stops an embedded lab from the host side: preflight, sandbox process, build over the control socket. */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from '../../model/topology';
import { sleep } from '../../util/concurrency';
import { LabError } from './control/labError';
import type { LabEvent, LabStatus } from './control/protocol';
import { RpcClient } from './control/rpcClient';
import { type LabPaths, labPaths } from './labPaths';
import { preflight } from './preflight';
import { childPids, processAlive, sandboxArgv } from './sandboxProcess';
import type { ChildProcess } from 'node:child_process';
import { startProcess } from '../../util/exec';

/** Options for {@link startLab}. */
export interface StartOptions {
  lab: string;
  topology: Topology;
  cniPath?: string;
  onProgress?: (e: Extract<LabEvent, { event: 'progress' }>) => void;
  /** The bundled CLI that contains the lab process (defaults to dist/cli.js next to this bundle). */
  entry?: string;
}

let defaultEntry: string | undefined;

/** Names the script that contains the lab process (the CLI bundle sets itself, wherever it was copied). */
export function useLabProcessEntry(path: string): void {
  defaultEntry = path;
}

/** True when this process runs as real root (then the sandbox needs no user namespace). */
export const isRealRoot = (): boolean => process.getuid?.() === 0;

function ensureRuntimeDir(paths: LabPaths): void {
  mkdirSync(paths.runtimeDir, { recursive: true, mode: 0o700 });
  const st = statSync(paths.runtimeDir);
  if (st.uid !== process.getuid?.()) throw new LabError(`${paths.runtimeDir} belongs to another user; set PODNET_RUNTIME_DIR to a folder of your own`);
}

/** Removes what a lab process that is gone left on the host: its socket, its empty state dir, a start lock whose holder died, and the log unless kept. */
export function removeLeftovers(paths: LabPaths, keepLog = true): void {
  rmSync(paths.socket, { force: true });
  rmSync(paths.stateDir, { force: true, recursive: true });
  if (!keepLog) rmSync(paths.log, { force: true });
  if (!startInProgress(paths)) rmSync(`${paths.socket}.lock`, { force: true });
}

/** Connects to a running lab, or returns undefined if none runs (cleaning up after a crashed one). */
export async function connectLab(lab: string): Promise<RpcClient | undefined> {
  const paths = labPaths(lab);
  try {
    return await RpcClient.connect(paths.socket);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Refused or missing: the lab process (or its launcher) died without cleaning up, unless a start is in
    // progress (the socket exists between bind and listen), whose files must not be pulled from under it.
    if ((code === 'ECONNREFUSED' || code === 'ENOENT') && !startInProgress(paths)) removeLeftovers(paths);
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return undefined;
    throw e;
  }
}

/** Like {@link connectLab} but fails with a clear message when no lab runs. */
export async function requireLab(lab: string): Promise<RpcClient> {
  const client = await connectLab(lab);
  if (!client) throw new LabError(`no lab named "${lab}" is running. Start one with \`podnet lab up\``, 'NOT_FOUND', 'lab');
  return client;
}

function tailLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return ''; // no log to quote: the message still names its path
  }
}

function waitForReady(child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ready = child.stdio[3] as NodeJS.ReadableStream;
    let text = '';
    const fail = (why: string) => reject(new LabError(`the lab process ${why}${tailLog(log) ? `:\n${tailLog(log)}` : ''} (log: ${log})`));
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    ready.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with code ${code} before it was ready`);
    });
  });
}

/** True while another live process holds this lab's start lock. */
function startInProgress(paths: LabPaths): boolean {
  try {
    const holder = Number(readFileSync(`${paths.socket}.lock`, 'utf8'));
    return holder > 0 && processAlive(holder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // no lock: nobody is starting it
    throw new LabError(`cannot read the start lock ${paths.socket}.lock (${(e as NodeJS.ErrnoException).code}); remove it if no \`podnet lab up\` runs`, 'FAILED');
  }
}

/** Takes the per-lab start lock so two concurrent `lab up` runs cannot tread on each other's files. */
function takeStartLock(paths: LabPaths): () => void {
  const lock = `${paths.socket}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (holder && processAlive(holder)) throw new LabError(`another \`podnet lab up\` (PID ${holder}) is starting this lab right now`, 'CONFLICT', 'lab');
      rmSync(lock, { force: true }); // its owner died: take over
    }
  }
  throw new LabError(`could not take ${lock}`);
}

/** Builds a lab in a fresh sandbox; on any failure the sandbox is ended so nothing is left. */
export async function startLab(opts: StartOptions): Promise<LabStatus> {
  const paths = labPaths(opts.lab);
  ensureRuntimeDir(paths);
  const unlock = takeStartLock(paths);
  try {
    return await startLocked(opts, paths);
  } finally {
    unlock();
  }
}

async function startLocked(opts: StartOptions, paths: LabPaths): Promise<LabStatus> {
  const existing = await connectLab(opts.lab);
  if (existing) {
    const st = await existing.call('status', {}).finally(() => existing.close());
    throw new LabError(`lab "${opts.lab}" is already running (${st.nodes.length} nodes, ${st.pods.length} Pods, started ${st.startedAt}). Stop it first with \`podnet lab down\``, 'CONFLICT', 'lab');
  }
  const rootless = !isRealRoot();
  const tools = await preflight({ rootless, cniPath: opts.cniPath });
  removeLeftovers(paths, false);
  mkdirSync(paths.stateDir, { mode: 0o700 });
  const entry = opts.entry ?? process.env.PODNET_ENTRY ?? defaultEntry ?? join(__dirname, 'cli.js');
  const daemonArgv = [process.execPath, entry, '__lab-process', '--lab', opts.lab, '--socket', paths.socket, '--state', paths.stateDir, '--tools', JSON.stringify(tools), ...(rootless ? ['--rootless'] : [])];
  const logFd = openSync(paths.log, 'w', 0o600);
  const child = startProcess(sandboxArgv(tools, rootless, daemonArgv), {
    // Inside VS Code the runtime is Electron: ELECTRON_RUN_AS_NODE makes it the plain Node the lab process needs.
    detached: true, stdio: ['ignore', logFd, logFd, 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(logFd);
  let client: RpcClient | undefined;
  try {
    await waitForReady(child, paths.log, 15_000);
    const [labPid] = childPids(child.pid ?? -1);
    if (!labPid) throw new LabError('could not find the lab process inside the sandbox');
    client = await RpcClient.connect(paths.socket);
    if (opts.onProgress) client.onEvent((e) => e.event === 'progress' && opts.onProgress?.(e));
    const status = await client.call('build', { topology: opts.topology, sandboxPid: labPid }, 300_000);
    child.unref();
    (child.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
    return status;
  } catch (e) {
    child.kill('SIGKILL'); // --kill-child takes the lab process and its PID namespace with it
    await waitForExit(child.pid ?? -1, 5000);
    removeLeftovers(paths, (e as Error).message.includes(paths.log)); // a log nobody is pointed to is clutter
    throw e;
  } finally {
    client?.close();
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/** Stops a running lab (also one still being started) and waits until its process, and so every namespace, is gone. */
export async function stopLab(lab: string): Promise<{ sandboxPid: number }> {
  const client = await requireLab(lab);
  const closed = new Promise<void>((resolve) => client.onClose(resolve));
  let pid = 0;
  try {
    // A lab that is still being started has no status yet, and no PID to wait for: shutdown still stops it.
    pid = await client.call('status', {}).then((st) => st.sandboxPid, (e: unknown) => {
      if (e instanceof LabError && e.code === 'CONFLICT') return 0;
      throw e;
    });
    await client.call('shutdown', {});
    if (!pid) await closedWithin(closed, 10_000);
  } finally {
    client.close();
  }
  if (pid && !(await waitForExit(pid, 10_000))) {
    process.kill(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 5000))) throw new LabError(`the lab process (PID ${pid}) of "${lab}" did not end, even after SIGKILL; check it with \`ps -p ${pid}\``);
  }
  const paths = labPaths(lab);
  if (!pid) await waitForSocketRefused(paths.socket);
  removeLeftovers(paths, false);
  if (existsSync(paths.socket)) throw new LabError(`could not remove ${paths.socket}`);
  return { sandboxPid: pid };
}

/** Waits for `closed`, at most `ms` (the timer must not keep the CLI alive once the connection closed). */
async function closedWithin(closed: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Waits until nothing accepts connections on `socket` any more (the lab process ended); fails after 10 s. */
async function waitForSocketRefused(socket: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const still = await RpcClient.connect(socket, 1000).then((c) => (c.close(), true), () => false);
    if (!still) return;
    if (Date.now() > deadline) throw new LabError(`the lab process behind ${socket} did not stop within 10 s`);
    await sleep(50);
  }
}
