/** The CLI on a lab whose nodes sit on two subnets joined by a router: exec --router, and what lab status and get nodes say about it. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Mode, runCli, runCliOk, testableModes } from '../../support/cli';

const TOPOLOGY = `network:
  subnets:
    - {name: rack1, cidr: 192.168.1.0/24}
    - {name: rack2, cidr: 192.168.2.0/24}
nodes:
  - {name: node1, ip: 192.168.1.100}
  - {name: node2, ip: 192.168.2.100}
pods:
  - {name: pod-a, node: node1}
  - {name: pod-c, node: node2}
`;

for (const mode of testableModes()) {
  describe(`podnet exec --router and lab status across subnets (${mode})`, function () {
    this.timeout(120_000);
    const lab = `irouter-${mode === 'root' ? 'root' : 'user'}`;
    let dir: string;
    const cli = (...args: string[]) => runCli(mode as Mode, ['--lab', lab, ...args]);
    const ok = (...args: string[]) => runCliOk(mode as Mode, ['--lab', lab, ...args]);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'podnet-router-cli-'));
      chmodSync(dir, 0o755); // the unprivileged CLI reads the topology too
      writeFileSync(join(dir, 'lab.yaml'), TOPOLOGY, { mode: 0o644 });
      await cli('lab', 'down');
      const up = await cli('lab', 'up', '--topology', join(dir, 'lab.yaml'), '-q');
      assert.equal(up.code, 0, up.stderr + up.stdout);
      assert.match(up.stdout, /router router: eth0 192\.168\.1\.1 \(rack1\), eth1 192\.168\.2\.1 \(rack2\)/);
    });
    after(async () => {
      await cli('lab', 'down');
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('exec --router runs in the router, which has one address in each subnet and no route to any Pod CIDR', async () => {
      const addrs = (await ok('exec', '--router', '--', 'ip', '-4', '-o', 'addr')).stdout;
      assert.match(addrs, /inet 192\.168\.1\.1\/24/);
      assert.match(addrs, /inet 192\.168\.2\.1\/24/);
      assert.doesNotMatch((await ok('exec', '--router', '--', 'ip', '-4', 'route')).stdout, /10\.244\./);
    });

    it('lab status names each node\'s subnet, and the Pod routes the routed nodes could not install across the router', async () => {
      const status = (await ok('lab', 'status')).stdout;
      assert.match(status, /^ {2}node1 {2}eth0 192\.168\.1\.100 .* subnet rack1$/m);
      assert.match(status, /^ {2}node2 {2}eth0 192\.168\.2\.100 .* subnet rack2$/m);
      assert.match(status, /^ {4}route 10\.244\.2\.0\/24 via 192\.168\.2\.100 not installed: .*not on node1's subnet/m);
      assert.match(status, /^ {4}route 10\.244\.1\.0\/24 via 192\.168\.1\.100 not installed: /m);
      const wide = (await ok('get', 'nodes', '-o', 'wide')).stdout.split('\n').map((l) => l.split(/\s{2,}/));
      assert.deepEqual(wide.slice(1, 3).map((r) => [r[0], r[4], r[5]]), [['node1', 'bridge', 'rack1'], ['node2', 'bridge', 'rack2']]);
    });
  });
}
