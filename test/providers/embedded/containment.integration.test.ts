/** Containers and exec run in a mount namespace of their own: the host's files read-only, private /tmp and /run, no capability to undo that. */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import { RpcClient } from '../../../src/providers/embedded/control/rpcClient';
import { runCli, runCliOk, runtimeDirFor, testableModes } from '../../support/cli';
import { processesInNamespace } from '../../support/hostState';

const CAP_SYS_ADMIN = 21n;
const CAP_SYS_PTRACE = 19n;

/** Host paths an action tries to create: unique names in /etc, /root and /tmp. */
function targets(): string[] {
  const tag = randomBytes(4).toString('hex');
  return [`/etc/podnet-test-${tag}`, `/root/podnet-x-${tag}`, `/tmp/podnet-x-${tag}`];
}

/** A shell line that tries to write each path and reports, per path, whether the write worked. */
const tryWrites = (paths: string[]) => paths.map((p) => `if echo x > ${p}; then echo "wrote ${p}"; else echo "refused ${p}"; fi`).join('; ');

for (const mode of testableModes()) {
  describe(`containers cannot change host files (${mode})`, function () {
    this.timeout(120_000);
    const lab = `icont-${mode === 'root' ? 'root' : 'user'}`;
    let st: LabStatus;
    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      st = JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('podnet exec (as a lab action runs it) cannot write /etc, /root or the host /tmp; /tmp inside is private and writable', async () => {
      const paths = targets();
      const res = await runCli(mode, ['exec', 'pod-a', '--lab', lab, '--', 'busybox', 'sh', '-c', `${tryWrites(paths)}; echo inside > /tmp/own && cat /tmp/own`]);
      assert.match(res.stdout, /^inside$/m, res.stdout + res.stderr);
      for (const p of paths) assert.equal(existsSync(p), false, `${p} appeared on the host:\n${res.stdout}${res.stderr}`);
      for (const p of paths.slice(0, 2)) assert.match(res.stdout, new RegExp(`refused ${p}`));
      assert.match(res.stderr, /Read-only file system/);
    });

    it('a command run by the lab (the exec call checks and traces use) is contained too, on a node and on the wire', async () => {
      const client = await RpcClient.connect(join(runtimeDirFor(mode), `${lab}.sock`));
      try {
        for (const target of [{ kind: 'node', node: 'node1' }, { kind: 'wire' }, { kind: 'pod', pod: 'pod-c' }] as const) {
          const paths = targets();
          const res = await client.call('exec', { target, argv: ['busybox', 'sh', '-c', tryWrites(paths)], timeoutMs: 10_000 });
          for (const p of paths) assert.equal(existsSync(p), false, `${p} appeared on the host (${target.kind}):\n${res.stdout}${res.stderr}`);
        }
      } finally {
        client.close();
      }
    });

    it('cannot undo it: remounting / read-write, entering the lab process\'s mount namespace and reading its root all fail', async () => {
      const res = await runCli(mode, ['exec', 'pod-a', '--lab', lab, '--', 'busybox', 'sh', '-c',
        'mount -o remount,rw / && echo REMOUNTED; nsenter --mount=/proc/1/ns/mnt true && echo ENTERED; ls /proc/1/root/ >/dev/null && echo READ-ROOT; echo done']);
      assert.match(res.stdout, /^done$/m, res.stderr);
      assert.doesNotMatch(res.stdout, /REMOUNTED|ENTERED|READ-ROOT/);
    });

    it('the web containers run in that mount namespace without CAP_SYS_ADMIN or CAP_SYS_PTRACE', () => {
      const sandboxMnt = readlinkSync(`/proc/${st.sandboxPid}/ns/mnt`);
      const inSandbox = processesInNamespace('pid', readlinkSync(`/proc/${st.sandboxPid}/ns/pid`));
      const webs = inSandbox.filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('httpd'));
      assert.ok(webs.length >= 3, `found ${webs.length} web containers`);
      for (const p of webs) {
        assert.notEqual(readlinkSync(`/proc/${p}/ns/mnt`), sandboxMnt, 'a mount namespace of its own');
        const bnd = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]}`);
        assert.equal((bnd >> CAP_SYS_ADMIN) & 1n, 0n, 'CAP_SYS_ADMIN is gone');
        assert.equal((bnd >> CAP_SYS_PTRACE) & 1n, 0n, 'CAP_SYS_PTRACE is gone');
      }
    });
  });
}
