/** The collector against a real embedded lab (root): what the article's cluster looks like from its namespaces. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecResult, ExecTarget, LabStatus, PodInfo, PodRequest } from '../../src/providers/embedded/control/protocol';
import { EmbeddedLab } from '../../src/providers/embedded/embeddedLab';
import type { LabProvider } from '../../src/providers/provider';
import { collectSnapshot } from '../../src/snapshot/collect';
import type { NamespaceSnapshot, Snapshot } from '../../src/snapshot/types';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/validate';
import { runCli, runCliOk, runningAsRoot } from '../support/cli';

const LAB = 'isnap';

/** Wraps a real lab: status() answers first, then deletes `victim` for real before any exec reaches it. */
class DeletesPodAfterStatus implements LabProvider {
  readonly kind = 'embedded';
  private deleted = false;
  constructor(private readonly real: EmbeddedLab, private readonly victim: string) {}
  async status(): Promise<LabStatus> {
    const st = await this.real.status();
    if (!this.deleted) {
      this.deleted = true;
      await this.real.deletePod(this.victim);
    }
    return st;
  }
  exec(target: ExecTarget, argv: string[], opts?: { timeoutMs?: number }): Promise<ExecResult> {
    return this.real.exec(target, argv, opts);
  }
  addPod(req: PodRequest): Promise<PodInfo> {
    return this.real.addPod(req);
  }
  deletePod(name: string): Promise<{ name: string; ip: string }> {
    return this.real.deletePod(name);
  }
  close(): void {}
}

const stable = (s: Snapshot) => s.namespaces.map((n) => ({ id: n.id, links: n.links, addresses: n.addresses, routes: n.routes }));

(runningAsRoot() ? describe : describe.skip)('collectSnapshot on the article lab (root)', function () {
  this.timeout(120_000);
  let dir: string;
  let snap: Snapshot;
  let pods: PodInfo[];
  const ns = (id: string): NamespaceSnapshot => {
    const found = snap.namespaces.find((n) => n.id === id);
    assert.ok(found, `no namespace ${id} in ${snap.namespaces.map((n) => n.id).join(', ')}`);
    return found;
  };

  before(async () => {
    await runCli('root', ['lab', 'down', '--lab', LAB]);
    await runCliOk('root', ['lab', 'up', '--lab', LAB, '-q']);
    dir = mkdtempSync(join(tmpdir(), 'podnet-snap-'));
    const file = join(dir, 'snap.json');
    const res = await runCliOk('root', ['snapshot', '--lab', LAB, '-o', file]);
    assert.match(res.stderr, /6 namespaces, \d+ links, \d+ addresses, \d+ routes, \d+ fdb entries in \d+ ms/);
    snap = parseSnapshot(readFileSync(file, 'utf8'), file);
    pods = JSON.parse((await runCliOk('root', ['get', 'pods', '-o', 'json', '--lab', LAB])).stdout) as PodInfo[];
  });

  after(async () => {
    await runCli('root', ['lab', 'down', '--lab', LAB]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the six namespaces of the article lab, in kind then name order', () => {
    assert.deepEqual(snap.namespaces.map((n) => n.id), ['wire', 'node/node1', 'node/node2', 'pod/pod-a', 'pod/pod-b', 'pod/pod-c']);
    assert.deepEqual(snap.source, { provider: 'embedded', lab: LAB, rootless: false });
    assert.deepEqual(snap.cluster.pods.map((p) => [p.name, p.ip]), pods.map((p) => [p.name, p.ip]));
  });

  it("resolves pod-a's eth0 to node1's host veth (hostVeth of `get pods`), a port of cbr0", () => {
    const podA = pods.find((p) => p.name === 'pod-a')!;
    const eth0 = ns('pod/pod-a').links.find((l) => l.name === 'eth0')!;
    assert.deepEqual(eth0.peer, { namespace: 'node/node1', ifname: podA.hostVeth });
    const veth = ns('node/node1').links.find((l) => l.name === podA.hostVeth)!;
    assert.equal(veth.kind, 'veth');
    assert.equal(veth.master, 'cbr0');
    assert.deepEqual(veth.peer, { namespace: 'pod/pod-a', ifname: 'eth0' });
    assert.equal(eth0.mac, podA.mac);
  });

  it('resolves every veth of the lab, nodes to wire ports included', () => {
    for (const n of snap.namespaces) for (const l of n.links.filter((x) => x.kind === 'veth')) assert.ok(l.peer, `${n.id} ${l.name} unresolved`);
    assert.deepEqual(ns('node/node1').links.find((l) => l.name === 'eth0')!.peer, { namespace: 'wire', ifname: 'wire0-p1' });
  });

  it('has the cross-node route 10.244.2.0/24 via 192.168.1.101 dev eth0 on node1', () => {
    const r = ns('node/node1').routes.find((x) => x.table === 'main' && x.dst === '10.244.2.0/24');
    assert.deepEqual(r && { gateway: r.gateway, dev: r.dev, type: r.type }, { gateway: '192.168.1.101', dev: 'eth0', type: 'unicast' });
    assert.ok(ns('node/node1').routes.some((x) => x.table === 'local' && x.type === 'local' && x.dst === '10.244.1.1/32'));
    assert.ok(ns('pod/pod-a').routes.some((x) => x.dst === '0.0.0.0/0' && x.gateway === '10.244.1.1'));
  });

  it('has fdb entries on node1 whose master is cbr0', () => {
    const fdb = ns('node/node1').fdb.filter((e) => e.master === 'cbr0');
    assert.ok(fdb.length > 0);
    const podA = pods.find((p) => p.name === 'pod-a')!;
    assert.ok(fdb.some((e) => e.dev === podA.hostVeth));
  });

  it('sees forwarding on in the nodes and off in the Pods', () => {
    assert.deepEqual(snap.namespaces.filter((n) => n.kind !== 'wire').map((n) => [n.id, n.forwarding]),
      [['node/node1', true], ['node/node2', true], ['pod/pod-a', false], ['pod/pod-b', false], ['pod/pod-c', false]]);
    assert.equal(ns('pod/pod-a').filter.tool, 'nft');
  });

  it('is deterministic: two snapshots back to back have the same links, addresses and routes', async () => {
    const lab = await EmbeddedLab.connect(LAB);
    try {
      const started = performance.now();
      const a = await collectSnapshot(lab);
      const ms = performance.now() - started;
      const b = await collectSnapshot(lab);
      assert.deepEqual(stable(b), stable(a));
      assert.deepEqual(stable(a), stable(snap));
      assert.ok(ms < 2000, `collecting took ${Math.round(ms)} ms`);
    } finally {
      lab.close();
    }
  });

  it('leaves out a Pod deleted mid-collection, in namespaces and cluster facts, and stays valid (runs last: deletes pod-c)', async () => {
    const real = await EmbeddedLab.connect(LAB);
    try {
      const s = await collectSnapshot(new DeletesPodAfterStatus(real, 'pod-c'));
      assert.deepEqual(s.namespaces.filter((n) => n.kind === 'pod').map((n) => n.id), ['pod/pod-a', 'pod/pod-b']);
      assert.deepEqual(s.cluster.pods.map((p) => p.name), ['pod-a', 'pod-b']);
      assert.equal(parseSnapshot(serializeSnapshot(s)).namespaces.length, s.namespaces.length);
    } finally {
      real.close();
    }
  });
});
