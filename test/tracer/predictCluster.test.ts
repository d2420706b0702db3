import { strict as assert } from 'node:assert';
import { predictTrace } from '../../src/tracer/predict';
import { namedInRequest } from '../../src/tracer/traceScope';
import { execTargetFor } from '../../src/tracer/verify/namespaceTarget';
import type { Snapshot } from '../../src/snapshot/types';
import { referenceProblem } from '../../src/snapshot/validate';
import { loadFixture } from './fixtures';

/** The kind-ptp lab as a cluster snapshot shows it: no wire namespace (the nodes' network is outside it), Pods named NAMESPACE/NAME. */
function asCluster(s: Snapshot, keepNeighbors: boolean): Snapshot {
  const rename = (name: string) => `default/${name}`;
  s.source = { provider: 'kube', lab: 'kind-lab', context: 'kind-lab', cluster: 'kind-lab', server: 'https://127.0.0.1:6443', access: 'container' };
  s.namespaces = s.namespaces.filter((ns) => ns.kind !== 'wire');
  for (const ns of s.namespaces) {
    if (ns.kind === 'pod') {
      ns.name = rename(ns.name);
      ns.id = `pod/${ns.name}`;
    }
    for (const l of ns.links) {
      if (l.peer?.namespace === 'wire') {
        delete l.peer;
        l.peerIfindex = 99;
      } else if (l.peer?.namespace.startsWith('pod/')) {
        l.peer.namespace = `pod/${rename(l.peer.namespace.slice(4))}`;
      }
    }
    if (!keepNeighbors && ns.kind === 'node') ns.neighbors = ns.neighbors.filter((n) => n.dev !== 'eth0');
  }
  delete s.cluster.network;
  for (const p of s.cluster.pods) p.name = rename(p.name);
  return s;
}

describe('tracer on a cluster snapshot (no wire namespace)', () => {
  for (const keepNeighbors of [true, false]) {
    it(`predicts a cross-node path over the unseen node network${keepNeighbors ? '' : ', finding the next node by its address when the ARP table is empty'}`, () => {
      const s = asCluster(loadFixture('kind-ptp.json'), keepNeighbors);
      assert.equal(referenceProblem(s), undefined);
      const r = predictTrace(s, { from: 'default/kp-1', to: 'default/pod-a' });
      assert.equal(r.disposition, 'DELIVERED', r.reason);
      const crossing = r.hops.find((h) => h.rows.some((row) => row.kind === 'veth' && row.network));
      assert.ok(crossing, 'one hop crosses the node network');
      const row = crossing.rows[0];
      assert.ok(row.kind === 'veth');
      assert.deepEqual([row.from, row.to, row.network], [{ namespace: 'node/kind1', ifname: 'eth0' }, { namespace: 'node/node1', ifname: 'eth0' }, '192.168.1.0/24']);
      assert.match(crossing.sentence, /node network 192\.168\.1\.0\/24/);
      assert.equal(r.hops.at(-1)?.namespace, 'pod/default/pod-a');
      assert.equal(r.delivered?.srcIP, '10.244.3.3', 'no NAT on the way');
      assert.equal(r.delivered?.ttl, 62, 'two routers: kind1 and node1');
    });
  }

  it('still stops where a node sends out of a link that leads to no node of the snapshot', () => {
    const s = asCluster(loadFixture('kind-ptp.json'), false);
    s.namespaces = s.namespaces.filter((ns) => ns.id !== 'node/node1' && ns.id !== 'pod/default/pod-a');
    s.cluster.nodes = s.cluster.nodes.filter((n) => n.name !== 'node1');
    s.cluster.pods = s.cluster.pods.filter((p) => p.name !== 'default/pod-a');
    const r = predictTrace(s, { from: 'default/kp-1', to: '10.244.1.2' });
    assert.notEqual(r.disposition, 'DELIVERED');
  });

  it('enters a Pod whose name contains the Kubernetes namespace', () => {
    assert.deepEqual(execTargetFor('pod/default/web-1'), { kind: 'pod', pod: 'default/web-1' });
    assert.deepEqual(execTargetFor('node/kind-worker'), { kind: 'node', node: 'kind-worker' });
    assert.deepEqual(execTargetFor('wire'), { kind: 'wire' });
  });
});

describe('trace endpoints on a cluster snapshot', () => {
  it('finds a Pod by its bare name when one namespace has it, and asks for NAMESPACE/NAME when several do', () => {
    const s = asCluster(loadFixture('kind-ptp.json'), true);
    assert.equal(predictTrace(s, { from: 'kp-1', to: 'pod-a' }).request.to.name, 'default/pod-a');
    s.cluster.pods.push({ ...s.cluster.pods[0], name: 'other/kp-1' });
    assert.throws(() => predictTrace(s, { from: 'kp-1', to: 'pod-a' }), /several namespaces \(default\/kp-1, other\/kp-1\): write NAMESPACE\/kp-1/);
  });

  it('traces to a node by name and to a bare IP of a node', () => {
    const s = asCluster(loadFixture('kind-ptp.json'), false);
    const toNode = predictTrace(s, { from: 'default/kp-1', to: 'node1' });
    assert.equal(toNode.disposition, 'DELIVERED', toNode.reason);
    assert.equal(toNode.hops.at(-1)?.namespace, 'node/node1');
    const toIp = predictTrace(s, { from: 'default/kp-1', to: '192.168.1.101' });
    assert.equal(toIp.disposition, 'DELIVERED', toIp.reason);
    assert.equal(toIp.hops.at(-1)?.namespace, 'node/node2');
  });
});

describe('what a live trace on a cluster reads', () => {
  const pod = (name: string, ip: string) => ({ name, ip }) as Parameters<ReturnType<typeof namedInRequest>>[0];
  it('keeps only the Pods named as FROM or TO, by NAMESPACE/NAME, bare NAME or IP[:PORT]', () => {
    const keep = namedInRequest({ from: 'pod-a', to: '10.244.2.7:8080' });
    assert.deepEqual(
      [pod('default/pod-a', '10.244.1.2'), pod('other/pod-a', '10.244.1.3'), pod('default/pod-ab', '10.244.1.4'), pod('web/x', '10.244.2.7'), pod('web/y', '')].filter(keep).map((p) => p.name),
      ['default/pod-a', 'other/pod-a', 'web/x'],
    );
    assert.equal(namedInRequest({ from: 'web/x', to: 'kind-worker' })(pod('default/x', '10.0.0.1')), false);
  });
});
