/** The predictor on edge cases from real kernels: host bits in rules, loopback, L3 loops, and the reply's way back. */
import { strict as assert } from 'node:assert';
import { predictTrace } from '../../src/tracer/predict';
import type { Snapshot } from '../../src/snapshot/types';
import { loadFixture, podIP } from './fixtures';

const ns = (s: Snapshot, id: string) => {
  const n = s.namespaces.find((x) => x.id === id);
  assert.ok(n, `namespace ${id}`);
  return n;
};

describe('predictTrace reads kernel prefixes leniently', () => {
  it('a policy rule printed with host bits (from 10.244.1.5/24) is followed, not thrown at', () => {
    const s = loadFixture('article.json');
    const node1 = ns(s, 'node/node1');
    node1.rules = [{ priority: 0, table: 'local' }, { priority: 100, table: '100', src: '10.244.1.5/24' }, { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }];
    node1.routes.push({ table: '100', type: 'blackhole', dst: '10.244.2.0/24' });
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.disposition, 'NO_ROUTE', 'pod-a (10.244.1.x) matches the rule and meets its blackhole');
    assert.match(t.reason ?? '', /blackhole/);
  });

  it('a route printed with host bits (10.244.2.9/24) is matched as 10.244.2.0/24', () => {
    const s = loadFixture('article.json');
    const node1 = ns(s, 'node/node1');
    node1.routes = node1.routes.filter((r) => r.dst !== '10.244.2.0/24');
    node1.routes.push({ table: 'main', type: 'unicast', dst: '10.244.2.9/24', gateway: '192.168.1.101', dev: 'eth0' });
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'pod-c' }).disposition, 'DELIVERED');
  });
});

describe('predictTrace to the loopback address', () => {
  it('stays inside the Pod through lo: one local delivery from 127.0.0.1, no NAT', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-a', to: '127.0.0.1' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.hops.map((h) => `${h.decision}@${h.namespace}`), ['deliver@pod/pod-a']);
    assert.equal(t.hops[0].ifIn, 'lo');
    assert.equal(t.hops[0].headers.srcIP, '127.0.0.1');
    assert.equal(t.delivered?.srcIP, '127.0.0.1');
    assert.deepEqual(t.nat, []);
    assert.match(t.hops[0].sentence, /never leaves/);
  });

  it('a Pod to its own IP is delivered locally from its own IP', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-a', to: podIP(s, 'pod-a') });
    assert.deepEqual(t.hops.map((h) => h.decision), ['deliver']);
    assert.equal(t.delivered?.srcIP, podIP(s, 'pod-a'));
  });
});

describe('predictTrace names an L3 routing loop', () => {
  it('two nodes routing a prefix to each other: an L3 loop with the TTL falling, and the routes that form it', () => {
    const s = loadFixture('article.json');
    ns(s, 'node/node1').routes.push({ table: 'main', type: 'unicast', dst: '10.244.7.0/24', gateway: '192.168.1.101', dev: 'eth0' });
    ns(s, 'node/node2').routes.push({ table: 'main', type: 'unicast', dst: '10.244.7.0/24', gateway: '192.168.1.100', dev: 'eth0' });
    const t = predictTrace(s, { from: 'pod-a', to: '10.244.7.7' });
    assert.equal(t.disposition, 'LOOP');
    assert.doesNotMatch(t.reason ?? '', /layer-2/);
    assert.match(t.reason ?? '', /L3 routing loop/);
    assert.match(t.reason ?? '', /TTL falling/);
    assert.match(t.reason ?? '', /node2: route 10\.244\.7\.0\/24 via 192\.168\.1\.100 dev eth0 .*next hop 192\.168\.1\.100/);
    assert.match(t.reason ?? '', /node1: route 10\.244\.7\.0\/24 via 192\.168\.1\.101 dev eth0 .*next hop 192\.168\.1\.101/);
  });
});

describe('predictTrace predicts the return path', () => {
  it('pod-a to pod-c: the reply goes back pod-c -> node2 -> node1 -> pod-a', () => {
    const s = loadFixture('article.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.returnPath?.disposition, 'DELIVERED');
    const back = t.returnPath!.hops;
    assert.equal(back[0].namespace, 'pod/pod-c');
    assert.equal(back[back.length - 1].namespace, 'pod/pod-a');
    assert.deepEqual(back.filter((h) => h.decision === 'forward').map((h) => h.where), ['node2', 'node1']);
  });

  it("a Pod to the Docker-style host's published port: the request arrives, the reply cannot return (the host has no route to Pods)", () => {
    const s = loadFixture('article-docker.json');
    const t = predictTrace(s, { from: 'pod-a', to: '192.168.1.10:8081' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.notEqual(t.returnPath?.disposition, 'DELIVERED');
    assert.match(t.returnPath?.reason ?? '', new RegExp(`no route to ${podIP(s, 'pod-a').replace(/\./g, '\\.')}`));
  });
});
