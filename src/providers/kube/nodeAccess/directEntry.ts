/**
 * The fast path of container node access: when the node container runs on this machine and this process may enter its
 * namespaces, commands run with `nsenter` from here (a few ms) instead of `docker exec` (tens of ms, serialized by the
 * daemon). The namespaces entered are the container's mount, UTS, IPC, network and PID ones, so the node's own tools,
 * files, /proc and PIDs are what the command sees, exactly as under `docker exec`.
 */
import { accessSync, constants, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult } from '../../embedded/control/protocol';
import { run, ToolMissingError } from '../../../util/exec';
import type { NodeContainerRuntime } from './containerAccess';

/** How one node container is reached: entered directly (its init PID here, its environment), or why not. */
export type ContainerEntry = DirectEntry | { why: string; lasting: boolean };

/** A container entered directly: its init PID here, its network namespace as `/proc/<pid>/ns/net` names it, its environment. */
export interface DirectEntry {
  pid: number;
  netns: string;
  env: NodeJS.ProcessEnv;
  /** This machine's nsenter (absolute, since PATH is the container's). */
  nsenter: string;
}

/** Runs argv through `<runtime> exec` in the container (the slow path), to compare what it sees with the fast path. */
export type ExecInContainer = (argv: string[]) => Promise<ExecResult>;

const INSPECT_TIMEOUT_MS = 15_000;
const CHECK_TIMEOUT_MS = 15_000;
/** CAP_SYS_ADMIN's bit in /proc/self/status CapEff: setns into another mount namespace needs it. */
const CAP_SYS_ADMIN = 21n;
/** The PATH `docker exec` gives when the image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Why this process can never enter node containers directly (a remote or non-Unix-socket daemon, not root and no
 * CAP_SYS_ADMIN, not Linux), or undefined when it may try; `privilege` names what allows it.
 */
export function directEntryBlocker(runtime: NodeContainerRuntime, env: NodeJS.ProcessEnv): { why: string } | { privilege: string } {
  if (process.platform !== 'linux') return { why: 'not Linux' };
  const hostVar = runtime === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST';
  const host = env[hostVar];
  if (host && !host.startsWith('unix://')) return { why: `${hostVar}=${host} is not a socket on this machine` };
  if (process.getuid?.() === 0) return { privilege: 'root' };
  return hasCapSysAdmin() ? { privilege: 'CAP_SYS_ADMIN' } : { why: 'not root (entering the containers needs CAP_SYS_ADMIN)' };
}

function hasCapSysAdmin(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m !== null && ((BigInt(`0x${m[1]}`) >> CAP_SYS_ADMIN) & 1n) === 1n;
  } catch {
    return false; // no /proc/self/status: treat as unprivileged, the slow path still works
  }
}

/**
 * The argv that runs `argv` in the container whose init is `pid`: nsenter from this machine into its namespaces, or
 * with `netFile` (a path on this machine, see {@link resolveInRoot}) into that network namespace instead of the node's.
 */
export function directArgv(nsenter: string, pid: number, argv: readonly string[], netFile?: string): string[] {
  return [nsenter, `--target=${pid}`, '--mount', '--uts', '--ipc', netFile ? `--net=${netFile}` : '--net', '--pid', '--', ...argv];
}

const MAX_SYMLINKS = 40;
/** What readlink of a namespace file says (`net:[4026531840]`): a magic link the kernel follows itself, not a path. */
const NS_MAGIC = /^[a-z_]+:\[\d+\]$/;

/**
 * `path` as the container sees it, as a path on this machine under `root` (`/proc/<pid>/root`): each symlink is
 * followed inside the container's root (kind's `/var/run` -> `/run` must not become this machine's /run), and `..`
 * never climbs above it. Undefined when a part does not exist (the caller lets the container report that).
 */
export function resolveInRoot(root: string, path: string): string | undefined {
  const done: string[] = [];
  let todo = path.split('/').filter((p) => p && p !== '.');
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = `${root}/${[...done, part].join('/')}`;
    let target: string | undefined;
    try {
      target = lstatSync(here).isSymbolicLink() ? readlinkSync(here) : undefined;
    } catch {
      return undefined; // missing (or unreadable): nsenter in the container says which, in its own words
    }
    if (target === undefined || NS_MAGIC.test(target)) {
      done.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) return undefined;
    const rest = target.split('/').filter((p) => p && p !== '.');
    if (target.startsWith('/')) done.length = 0;
    todo = [...rest, ...todo];
  }
  return `${root}/${done.join('/')}`;
}

/** True when nsenter itself could not open the container's namespaces (its PID went away), as opposed to argv failing. */
export function entryFailed(r: ExecResult, pid: number): boolean {
  return r.code !== 0 && r.stderr.split('\n').some((l) => l.startsWith(`nsenter: cannot open /proc/${pid}/ns/`));
}

/** True while the entry's PID still names the container's network namespace (not gone, not reused by another process). */
export function stillValid(entry: DirectEntry): boolean {
  return netnsHere(entry.pid) === entry.netns;
}

