/** Starts and stops the test dockerd in a network namespace of its own, and the lock that serialises processes doing so. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run, runOk } from '../../../src/util/exec';
import { alive, runningDockerd, type EnginePaths } from './enginePaths';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when the daemon behind `socket` answers `docker version`. */
export async function answers(socket: string): Promise<boolean> {
  const r = await run(['docker', 'version', '--format', '{{.Server.Version}}'], {
    env: { ...process.env, DOCKER_HOST: `unix://${socket}` },
    timeoutMs: 10_000,
  });
  return r.code === 0 && r.stdout.trim() !== '';
}

/** Takes the cross-process engine lock (an atomic mkdir), breaking it when its holder died. */
export async function lock(p: EnginePaths, timeoutMs = 120_000): Promise<void> {
  mkdirSync(p.runDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryLock(p)) return;
    if (Date.now() > deadline) throw new Error(`the test Docker engine lock ${p.lockDir} is held by a live process; remove it if that process is stuck`);
    await sleep(50);
  }
}

/** One attempt at the lock; a lock whose owner pid is dead is removed and retried. */
export function tryLock(p: EnginePaths): boolean {
  try {
    mkdirSync(p.lockDir);
    writeFileSync(join(p.lockDir, 'owner'), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let owner = 0;
  try {
    owner = Number(readFileSync(join(p.lockDir, 'owner'), 'utf8'));
  } catch {
    // the owner has made the directory but not yet written its pid: treat it as live
    return false;
  }
  if (!alive(owner)) rmSync(p.lockDir, { recursive: true, force: true });
  return false;
}

/** Releases the lock (only if this process holds it). */
export function unlock(p: EnginePaths): void {
  try {
    if (Number(readFileSync(join(p.lockDir, 'owner'), 'utf8')) !== process.pid) return;
  } catch {
    return; // not held at all
  }
  rmSync(p.lockDir, { recursive: true, force: true });
}

/** Waits until a dockerd that is starting (or stopping) either answers or exits; true when it answers. */
export async function settle(p: EnginePaths, pid: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(p.socket)) return true;
    if (!alive(pid)) return false;
    await sleep(100);
  }
  return false;
}

/** Starts dockerd in a fresh network namespace (nsenter + unshare -m, not `ip netns exec`, see RECIPES) and waits for it. */
export async function startDockerd(p: EnginePaths, timeoutMs = 60_000): Promise<void> {
  mkdirSync(p.dataRoot, { recursive: true });
  mkdirSync(dirname(p.log), { recursive: true });
  await run(['ip', 'netns', 'del', p.netns]); // a namespace left by a killed run; absent is fine
  await runOk(['ip', 'netns', 'add', p.netns], {}, 'creating the test Docker engine namespace');
  await runOk(['ip', '-n', p.netns, 'link', 'set', 'lo', 'up']);
  const argv = [
    'nsenter', `--net=/run/netns/${p.netns}`, 'unshare', '-m', '--propagation', 'private',
    'dockerd', '--data-root', p.dataRoot, '--exec-root', p.execRoot, '--pidfile', p.pidfile,
    '-H', `unix://${p.socket}`, '--storage-driver', 'overlay2', '--shutdown-timeout', '2',
  ];
  const logFd = openSync(p.log, 'w');
  // Not src/util/exec's run: dockerd is a daemon that outlives this call, with its output going to a log file.
  const child = spawn(argv[0], argv.slice(1), { shell: false, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? `code ${code}`));
  child.once('error', (e) => (exited = e.message));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the test dockerd exited (${exited}) before answering: ${logTail(p.log)} (full log: ${p.log})`);
    if (await answers(p.socket)) return;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the test dockerd did not answer on ${p.socket} within ${timeoutMs / 1000} s: ${logTail(p.log)} (full log: ${p.log})`);
}

/** The last lines of the dockerd log, for error messages. */
function logTail(log: string): string {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops dockerd and deletes its namespace, synchronously: it runs from process.on('exit'), where only synchronous
 * work happens (hence spawnSync rather than src/util/exec's run). Waits up to 8 s for dockerd to finish.
 */
export function stopDockerdSync(p: EnginePaths): void {
  const pid = runningDockerd(p.pidfile);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 8000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (alive(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 50);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  spawnSync('ip', ['netns', 'del', p.netns], { stdio: 'ignore', timeout: 10_000 });
}
