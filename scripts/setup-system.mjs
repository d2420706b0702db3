// Installs the Debian packages PodNet Lab needs (when run as root), or prints the one command to run.
// Used by `npm start`, `npm test` and `npm run bench`, so a fresh Debian machine with Node and npm is enough.
// With `--docker` (only `npm test` passes it) it also installs Debian's docker.io for the Docker test bed, without
// starting the system's dockerd: the tests start their own, in a network namespace of their own.
import { accessSync, constants, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Each requirement: a file that must exist (any of `paths`) and the Debian package that provides it. */
const REQUIREMENTS = [
  { what: 'ip (iproute2)', pkg: 'iproute2', bins: ['ip'] },
  { what: 'unshare, nsenter and setpriv (util-linux)', pkg: 'util-linux', bins: ['unshare', 'nsenter', 'setpriv'] },
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
const wantDocker = process.argv.includes('--docker') && !hasBin('dockerd');

if (missing.length === 0 && !wantDocker) process.exit(0);

const pkgs = [...new Set(missing.map((r) => r.pkg))];
const command = ['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs];
if (missing.length > 0) console.error(`podnet setup: missing ${missing.map((r) => r.what).join('; ')}`);
if (wantDocker) console.error('podnet setup: missing dockerd (docker.io), which the Docker test bed needs');

if (process.platform !== 'linux' || !hasBin('apt-get')) {
  console.error(`podnet setup: install the packages ${pkgs.join(' ')} with your distribution's package manager, then run this again.`);
  process.exit(1);
}
if (process.getuid() !== 0) {
  if (missing.length > 0) {
    console.error(`podnet setup: run this once, then try again:\n  sudo apt-get update && sudo ${command.join(' ')}`);
    process.exit(1);
  }
  // docker.io is optional: without it the Docker test bed's tests skip and say why.
  console.error('podnet setup: not root, so docker.io is not installed; the Docker test bed tests will be skipped.');
  process.exit(0);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** Runs one apt-get command, or exits with a sentence saying which one failed. */
function apt(argv) {
  console.error(`podnet setup: ${argv.join(' ')}`);
  const res = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 15 * 60 * 1000 });
  if (res.status !== 0) {
    console.error(`podnet setup: \`${argv.join(' ')}\` failed (exit ${res.status ?? res.signal}); fix that and run again.`);
    process.exit(1);
  }
}

apt(['apt-get', 'update', '-qq']);
if (missing.length > 0) {
  apt([...command, '-qq']);
  console.error(`podnet setup: installed ${pkgs.join(', ')}`);
}
if (wantDocker) {
  // policy-rc.d exiting 101 tells the package scripts not to start dockerd/containerd on the host.
  const policy = '/usr/sbin/policy-rc.d';
  writeFileSync(policy, '#!/bin/sh\nexit 101\n');
  chmodSync(policy, 0o755);
  try {
    apt(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'docker.io']);
  } finally {
    rmSync(policy, { force: true });
  }
  console.error('podnet setup: installed docker.io (not started)');
}
