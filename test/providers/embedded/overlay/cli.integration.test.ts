/**
 * The overlay through the `podnet` CLI, end to end on the real kernel (as root and as an unprivileged user): a topology file with two subnets and
 * vxlan nodes, `lab up`, `lab status`, `exec --router` and a Pod's HTTP request across the router.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabStatus } from '../../../../src/providers/embedded/control/protocol';
import { runCli, runCliOk, testableModes } from '../../../support/cli';

const TOPOLOGY = `# two subnets joined by a router; Flannel-style vxlan nodes on each
network:
  subnets:
    - {name: a, cidr: 192.168.1.0/24}
    - {name: b, cidr: 192.168.2.0/24}
nodes:
  - {name: node1, subnet: a, cni: vxlan}
  - {name: node2, subnet: b, cni: vxlan}
pods:
  - {name: pod-a, node: node1}
  - {name: pod-b, node: node2}
`;

/** The topology file in a folder any user can read. */
function topologyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-overlay-cli-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'overlay.yaml');
  writeFileSync(file, TOPOLOGY, { mode: 0o644 });
  return file;
}

for (const mode of testableModes()) {
  describe(`podnet with an overlay topology file (${mode})`, function () {
    this.timeout(120_000);
    const lab = `ovl-cli-${mode === 'root' ? 'root' : 'user'}`;
    let st: LabStatus;
    const exec = (target: string[], argv: string[]) => runCliOk(mode, ['exec', '--lab', lab, ...target, '--', ...argv]);

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]); // a previous aborted run
      const up = await runCli(mode, ['lab', 'up', '--lab', lab, '--topology', topologyFile(), '-q']);
      assert.equal(up.code, 0, up.stderr);
      st = JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('reports the router, each node\'s subnet and its flannel.1 VTEP in the status', () => {
      assert.deepEqual(st.router?.interfaces.map((i) => [i.subnet, i.ip]), [['a', '192.168.1.1'], ['b', '192.168.2.1']]);
      assert.deepEqual(st.nodes.map((n) => [n.name, n.ip, n.subnet, n.vtep?.dev, n.vtep?.vni, n.vtep?.port]), [
        ['node1', '192.168.1.100', 'a', 'flannel.1', 1, 8472], ['node2', '192.168.2.100', 'b', 'flannel.1', 1, 8472],
      ]);
    });

    it('runs a command on the router with exec --router: it routes only the two subnets', async () => {
      const routes = JSON.parse((await exec(['--router'], ['ip', '-j', 'route', 'show'])).stdout) as { dst: string }[];
      assert.deepEqual(routes.map((r) => r.dst).sort(), ['192.168.1.0/24', '192.168.2.0/24']);
    });

    it("carries pod-a's HTTP request to pod-b across the router; pod-b sees pod-a's own IP", async () => {
      const [a, b] = ['pod-a', 'pod-b'].map((n) => st.pods.find((p) => p.name === n)?.ip ?? assert.fail(`no ${n}`));
      const answer = JSON.parse((await exec(['pod-a'], ['busybox', 'wget', '-q', '-O', '-', `http://${b}:8080/`])).stdout) as { pod: string; sawSource: string };
      assert.deepEqual([answer.pod, answer.sawSource], ['pod-b', a]);
    });
  });
}
