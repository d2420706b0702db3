/**
 * The mount namespace every container and every `exec` runs in, as a container runtime would give it: the
 * host's file systems read-only, private writable /tmp and /run, a minimal /dev, and no capability that could
 * undo that (mounting, ptrace into the lab process, raw devices). The lab process itself stays outside.
 */
import { readFileSync } from 'node:fs';
import type { LabTools } from '../tools';
import { startProcess } from '../../../util/exec';

/**
 * Capabilities a container loses: with them it could remount the host read-write, enter another mount namespace, read another process's root, or write
 * raw devices.
 */
export const DROPPED_CAPS = [
  'sys_admin', 'sys_ptrace', 'sys_module', 'sys_rawio', 'sys_boot', 'sys_chroot', 'mknod', 'sys_time', 'sys_resource',
  'syslog', 'mac_admin', 'mac_override', 'linux_immutable', 'dac_read_search', 'sys_pacct', 'sys_tty_config',
] as const;

/** argv prefix that runs the rest without {@link DROPPED_CAPS} (bounding and inheritable sets, so no exec regains them). */
export function confineArgv(tools: LabTools): string[] {
  return [tools.setpriv, `--bounding-set=${DROPPED_CAPS.map((c) => `-${c}`).join(',')}`, '--inh-caps=-all', '--'];
}

/** One line of /proc/self/mountinfo: where a file system is mounted and its per-mount options. */
export interface MountPoint {
  path: string;
  options: string;
}

/** Mount points of this process's mount namespace (octal escapes such as \040 decoded). */
export function readMountPoints(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): MountPoint[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return mountinfo.split('\n').filter(Boolean).map((line) => {
    const f = line.split(' ');
    return { path: unescape(f[4]), options: f[5] };
  });
}

const under = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

/** The remounts that make the host read-only: every mount but the kernel's /proc, /dev, /tmp and /run (replaced) and the lab's state. */
export function readOnlyRemounts(mounts: MountPoint[], stateDir: string): { path: string; options: string; required: boolean }[] {
  const replaced = ['/proc', '/dev', '/tmp', '/run'];
  return mounts
    .filter((m) => !replaced.some((d) => under(m.path, d)) && !under(m.path, stateDir))
    // Keep every other per-mount flag: in a user namespace, nosuid/nodev/noexec/atime flags inherited from the host are locked.
    .map((m) => ({ path: m.path, options: `remount,bind,${m.options.split(',').map((o) => (o === 'rw' ? 'ro' : o)).join(',')}`, required: !under(m.path, '/sys') }));
}

// $1: mount, $2: umount, $3: busybox, $4: state dir; then triples "path options required". Ends as a sleeping
// process that holds the namespace (binding a mount namespace to a file races on some kernels). The state dir's contents are reached through
// the working directory after /tmp or /run cover its path, and bound back at the same path.
const SETUP = `set -e
MOUNT="$1"; UMOUNT="$2"; BUSYBOX="$3"; STATE="$4"; shift 4
cd "$STATE"
while [ "$#" -gt 0 ]; do
  if ! err=$("$MOUNT" -o "$2" "$1" 2>&1); then
    if [ "$3" = 1 ]; then echo "cannot make $1 read-only: $err" >&2; exit 1; fi
  fi
  shift 3
done
"$MOUNT" -t tmpfs -o nosuid,nodev,mode=0755 podnet-run /run
mkdir /run/.podnet-dev
for d in null zero full random urandom tty; do touch "/run/.podnet-dev/$d"; "$MOUNT" --bind "/dev/$d" "/run/.podnet-dev/$d"; done
"$MOUNT" -t tmpfs -o nosuid,mode=0755 podnet-dev /dev
for d in null zero full random urandom tty; do touch "/dev/$d"; "$MOUNT" --bind "/run/.podnet-dev/$d" "/dev/$d"; "$UMOUNT" "/run/.podnet-dev/$d"; done
rm -r /run/.podnet-dev
mkdir /dev/shm /dev/pts
"$MOUNT" -t tmpfs -o nosuid,nodev,mode=1777 podnet-shm /dev/shm
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
"$MOUNT" -t tmpfs -o nosuid,nodev,mode=1777 podnet-tmp /tmp
if [ ! -d "$STATE/ns" ]; then mkdir -p "$STATE"; "$MOUNT" --no-canonicalize --bind . "$STATE"; fi
cd /
echo ready
exec "$BUSYBOX" sleep 2147483647
`;

/** Starts the process that creates and holds the workload mount namespace; resolves with the path that names the namespace. */
export function startWorkloadMounts(tools: LabTools, stateDir: string, timeoutMs = 20_000): Promise<string> {
  const remounts = readOnlyRemounts(readMountPoints(), stateDir).flatMap((m) => [m.path, m.options, m.required ? '1' : '0']);
  const argv = [tools.unshare, '--mount', '--propagation', 'private', '--', tools.busybox, 'sh', '-c', SETUP, 'podnet-mounts', tools.mount, tools.umount, tools.busybox, stateDir, ...remounts];
  return new Promise((resolve, reject) => {
    const child = startProcess(argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const fail = (why: string) => reject(new Error(`making the containers' file system view (host read-only, private /tmp and /run) failed: ${why}`));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`no answer within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('ready')) return;
      clearTimeout(timer);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve(`/proc/${child.pid}/ns/mnt`);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', (e) => (clearTimeout(timer), fail(e.message)));
    child.once('exit', (code) => (clearTimeout(timer), fail(err.trim() || `the setup exited with code ${code}`)));
  });
}
