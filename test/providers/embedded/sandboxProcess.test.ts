import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LAB_INIT_NAME, childPids, processAlive, sandboxArgv } from '../../../src/providers/embedded/sandboxProcess';
import type { LabTools } from '../../../src/providers/embedded/tools';

const TOOLS: LabTools = {
  ip: '/sbin/ip', unshare: '/usr/bin/unshare', nsenter: '/usr/bin/nsenter', mount: '/bin/mount', umount: '/bin/umount', setpriv: '/usr/bin/setpriv', busybox: '/bin/busybox', cniPath: '/usr/lib/cni',
};
const DAEMON = ['/usr/bin/node', '/opt/podnet/dist/daemon.js', '--lab', 'demo'];
const NAMESPACE_FLAGS = ['--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc'];

/** Starts a node child running `script`; it is killed after the test. */
function startNode(script: string): ChildProcess {
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function waitFor(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sandboxProcess', () => {
  describe('sandboxArgv', () => {
    it('rootless runs unshare with --user --map-root-user before the namespace flags', () => {
      const argv = sandboxArgv(TOOLS, true, DAEMON);
      assert.equal(argv[0], TOOLS.unshare);
      assert.deepEqual(argv.slice(1, 3), ['--user', '--map-root-user']);
      for (const flag of NAMESPACE_FLAGS) assert.ok(argv.includes(flag), `has ${flag}`);
    });

    it('as root adds no user namespace but keeps every namespace flag', () => {
      const argv = sandboxArgv(TOOLS, false, DAEMON);
      assert.ok(!argv.includes('--user') && !argv.includes('--map-root-user'));
      for (const flag of NAMESPACE_FLAGS) assert.ok(argv.includes(flag), `has ${flag}`);
    });

    it('puts the reaping init shell after the only --, then the daemon argv unchanged', () => {
      for (const rootless of [true, false]) {
        const argv = sandboxArgv(TOOLS, rootless, DAEMON);
        const dd = argv.indexOf('--');
        assert.deepEqual(argv.slice(dd + 1, dd + 6), [TOOLS.busybox, 'sh', '-c', '"$@" & wait $!', LAB_INIT_NAME]);
        assert.deepEqual(argv.slice(dd + 6), DAEMON);
        assert.equal(argv.lastIndexOf('--'), dd);
        assert.ok(NAMESPACE_FLAGS.every((f) => argv.indexOf(f) < dd), 'unshare flags come before --');
      }
    });
  });

  describe('childPids and processAlive', () => {
    const started: ChildProcess[] = [];
    afterEach(async () => {
      for (const c of started.splice(0)) {
        c.kill('SIGKILL');
        await exited(c);
      }
    });

    it('childPids finds a child this process spawned', async () => {
      const child = startNode('setTimeout(() => {}, 10000)');
      started.push(child);
      assert.ok(child.pid !== undefined);
      assert.ok(childPids(process.pid).includes(child.pid), `children of ${process.pid}: ${childPids(process.pid).join(' ')}`);
      assert.deepEqual(childPids(child.pid), [], 'the sleeping child has no children of its own');
    });

    it('processAlive is true for a running process and false once it has exited and been reaped', async () => {
      assert.equal(processAlive(process.pid), true);
      const child = startNode('');
      const pid = child.pid as number;
      await exited(child); // node emits 'exit' after waitpid, so the process is reaped by now
      assert.equal(processAlive(pid), false);
      assert.ok(!childPids(process.pid).includes(pid));
    });

    it('processAlive is false for a zombie that has exited but is not reaped yet', async () => {
      // The child starts a grandchild that exits at once, then blocks its event loop so it never reaps it.
      const child = startNode(`
        const g = require('node:child_process').spawn(process.execPath, ['-e', '']);
        process.stdout.write(String(g.pid) + '\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000);`);
      started.push(child);
      const grandchild = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      const state = () => readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1][0];
      await waitFor(() => state() === 'Z', 'the grandchild to become a zombie');
      assert.equal(processAlive(grandchild), false);
      assert.deepEqual(childPids(child.pid as number), [grandchild], 'a zombie is still listed as a child');
    });
  });
});
