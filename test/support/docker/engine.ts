/** One real Docker engine for the tests, in a network namespace of its own, shared by every test process of this checkout. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runOk, type RunOptions, type RunResult } from '../../../src/util/exec';
import { enginePaths, otherUsers, runningDockerd, type EnginePaths } from './enginePaths';
import { answers, lock, settle, startDockerd, stopDockerdSync, tryLock, unlock } from './engineProcess';

/** A running test dockerd and the way to talk to it. */
export interface DockerEngine {
  /** DOCKER_HOST value, `unix:///run/podnet-dt-<id>/docker.sock`. */
  host: string;
  /** process.env plus DOCKER_HOST: pass it to anything that runs `docker`. */
  env: NodeJS.ProcessEnv;
  /** Name of the network namespace dockerd (and so every container network) lives in; '' when not known. */
  netns: string;
  /** Runs `docker argv...` against this engine (default timeout 120 s); resolves whatever the exit code. */
  docker(argv: readonly string[], opts?: Omit<RunOptions, 'env'>): Promise<RunResult>;
  /** Like {@link DockerEngine.docker} but rejects with the command and its stderr unless it exits 0. */
  dockerOk(argv: readonly string[], opts?: Omit<RunOptions, 'env'>, context?: string): Promise<RunResult>;
}

/** The engine cannot run on this machine; `message` is the reason a test prints when it skips. */
export class DockerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerUnavailableError';
  }
}

const BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const hasBin = (name: string) => BIN_DIRS.some((d) => existsSync(join(d, name)));

/** Why the test engine cannot run here (not Linux, not root, docker.io missing), or undefined when it can. */
export function dockerEngineUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the Docker test bed needs Linux';
  if (process.getuid?.() !== 0) return 'the Docker test bed needs root: it runs dockerd in a network namespace of its own';
  if (!hasBin('dockerd')) return 'dockerd is not installed: run `node scripts/setup-system.mjs --docker` as root';
  if (!hasBin('docker')) return 'the docker client is not installed: run `node scripts/setup-system.mjs --docker` as root';
  return undefined;
}

let joined: Promise<DockerEngine> | undefined;

/** Starts the test dockerd, or joins the one already running; it stops when the last process using it exits. */
export function ensureDockerEngine(): Promise<DockerEngine> {
  joined ??= join_().catch((e: unknown) => {
    joined = undefined;
    throw e;
  });
  return joined;
}

/** ensureDockerEngine for a mocha hook: skips the suite with the reason when Docker cannot run here, except in CI (CI=true), where that fails. */
export async function dockerEngineForTest(ctx: Mocha.Context): Promise<DockerEngine> {
  try {
    return await ensureDockerEngine();
  } catch (e) {
    if (!(e instanceof DockerUnavailableError) || process.env.CI) throw e;
    console.log(`      skipped: ${e.message}`);
    ctx.skip();
  }
}

async function join_(): Promise<DockerEngine> {
  const reason = dockerEngineUnavailable();
  if (reason) throw new DockerUnavailableError(reason);
  const p = enginePaths();
  await lock(p);
  try {
    mkdirSync(p.usersDir, { recursive: true });
    writeFileSync(join(p.usersDir, String(process.pid)), '');
    process.once('exit', () => leave(p));
    const pid = runningDockerd(p.pidfile);
    if (pid === undefined || !(await answers(p.socket))) {
      if (pid !== undefined && (await settle(p, pid))) return engineFor(p);
      if (pid !== undefined && runningDockerd(p.pidfile) !== undefined) {
        throw new Error(`the test dockerd (pid ${pid}) is running but does not answer on ${p.socket}; stop it with \`kill ${pid}\` and run the tests again`);
      }
      await startDockerd(p);
      // A fresh start means no process uses the engine: containers left by a killed run are garbage (all are test-owned).
      await engineFor(p).dockerOk(['container', 'prune', '--force'], {}, 'removing containers left by an earlier test run');
    }
    return engineFor(p);
  } finally {
    unlock(p);
  }
}

/** Unregisters this process; the last user stops dockerd. Synchronous: runs on process exit. */
function leave(p: EnginePaths): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 5000;
  while (!tryLock(p) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
  try {
    rmSync(join(p.usersDir, String(process.pid)), { force: true });
    if (otherUsers(p.usersDir).length === 0) stopDockerdSync(p);
  } finally {
    unlock(p);
  }
}

function engineFor(p: EnginePaths): DockerEngine {
  return dockerEngineAt(`unix://${p.socket}`, p.netns);
}

/** A DockerEngine for a daemon someone else runs (e.g. a parent test process passing DOCKER_HOST on); this process neither starts nor stops it. */
export function dockerEngineAt(host: string, netns = ''): DockerEngine {
  const env = { ...process.env, DOCKER_HOST: host };
  return {
    host,
    env,
    netns,
    docker: (argv, opts = {}) => run(['docker', ...argv], { timeoutMs: 120_000, ...opts, env }),
    dockerOk: (argv, opts = {}, context) => runOk(['docker', ...argv], { timeoutMs: 120_000, ...opts, env }, context),
  };
}
