import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerEnv, directArgv, directEntryBlocker, entryFailed, onPath, resolveInRoot } from '../../../../src/providers/kube/nodeAccess/directEntry';

describe('directEntry: when and how node containers are entered with nsenter', () => {
  it('never enters containers of a daemon reached over TCP (DOCKER_HOST / CONTAINER_HOST not a Unix socket)', () => {
    assert.deepEqual(directEntryBlocker('docker', { DOCKER_HOST: 'tcp://10.0.0.5:2376' }), { why: 'DOCKER_HOST=tcp://10.0.0.5:2376 is not a socket on this machine' });
    assert.deepEqual(directEntryBlocker('podman', { CONTAINER_HOST: 'ssh://me@box/run/podman.sock' }), { why: 'CONTAINER_HOST=ssh://me@box/run/podman.sock is not a socket on this machine' });
  });

  it('may try for a local socket when this process is root (the tests run as root)', function () {
    if (process.getuid?.() !== 0) this.skip();
    assert.deepEqual(directEntryBlocker('docker', { DOCKER_HOST: 'unix:///run/docker.sock' }), { privilege: 'root' });
    assert.deepEqual(directEntryBlocker('docker', {}), { privilege: 'root' });
  });

  it("enters the container's mount, UTS, IPC, network and PID namespaces, argv after --", () => {
    assert.deepEqual(directArgv('/usr/bin/nsenter', 42, ['ip', '-j', 'link']), [
      '/usr/bin/nsenter', '--target=42', '--mount', '--uts', '--ipc', '--net', '--pid', '--', 'ip', '-j', 'link',
    ]);
  });

  it("opens a Pod's network namespace file in the same nsenter when given one", () => {
    assert.deepEqual(directArgv('/usr/bin/nsenter', 42, ['true'], '/proc/42/root/run/netns/cni-1'), [
      '/usr/bin/nsenter', '--target=42', '--mount', '--uts', '--ipc', '--net=/proc/42/root/run/netns/cni-1', '--pid', '--', 'true',
    ]);
  });

  describe('resolveInRoot: a path as the container sees it, on this machine', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'podnet-root-'));
      mkdirSync(join(root, 'run', 'netns'), { recursive: true });
      mkdirSync(join(root, 'var'));
      writeFileSync(join(root, 'run', 'netns', 'cni-1'), '');
      symlinkSync('../run', join(root, 'var', 'run')); // kind: /var/run -> ../run
      symlinkSync('/run', join(root, 'abs')); // absolute: must stay inside root, not become this machine's /run
      symlinkSync('loop', join(root, 'loop'));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("follows relative and absolute symlinks inside the container's root", () => {
      assert.equal(resolveInRoot(root, '/var/run/netns/cni-1'), `${root}/run/netns/cni-1`);
      assert.equal(resolveInRoot(root, '/abs/netns/cni-1'), `${root}/run/netns/cni-1`);
    });

    it('never climbs above the root with ..', () => {
      assert.equal(resolveInRoot(root, '/../../../run/netns/cni-1'), `${root}/run/netns/cni-1`);
      assert.equal(resolveInRoot(root, '/var/run/../../../run/netns/cni-1'), `${root}/run/netns/cni-1`);
    });

    it('gives up on a missing part or a symlink loop (the container then reports it itself)', () => {
      assert.equal(resolveInRoot(root, '/var/run/netns/cni-gone'), undefined);
      assert.equal(resolveInRoot(root, '/loop/x'), undefined);
    });

    it('keeps a namespace magic link as it is (the kernel follows it, it is not a path)', () => {
      assert.equal(resolveInRoot('/proc/self', '/ns/net'), '/proc/self/ns/net');
    });
  });

  it("tells nsenter's failure to open the container's namespaces from the command's own failure", () => {
    const res = (code: number, stderr: string) => ({ code, stdout: '', stderr, timedOut: false });
    assert.equal(entryFailed(res(1, 'nsenter: cannot open /proc/42/ns/ipc: No such file or directory\n'), 42), true);
    // The inner nsenter of a Pod command failing on a stale Pod namespace is not the container's entry failing.
    assert.equal(entryFailed(res(1, 'nsenter: cannot open /var/run/netns/cni-1: No such file or directory\n'), 42), false);
    assert.equal(entryFailed(res(1, 'nsenter: cannot open /proc/77/ns/net: No such file or directory\n'), 42), false);
    assert.equal(entryFailed(res(0, 'nsenter: cannot open /proc/42/ns/ipc: No such file or directory\n'), 42), false);
  });

  it("gives the container's configured environment as docker exec does, PATH and HOME defaulted, junk dropped", () => {
    assert.deepEqual(containerEnv(['PATH=/opt/bin:/bin', 'container=docker', 'A=b=c', 'novalue', 7]), { PATH: '/opt/bin:/bin', container: 'docker', A: 'b=c', HOME: '/root' });
    assert.deepEqual(containerEnv(undefined), { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' });
  });

  it('finds an executable on PATH as an absolute path, ignoring relative entries, or says it is not there', () => {
    const sh = onPath('sh', '.:/nonexistent:/bin:/usr/bin');
    assert.ok(sh === '/bin/sh' || sh === '/usr/bin/sh', String(sh));
    assert.equal(onPath('sh', '.:bin'), undefined);
    assert.equal(onPath('podnet-no-such-program', '/bin:/usr/bin'), undefined);
  });
});
