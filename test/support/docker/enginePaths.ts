/** Where the test Docker engine keeps its socket, pid, users and data, and small process checks shared by start and stop. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/support/docker/enginePaths.ts). */
export const REPO = resolve(__dirname, '../../..');

/** Paths of the one test dockerd for this checkout: /run for sockets and pids, .cache for images that outlive a run. */
export interface EnginePaths {
  /** Network namespace dockerd runs in (also the /run/netns/<name> bind mount). */
  netns: string;
  runDir: string;
  socket: string;
  pidfile: string;
  execRoot: string;
  /** One file per process using the engine, named by its pid: the last one to leave stops dockerd. */
  usersDir: string;
  /** A directory created atomically while a process starts, joins or leaves the engine. */
  lockDir: string;
  dataRoot: string;
  log: string;
}

/** The engine paths for this checkout; a short hash of the data root keeps two checkouts' engines apart. */
export function enginePaths(): EnginePaths {
  const cacheDir = join(REPO, '.cache', 'docker-test');
  const dataRoot = join(cacheDir, 'data');
  const id = createHash('sha256').update(dataRoot).digest('hex').slice(0, 8);
  const runDir = `/run/podnet-dt-${id}`;
  return {
    netns: `podnet-dt-${id}`,
    runDir,
    socket: join(runDir, 'docker.sock'),
    pidfile: join(runDir, 'dockerd.pid'),
    execRoot: join(runDir, 'exec'),
    usersDir: join(runDir, 'users'),
    lockDir: join(runDir, 'lock'),
    dataRoot,
    log: join(cacheDir, 'dockerd.log'),
  };
}

/** True when a process with this pid exists and is not a zombie (a dockerd we started stays one until we exit). */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // no /proc entry: gone
  }
}

/** The pid in a pidfile whose process is still a dockerd, or undefined. */
export function runningDockerd(pidfile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidfile, 'utf8').trim());
  } catch {
    return undefined; // no pidfile: no daemon
  }
  if (!alive(pid)) return undefined;
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return comm === 'dockerd' ? pid : undefined;
  } catch {
    return undefined; // exited between the two reads
  }
}

/** Pids of the other live processes registered as users of the engine. */
export function otherUsers(usersDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(usersDir);
  } catch {
    return []; // no users directory yet
  }
  return names.map(Number).filter((pid) => pid !== process.pid && alive(pid));
}
