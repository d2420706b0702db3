import { strict as assert } from 'node:assert';
import { containerEnv, directArgv, directEntryBlocker, entryFailed, onPath } from '../../../../src/providers/kube/nodeAccess/directEntry';

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
