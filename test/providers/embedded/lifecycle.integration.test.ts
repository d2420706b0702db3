/** Lab start-up and teardown edge cases on the real kernel: SIGKILL, a failing CNI plugin, bad topologies. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import { type Mode, runCli, runCliOk, runtimeDirFor, testableModes } from '../../support/cli';
import { eventually, hostNetworkState, processesInNamespace, processesWithArgs } from '../../support/hostState';

/** A world-readable temp folder (the unprivileged user must read the files the test writes). */
function sharedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

function writeShared(dir: string, name: string, text: string, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const labFiles = (mode: Mode, lab: string) => readdirSync(runtimeDirFor(mode)).filter((f) => f.startsWith(`${lab}.`) && !f.endsWith('.log'));

for (const mode of testableModes()) {
  describe(`embedded lab lifecycle (${mode})`, function () {
    this.timeout(120_000);
    const lab = `ilife-${mode === 'root' ? 'root' : 'user'}`;
    let hostBefore: Record<string, unknown>;

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      hostBefore = hostNetworkState();
    });
    afterEach(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('leaves nothing behind when the lab process is killed with SIGKILL, and can start again', async () => {
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      const st = JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
      const pidns = readlinkSync(`/proc/${st.sandboxPid}/ns/pid`);
      const netns = readlinkSync(`/proc/${st.sandboxPid}/ns/net`);
      const inLab = processesInNamespace('pid', pidns);
      assert.ok(inLab.length >= 5, `expected the lab and its containers, found ${inLab.length} processes`);
      process.kill(st.sandboxPid, 'SIGKILL');
      assert.ok(await eventually(() => processesInNamespace('pid', pidns).length === 0), 'container processes survived the lab process');
      assert.deepEqual(processesInNamespace('net', netns), []);
      const res = await runCli(mode, ['lab', 'status', '--lab', lab]);
      assert.equal(res.code, 3);
      assert.match(res.stdout, /is not running/);
      assert.deepEqual(labFiles(mode, lab), [], 'the stale socket is cleaned up by the next command');
      assert.deepEqual(hostNetworkState(), hostBefore);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      await runCliOk(mode, ['lab', 'down', '--lab', lab]);
    });

    it('rolls a half-built lab back when a CNI plugin fails, and says which one', async () => {
      const cni = sharedTempDir('podnet-test-cni-');
      writeShared(cni, 'bridge', '#!/bin/sh\necho \'{"cniVersion":"0.4.0","code":11,"msg":"injected failure for the test"}\'\nexit 1\n', 0o755);
      symlinkSync('/usr/lib/cni/host-local', join(cni, 'host-local'));
      symlinkSync('/usr/lib/cni/loopback', join(cni, 'loopback'));
      const res = await runCli(mode, ['lab', 'up', '--lab', lab, '-q', '--cni-path', cni]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /CNI bridge ADD failed .*injected failure for the test/);
      assert.deepEqual(processesWithArgs('__lab-process', '--lab', lab), []);
      assert.deepEqual(labFiles(mode, lab), []);
      assert.deepEqual(hostNetworkState(), hostBefore);
    });

    it('names the missing CNI plugins and the package that brings them', async () => {
      const empty = sharedTempDir('podnet-test-nocni-');
      const res = await runCli(mode, ['lab', 'up', '--lab', lab, '--cni-path', empty]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`CNI plugins \\(bridge, host-local, loopback\\) were not found in ${empty}`));
      assert.match(res.stderr, /apt-get install -y containernetworking-plugins/);
      assert.deepEqual(labFiles(mode, lab), []);
    });

    it('rejects a bad topology file with its line and field before creating anything', async () => {
      const dir = sharedTempDir('podnet-test-topo-');
      const file = writeShared(dir, 'bad.yaml', 'nodes:\n  - name: node1\n    podCIDR: 10.244.1.0/24\n  - name: node2\n    podCIDR: 10.244.1.128/25\npods: []\n');
      const res = await runCli(mode, ['lab', 'up', '--lab', lab, '--topology', file]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`${file}:5:\\d+: nodes\\[1\\]\\.podCIDR: .*overlap`, 'i'));
      assert.deepEqual(labFiles(mode, lab), []);
      const missing = await runCli(mode, ['lab', 'up', '--lab', lab, '--topology', join(dir, 'nope.yaml')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read the file \(ENOENT\)/);
    });

    it('refuses a Pod that does not fit into its node\'s Pod CIDR', async () => {
      const dir = sharedTempDir('podnet-test-topo-');
      const file = writeShared(dir, 'tiny.yaml', 'nodes:\n  - name: n1\n    podCIDR: 10.244.1.0/30\npods:\n  - name: only\n    node: n1\n');
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q', '--topology', file]);
      const res = await runCli(mode, ['pod', 'create', 'second', '--node', 'n1', '--lab', lab]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /node n1 is full: its Pod CIDR 10\.244\.1\.0\/30 holds 1 Pods/);
      const pods = JSON.parse((await runCliOk(mode, ['get', 'pods', '--lab', lab, '-o', 'json'])).stdout) as { name: string; ip: string }[];
      assert.deepEqual(pods.map((p) => [p.name, p.ip]), [['only', '10.244.1.2']]);
    });
  });
}
