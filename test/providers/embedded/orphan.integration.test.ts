/** A lab whose launcher dies, a lab not built yet, a failed start's log, and orphaned grandchildren inside the sandbox. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import { type Mode, runCli, runCliOk, runtimeDirFor, startCli, testableModes } from '../../support/cli';
import { eventually, processesInNamespace, processesWithArgs } from '../../support/hostState';

const labFiles = (mode: Mode, lab: string) => readdirSync(runtimeDirFor(mode)).filter((f) => f.startsWith(`${lab}.`));

/** The state letter of each process (R, S, Z, ...) by host PID; processes that vanished meanwhile are left out. */
function states(pids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      out.set(pid, stat.slice(stat.lastIndexOf(')') + 2)[0]);
    } catch {
      // exited between listing and reading: not a zombie of ours
    }
  }
  return out;
}

for (const mode of testableModes()) {
  describe(`embedded lab whose launcher or children go away (${mode})`, function () {
    this.timeout(120_000);
    const lab = `iorph-${mode === 'root' ? 'root' : 'user'}`;
    afterEach(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('kill -9 of `lab up` just after the sandbox starts: the sandbox ends at once, leaving no process, socket, lock, log or state', async () => {
      const up = startCli(mode, ['lab', 'up', '--lab', lab, '-q']);
      up.stdin.end();
      assert.ok(await eventually(() => processesWithArgs('__lab-process', '--lab', lab).length > 0, 10_000), 'the sandbox started');
      up.kill('SIGKILL');
      assert.ok(await eventually(() => processesWithArgs('__lab-process', '--lab', lab).length === 0, 3000), 'the sandbox outlived its launcher');
      assert.ok(await eventually(() => labFiles(mode, lab).length === 0, 2000), `left in the runtime folder: ${labFiles(mode, lab).join(', ')}`);
      const status = await runCli(mode, ['lab', 'status', '--lab', lab]);
      assert.equal(status.code, 3, status.stdout + status.stderr);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      await runCliOk(mode, ['lab', 'down', '--lab', lab]);
      assert.deepEqual(labFiles(mode, lab), []);
    });

    it('a lab still being started: status says so, and lab down stops it and removes its files', async () => {
      // A launcher that is alive but stopped (SIGSTOP) keeps the sandbox in its not-yet-built state.
      const up = startCli(mode, ['lab', 'up', '--lab', lab, '-q']);
      up.stdin.end();
      assert.ok(await eventually(() => processesWithArgs('__lab-process', '--lab', lab).length > 0, 10_000));
      up.kill('SIGSTOP'); // before the lab process is even listening, so the launcher cannot have asked for the build
      try {
        assert.ok(await eventually(() => labFiles(mode, lab).includes(`${lab}.sock`), 5000), 'the lab process listens');
        const status = await runCli(mode, ['lab', 'status', '--lab', lab]);
        assert.equal(status.code, 1, status.stdout);
        assert.match(status.stderr, /is still being started by `podnet lab up`: wait for it, or stop it with `podnet lab down --lab /);
        const down = await runCli(mode, ['lab', 'down', '--lab', lab]);
        assert.equal(down.code, 0, down.stderr);
        assert.ok(await eventually(() => processesWithArgs('__lab-process', '--lab', lab).length === 0, 3000), 'the sandbox is gone');
      } finally {
        up.kill('SIGKILL');
      }
      // The killed launcher could not remove its start lock; the next command sees its holder is dead and does.
      assert.equal((await runCli(mode, ['lab', 'status', '--lab', lab])).code, 3);
      assert.deepEqual(labFiles(mode, lab), []);
    });

    it('a failed `lab up` whose message does not point to the log leaves no log', async () => {
      const cni = mkdtempSync(join(tmpdir(), 'podnet-test-cni-'));
      chmodSync(cni, 0o755);
      writeFileSync(join(cni, 'bridge'), '#!/bin/sh\necho \'{"cniVersion":"0.4.0","code":11,"msg":"injected failure"}\'\nexit 1\n', { mode: 0o755 });
      for (const p of ['host-local', 'loopback']) symlinkSync(`/usr/lib/cni/${p}`, join(cni, p));
      const res = await runCli(mode, ['lab', 'up', '--lab', lab, '-q', '--cni-path', cni]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /injected failure/);
      assert.doesNotMatch(res.stderr, /\.log/);
      assert.deepEqual(labFiles(mode, lab), []);
    });

    it('the sandbox PID 1 reaps orphaned grandchildren: no zombie stays inside the sandbox', async () => {
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      const st = JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
      const pidns = readlinkSync(`/proc/${st.sandboxPid}/ns/pid`);
      // The shell exits at once; its two sleeps become orphans of the sandbox's PID 1 and exit a moment later.
      await runCliOk(mode, ['exec', 'pod-a', '--lab', lab, '--', 'busybox', 'sh', '-c', 'busybox sleep 0.2 & busybox sleep 0.3 & exit 0']);
      await new Promise((r) => setTimeout(r, 800));
      const zombies = [...states(processesInNamespace('pid', pidns)).entries()].filter(([, s]) => s === 'Z');
      assert.deepEqual(zombies, [], 'zombies inside the sandbox');
    });
  });
}
