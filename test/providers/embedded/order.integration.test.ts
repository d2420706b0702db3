/** Stable order on a real lab: nodes in file order, Pod IPs per node in file order although Pods are built in parallel; ptp nodes described as such. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeInfo, PodInfo } from '../../../src/providers/embedded/control/protocol';
import { runCli, runCliOk, testableModes } from '../../support/cli';

const ZETA_PODS = Array.from({ length: 10 }, (_, i) => `z${i}`);
/** Three nodes whose file order is not alphabetical; a ptp node; Pods of two nodes interleaved. */
const TOPOLOGY = `nodes:
  - name: zeta
  - name: alpha
    cni: ptp
  - name: mid
pods:
${ZETA_PODS.map((p, i) => `  - name: ${p}\n    node: zeta\n${i % 4 === 0 ? `  - name: a${i / 4}\n    node: alpha\n` : ''}`).join('')}`;

function topologyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-test-order-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'order.yaml');
  writeFileSync(file, TOPOLOGY, { mode: 0o644 });
  return file;
}

for (const mode of testableModes()) {
  describe(`embedded lab order and ptp wording (${mode})`, function () {
    this.timeout(120_000);
    const lab = `iorder-${mode === 'root' ? 'root' : 'user'}`;
    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q', '--topology', topologyFile()]);
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('lists nodes in the order of the topology file, not by name or by who finished first', async () => {
      const nodes = JSON.parse((await runCliOk(mode, ['get', 'nodes', '--lab', lab, '-o', 'json'])).stdout) as NodeInfo[];
      assert.deepEqual(nodes.map((n) => n.name), ['zeta', 'alpha', 'mid']);
    });

    it('gives each node\'s Pods its addresses in file order: .2, .3, ... although they are built six at a time', async () => {
      const pods = JSON.parse((await runCliOk(mode, ['get', 'pods', '--lab', lab, '-o', 'json'])).stdout) as PodInfo[];
      const ip = new Map(pods.map((p) => [p.name, p.ip]));
      assert.deepEqual(ZETA_PODS.map((p) => ip.get(p)), ZETA_PODS.map((_, i) => `10.244.1.${i + 2}`));
      assert.deepEqual(['a0', 'a1', 'a2'].map((p) => ip.get(p)), ['10.244.2.2', '10.244.2.3', '10.244.2.4']);
    });

    it('pod create names the bridge on a bridge node, and says there is none on a ptp node', async () => {
      const onBridge = await runCliOk(mode, ['pod', 'create', 'late-m', '--node', 'mid', '--lab', lab]);
      assert.match(onBridge.stdout, /^pod\/late-m created on mid with IP 10\.244\.3\.2 \(veth \S+ on cbr0\)$/m);
      const onPtp = await runCliOk(mode, ['pod', 'create', 'late-a', '--node', 'alpha', '--lab', lab]);
      assert.match(onPtp.stdout, /^pod\/late-a created on alpha with IP 10\.244\.2\.5 \(veth \S+ routed by a \/32 route on alpha, no bridge \(ptp\)\)$/m);
      assert.doesNotMatch(onPtp.stdout, /cbr0/);
    });
  });
}