/** An executable's absolute path on PATH (this machine's), or undefined. */
export function onPath(program: string, path = process.env.PATH ?? DEFAULT_PATH): string | undefined {
  for (const dir of path.split(':').filter((d) => d.startsWith('/'))) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory: try the next
    }
  }
  return undefined;
}

/** The environment `docker exec` would give: the container's configured variables, PATH and HOME defaulted. */
export function containerEnv(configEnv: unknown): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (Array.isArray(configEnv)) {
    for (const kv of configEnv) {
      if (typeof kv !== 'string') continue;
      const i = kv.indexOf('=');
      if (i > 0 && !kv.slice(0, i).includes('\0')) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
  }
  return { ...env, PATH: env.PATH || DEFAULT_PATH, HOME: env.HOME || '/root' };
}

/** `<runtime> inspect` of one container: its init PID (0 when stopped) and configured environment, or why not. */
async function inspectPid(
  runtime: NodeContainerRuntime, container: string, env: NodeJS.ProcessEnv,
): Promise<{ pid: number; config: unknown } | { why: string }> {
  const r = await run([runtime, 'inspect', '--type', 'container', '--format', '{{.State.Pid}} {{json .Config.Env}}', container], { env, timeoutMs: INSPECT_TIMEOUT_MS });
  const m = /^(\d+) (.*)$/.exec(r.stdout.trim());
  if (r.code !== 0 || !m) return { why: `${runtime} inspect ${container} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}` };
  let config: unknown;
  try {
    config = JSON.parse(m[2]);
  } catch {
    config = undefined; // no readable environment: defaults, as docker exec gives an image without one
  }
  return { pid: Number(m[1]), config };
}

/** A random id the kernel draws at boot: equal inside every container of this kernel, different on another machine. */
const BOOT_ID = '/proc/sys/kernel/random/boot_id';

function bootIdHere(): string | undefined {
  try {
    return readFileSync(BOOT_ID, 'utf8').trim();
  } catch {
    return undefined; // no boot id to compare: never enter directly
  }
}

/** The network namespace `/proc/<pid>/ns/net` names here, or undefined when the PID is not visible or not ours to read. */
function netnsHere(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined; // not visible in our PID namespace, or no ptrace access: the caller uses docker exec
  }
}

/**
 * Whether the container can be entered directly: it runs under this kernel (same boot id), its init PID from the
 * runtime is visible here as the same network namespace the container itself sees (so a PID from another PID
 * namespace or machine is never entered), and nsenter into it works. `lasting` says the answer holds for the
 * container's life (else it is asked again next time).
 */
export async function findEntry(runtime: NodeContainerRuntime, container: string, env: NodeJS.ProcessEnv, execIn: ExecInContainer): Promise<ContainerEntry> {
  let inspected;
  try {
    inspected = await inspectPid(runtime, container, env);
  } catch (e) {
    if (e instanceof ToolMissingError) return { why: `${runtime} is not installed`, lasting: false };
    throw e;
  }
  if ('why' in inspected) return { why: inspected.why, lasting: false };
  if (inspected.pid <= 0) return { why: `${container} is not running`, lasting: false };
  const here = netnsHere(inspected.pid);
  if (!here) return { why: `its PID ${inspected.pid} is not visible here (the engine runs in another PID namespace)`, lasting: true };
  const pid = inspected.pid;
  const nsenter = onPath('nsenter', env.PATH);
  if (!nsenter) return { why: 'nsenter is not installed here', lasting: true };
  const cenv = containerEnv(inspected.config);
  const [inside, boot, entered] = await Promise.all([
    execIn(['readlink', '/proc/self/ns/net']),
    execIn(['cat', BOOT_ID]),
    run(directArgv(nsenter, pid, ['readlink', '/proc/self/ns/net']), { env: cenv, timeoutMs: CHECK_TIMEOUT_MS }).catch((e: unknown) => e as Error),
  ]);
  if (inside.code !== 0) return { why: `readlink in ${container} failed: ${inside.stderr.trim() || `exit ${inside.code}`}`, lasting: false };
  // Namespace inode numbers repeat across machines; the kernel's boot id does not: same boot id, same kernel.
  if (boot.code !== 0 || boot.stdout.trim() !== bootIdHere()) return { why: `${container} runs under another kernel (another machine or VM)`, lasting: true };
  if (inside.stdout.trim() !== here) return { why: `PID ${pid} here is not ${container} (the engine runs in another PID namespace)`, lasting: true };
  if (entered instanceof Error) return { why: `nsenter could not run: ${entered.message}`, lasting: true };
  if (entered.code !== 0 || entered.stdout.trim() !== here) {
    return { why: `nsenter into ${container} failed: ${entered.stderr.trim().split('\n')[0] || `exit ${entered.code}`}`, lasting: true };
  }
  return { pid, netns: here, env: cenv, nsenter };
}
