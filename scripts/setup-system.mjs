// Installs the Debian packages PodNet Lab needs (when run as root), or prints the one command to run.
// Used by `npm start`, `npm test` and `npm run bench`, so a fresh Debian machine with Node and npm is enough.
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Each requirement: a file that must exist (any of `paths`) and the Debian package that provides it. */
const REQUIREMENTS = [
  { what: 'ip (iproute2)', pkg: 'iproute2', bins: ['ip'] },
  { what: 'unshare and nsenter (util-linux)', pkg: 'util-linux', bins: ['unshare', 'nsenter'] },
  { what: 'mount and umount', pkg: 'mount', bins: ['mount', 'umount'] },
  { what: 'busybox (the containers\' workloads)', pkg: 'busybox', bins: ['busybox'] },
  { what: 'nft (nftables: the Docker host\'s NAT, and the packet tracer)', pkg: 'nftables', bins: ['nft'] },
  { what: 'the CNI plugins bridge, host-local, loopback', pkg: 'containernetworking-plugins', files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/loopback'] },
];

const DIRS = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const hasBin = (name) => DIRS.some((d) => executable(join(d, name)));
const missing = REQUIREMENTS.filter((r) => (r.bins ?? []).some((b) => !hasBin(b)) || (r.files ?? []).some((f) => !executable(f)));

if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((r) => r.pkg))];
const command = ['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs];
console.error(`podnet setup: missing ${missing.map((r) => r.what).join('; ')}`);

if (process.platform !== 'linux' || !hasBin('apt-get')) {
  console.error(`podnet setup: install the packages ${pkgs.join(' ')} with your distribution's package manager, then run this again.`);
  process.exit(1);
}
if (process.getuid() !== 0) {
  console.error(`podnet setup: run this once, then try again:\n  sudo apt-get update && sudo ${command.join(' ')}`);
  process.exit(1);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const argv of [['apt-get', 'update', '-qq'], [...command, '-qq']]) {
  console.error(`podnet setup: ${argv.join(' ')}`);
  const res = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 15 * 60 * 1000 });
  if (res.status !== 0) {
    console.error(`podnet setup: \`${argv.join(' ')}\` failed (exit ${res.status ?? res.signal}); fix that and run again.`);
    process.exit(1);
  }
}
console.error(`podnet setup: installed ${pkgs.join(', ')}`);
