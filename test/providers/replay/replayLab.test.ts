import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../src/providers/embedded/control/labError';
import { ReplayLab } from '../../../src/providers/replay/replayLab';
import type { Snapshot } from '../../../src/snapshot/types';

const ARTICLE = join(__dirname, '../../fixtures/snapshots/article.json');
const fixture = JSON.parse(readFileSync(ARTICLE, 'utf8')) as Snapshot;
const inNs = (id: string) => fixture.namespaces.find((n) => n.id === id)!;

describe('ReplayLab', () => {
  it('lists pod-a, pod-b and pod-c with the IPs, MACs and host veths recorded in the fixture', async () => {
    const st = await ReplayLab.open(ARTICLE).status();
    assert.deepEqual(st.pods.map((p) => p.name), ['pod-a', 'pod-b', 'pod-c']);
    for (const p of st.pods) {
      const eth0 = inNs(`pod/${p.name}`).links.find((l) => l.name === 'eth0')!;
      assert.equal(p.ip, fixture.cluster.pods.find((x) => x.name === p.name)!.ip);
      assert.ok(inNs(`pod/${p.name}`).addresses.some((a) => a.ifname === 'eth0' && a.address === p.ip && a.prefixLength === p.prefixLength));
      assert.equal(p.mac, eth0.mac);
      assert.equal(p.hostVeth, eth0.peer!.ifname);
      assert.ok(inNs(`node/${p.node}`).links.some((l) => l.name === p.hostVeth && l.master === 'cbr0'));
      assert.equal(p.status, 'Running');
    }
    assert.deepEqual(st.pods.map((p) => [p.node, p.gateway]), [['node1', '10.244.1.1'], ['node1', '10.244.1.1'], ['node2', '10.244.2.1']]);
    assert.deepEqual(st.pods[0].containers.map((c) => [c.name, c.port]), [['web', 8080], ['sidecar', undefined]]);
  });

  it('lists the nodes with their cbr0 bridge IPs and wire ports', async () => {
    const st = await ReplayLab.open(ARTICLE).status();
    assert.deepEqual(st.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.bridge, n.bridgeIP, n.wirePort]), [
      ['node1', '192.168.1.100', '10.244.1.0/24', 'cbr0', '10.244.1.1', 'wire0-p1'],
      ['node2', '192.168.1.101', '10.244.2.0/24', 'cbr0', '10.244.2.1', 'wire0-p2'],
    ]);
    assert.equal(st.wireBridge, 'wire0');
    assert.equal(st.state, 'running');
    assert.equal(st.sandboxPid, 0);
    assert.equal(st.rootless, false);
    assert.equal(st.startedAt, fixture.capturedAt);
    assert.equal(st.topology.clusterCIDR, '10.244.0.0/16');
    assert.equal(st.dockerHost, undefined);
  });

  it('refuses exec, addPod and deletePod: a snapshot is read-only', async () => {
    const lab = ReplayLab.open(ARTICLE);
    assert.equal(lab.kind, 'replay');
    const readOnly = (e: unknown) => e instanceof LabError && e.code === 'CONFLICT' && /read-only/.test(e.message);
    await assert.rejects(lab.exec({ kind: 'pod', pod: 'pod-a' }, ['ip', 'addr']), readOnly);
    await assert.rejects(lab.addPod({ name: 'pod-d', node: 'node1' }), readOnly);
    await assert.rejects(lab.deletePod('pod-a'), readOnly);
    lab.close();
  });

  it('gives back the snapshot it replays', () => {
    assert.deepEqual(ReplayLab.open(ARTICLE).snapshot(), fixture);
  });

  it('fails to open a missing or invalid file with its path', () => {
    assert.throws(() => ReplayLab.open('/nonexistent/snap.json'), /cannot read snapshot \/nonexistent\/snap\.json \(ENOENT\)/);
    const dir = mkdtempSync(join(tmpdir(), 'podnet-replay-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...fixture, version: 'one' }));
    try {
      assert.throws(() => ReplayLab.open(bad), { message: `${bad}: $.version: expected a number, got "one"` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
