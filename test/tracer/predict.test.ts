/** The predictor on snapshots recorded from the real lab, and on variants of them that break one table. */
import { strict as assert } from 'node:assert';
import { LabError } from '../../src/providers/embedded/control/labError';
import { predictTrace } from '../../src/tracer/predict';
import type { Snapshot } from '../../src/snapshot/types';
import { loadFixture, podIP } from './fixtures';

const ns = (s: Snapshot, id: string) => {
  const n = s.namespaces.find((x) => x.id === id);
  assert.ok(n, `namespace ${id}`);
  return n;
};

describe('predictTrace on the recorded article lab', () => {
  it('same node: send, veth, bridge forward by FDB, veth, deliver; TTL stays 64', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-b' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.hops.map((h) => `${h.decision}@${h.namespace}`), ['send@pod/pod-a', 'veth@node/node1', 'bridge-forward@node/node1', 'veth@pod/pod-b', 'deliver@pod/pod-b']);
    assert.equal(t.delivered?.ttl, 64);
    assert.equal(t.delivered?.srcIP, podIP(s, 'pod-a'));
    assert.deepEqual(t.nat, []);
  });

  it('cross node: routes through node1 and node2, the wire bridge in between, TTL 62, no NAT', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.disposition, 'DELIVERED');
    const forward = t.hops.filter((h) => h.decision === 'forward');
    assert.deepEqual(forward.map((h) => h.where), ['node1', 'node2']);
    assert.deepEqual(forward.map((h) => h.headers.ttl), [63, 62]);
    const wire = t.hops.find((h) => h.namespace === 'wire' && h.decision !== 'veth');
    assert.equal(wire?.decision, 'bridge-forward');
    const node2 = ns(s, 'node/node2');
    const node2eth0 = node2.links.find((l) => l.name === 'eth0')!;
    assert.equal(wire?.headers.dstMAC, node2eth0.mac, 'node1 resolved 192.168.1.101 to node2 eth0');
    assert.equal(t.delivered?.srcIP, podIP(s, 'pod-a'));
    assert.equal(t.delivered?.dstIP, podIP(s, 'pod-c'));
  });

  it('TCP to IP:port keeps the port and picks tcp', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-c', to: `${podIP(s, 'pod-a')}:8080` });
    assert.equal(t.request.proto, 'tcp');
    assert.equal(t.delivered?.dstPort, 8080);
    assert.equal(t.hops[t.hops.length - 1].namespace, 'pod/pod-a');
  });

  it('a node as source picks its own address on the way out', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'node1', to: 'pod-c' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.delivered?.srcIP, '192.168.1.100');
  });

  it('an address with no route stops at node1 with NO_ROUTE', () => {
    const t = predictTrace(loadFixture('article.json'), { from: 'pod-a', to: '10.244.9.9' });
    assert.equal(t.disposition, 'NO_ROUTE');
    assert.equal(t.hops[t.hops.length - 1].where, 'node1');
    assert.match(t.reason ?? '', /node1 has no route to 10\.244\.9\.9/);
  });

  it('a Pod namespace with forwarding off does not route for others (NOT_FORWARDING)', () => {
    const s = loadFixture('article.json');
    // pod-b is asked to route: send to an address behind it by giving pod-a a route via pod-b
    const podA = ns(s, 'pod/pod-a');
    podA.routes.push({ table: 'main', type: 'unicast', dst: '10.99.0.0/16', gateway: podIP(s, 'pod-b'), dev: 'eth0' });
    s.cluster.clusterCIDR = '10.0.0.0/8';
    const t = predictTrace(s, { from: 'pod-a', to: '10.99.1.1' });
    assert.equal(t.disposition, 'NOT_FORWARDING');
    assert.equal(t.hops[t.hops.length - 1].where, 'pod-b');
  });

  it('a route via a gateway nobody has is NEIGHBOR_UNREACHABLE', () => {
    const s = loadFixture('article.json');
    ns(s, 'node/node1').routes.push({ table: 'main', type: 'unicast', dst: '10.244.7.0/24', gateway: '192.168.1.77', dev: 'eth0' });
    const t = predictTrace(s, { from: 'pod-a', to: '10.244.7.7' });
    assert.equal(t.disposition, 'NEIGHBOR_UNREACHABLE');
    assert.match(t.reason ?? '', /192\.168\.1\.77/);
  });

  it('two nodes pointing at each other make a routing LOOP', () => {
    const s = loadFixture('article.json');
    ns(s, 'node/node1').routes.push({ table: 'main', type: 'unicast', dst: '10.244.7.0/24', gateway: '192.168.1.101', dev: 'eth0' });
    ns(s, 'node/node2').routes.push({ table: 'main', type: 'unicast', dst: '10.244.7.0/24', gateway: '192.168.1.100', dev: 'eth0' });
    const t = predictTrace(s, { from: 'pod-a', to: '10.244.7.7' });
    assert.equal(t.disposition, 'LOOP');
  });

  it('a down link stops the packet with LINK_DOWN', () => {
    const s = loadFixture('article.json');
    ns(s, 'node/node1').links.find((l) => l.name === 'eth0')!.up = false;
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.disposition, 'LINK_DOWN');
  });

  it('a blackhole route is honoured with the route cited', () => {
    const s = loadFixture('article.json');
    ns(s, 'node/node1').routes.push({ table: 'main', type: 'blackhole', dst: `${podIP(s, 'pod-c')}/32` });
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.disposition, 'NO_ROUTE');
    const last = t.hops[t.hops.length - 1];
    assert.ok(last.rows.some((r) => r.kind === 'route' && r.route.type === 'blackhole'));
  });

  it('policy rules choose the table: a rule for pod-a sends it through a table with no route', () => {
    const s = loadFixture('article.json');
    const node1 = ns(s, 'node/node1');
    node1.rules.push({ priority: 100, table: '100', src: `${podIP(s, 'pod-a')}/32` });
    node1.routes.push({ table: '100', type: 'unreachable', dst: '10.244.2.0/24' });
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'pod-c' }).disposition, 'NO_ROUTE');
    assert.equal(predictTrace(s, { from: 'pod-b', to: 'pod-c' }).disposition, 'DELIVERED');
  });

  it('refuses an unknown endpoint, naming what exists', () => {
    assert.throws(() => predictTrace(loadFixture('article.json'), { from: 'pod-x', to: 'pod-a' }), (e: unknown) => e instanceof LabError && e.field === 'from' && /Pods: pod-a, pod-b, pod-c; nodes: node1, node2/.test(e.message));
    assert.throws(() => predictTrace(loadFixture('article.json'), { from: 'pod-a', to: '8.8.8.8' }), /8\.8\.8\.8 is in no network of this lab/);
    assert.throws(() => predictTrace(loadFixture('article.json'), { from: 'pod-a', to: '10.244.1.2:99999' }), /must be a number from 1 to 65535/);
  });
});

describe('predictTrace on the recorded three-node lab', () => {
  it('every Pod reaches every other Pod; cross-node paths have two routing hops, same-node none', () => {
    const s = loadFixture('three-nodes.json');
    for (const a of s.cluster.pods) {
      for (const b of s.cluster.pods) {
        if (a.name === b.name) continue;
        const t = predictTrace(s, { from: a.name, to: b.name });
        assert.equal(t.disposition, 'DELIVERED', `${a.name} -> ${b.name}: ${t.reason}`);
        assert.equal(t.hops.filter((h) => h.decision === 'forward').length, a.node === b.node ? 0 : 2, `${a.name} -> ${b.name}`);
        assert.equal(t.delivered?.srcIP, a.ip);
      }
    }
  });
});
