/** Runs the built `podnet` CLI (dist/cli.js) as root or as an unprivileged user, for integration tests. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Who runs the CLI: real root (no user namespace) or an unprivileged user (rootless sandbox). */
export type Mode = 'root' | 'unprivileged';

/** The uid/gid used for unprivileged runs when the tests run as root. */
export const UNPRIVILEGED_UID = 65534;

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BUILT_CLI = resolve(__dirname, '../../dist/cli.js');
let unprivilegedCopy: string | undefined;

/** True when the tests run as real root (then both modes are tested). */
export const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** The modes this machine can test: both as root, only rootless otherwise. */
export function testableModes(): Mode[] {
  return runningAsRoot() ? ['root', 'unprivileged'] : ['unprivileged'];
}

/** A copy of dist/cli.js that an unprivileged user can read (the checkout may sit under /root). */
function cliFor(mode: Mode): string {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`node scripts/build.mjs\` first`);
  if (mode === 'root' || !runningAsRoot()) return BUILT_CLI;
  if (!unprivilegedCopy) {
    const dir = mkdtempSync(join(tmpdir(), 'podnet-test-cli-'));
    chmodSync(dir, 0o755);
    unprivilegedCopy = join(dir, 'cli.js');
    copyFileSync(BUILT_CLI, unprivilegedCopy);
    chmodSync(unprivilegedCopy, 0o755);
  }
  return unprivilegedCopy;
}

/** Starts `podnet ARGS...` in `mode` with stdout and stderr piped, for a test that needs the process itself (to kill it, say). */
export function startCli(mode: Mode, args: string[]): ChildProcessWithoutNullStreams {
  const asOther = mode === 'unprivileged' && runningAsRoot();
  const env: NodeJS.ProcessEnv = asOther
    ? { PATH: '/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' }
    : { ...process.env, PODNET_DEBUG: '' };
  return spawn(process.execPath, [cliFor(mode), ...args], {
    shell: false, env, cwd: asOther ? '/tmp' : process.cwd(), stdio: ['pipe', 'pipe', 'pipe'],
    ...(asOther ? { uid: UNPRIVILEGED_UID, gid: UNPRIVILEGED_UID } : {}),
  });
}

/** Runs `podnet ARGS...` in `mode` and resolves with its output (never rejects on a non-zero exit). */
export function runCli(mode: Mode, args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = startCli(mode, args);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Like {@link runCli} but fails the test unless the command exits 0. */
export async function runCliOk(mode: Mode, args: string[]): Promise<CliResult> {
  const res = await runCli(mode, args);
  if (res.code !== 0) throw new Error(`podnet ${args.join(' ')} exited ${res.code}:\n${res.stderr}${res.stdout}`);
  return res;
}

/** Runtime folder the CLI uses in `mode` (socket, log, state dir live here). */
export function runtimeDirFor(mode: Mode): string {
  if (mode === 'unprivileged' && runningAsRoot()) return `/tmp/podnet-${UNPRIVILEGED_UID}`;
  if (process.env.PODNET_RUNTIME_DIR) return process.env.PODNET_RUNTIME_DIR;
  if (process.env.XDG_RUNTIME_DIR) return join(process.env.XDG_RUNTIME_DIR, 'podnet');
  return runningAsRoot() ? '/run/podnet' : `/tmp/podnet-${process.getuid?.()}`;
}
