/**
 * Prediction through a VXLAN overlay and across a router, on snapshots of real labs (root): two subnets joined by the
 * router, pod-a on node1 (subnet a), pod-b on node2 (subnet b).
 */
import { strict as assert } from 'node:assert';
import { predictTrace } from '../../src/tracer/predict';
import type { Hop, TableRow, TraceResult } from '../../src/tracer/types';
import type { Snapshot } from '../../src/snapshot/types';
import { runningAsRoot } from '../support/cli';
import { type OverlayTestLab, startTestLab, twoSubnetTopology } from './support/overlaySnapshots';

const rowOf = <K extends TableRow['kind']>(h: Hop, kind: K) => h.rows.find((r): r is Extract<TableRow, { kind: K }> => r.kind === kind);

(runningAsRoot() ? describe : describe.skip)('tracer: prediction through a vxlan overlay and across a router (real labs, root)', function () {
  this.timeout(180_000);
  let overlay: OverlayTestLab;
  let routed: OverlayTestLab;
  let snap: Snapshot;
  let t: TraceResult;
  const podIP = (l: OverlayTestLab, name: string) => l.status.pods.find((p) => p.name === name)!.ip;
  const node = (l: OverlayTestLab, name: string) => l.status.nodes.find((n) => n.name === name)!;

  before(async () => {
    overlay = await startTestLab('ivxpred', twoSubnetTopology('vxlan'));
    routed = await startTestLab('ivxrout', twoSubnetTopology('bridge'));
    snap = await overlay.snapshot();
    t = predictTrace(snap, { from: 'pod-a', to: 'pod-b' });
  });
  after(async () => {
    await overlay?.down();
    await routed?.down();
  });

  it('wraps the Pod packet at node1: the encap hop cites the neighbour (far VTEP MAC) and the FDB row (remote node IP), with the outer headers', () => {
    assert.equal(t.disposition, 'DELIVERED', t.reason);
    const encap = t.hops.filter((h) => h.decision === 'encap');
    assert.equal(encap.length, 1);
    const [e] = encap;
    assert.deepEqual([e.where, e.ifIn, e.ifOut], ['node1', 'flannel.1', 'eth0']);
    const row = rowOf(e, 'encap');
    assert.ok(row, 'an encap row');
    const vtep2 = node(overlay, 'node2').vtep!;
    assert.equal(row.dev, 'flannel.1');
    assert.equal(row.vni, 1);
    assert.equal(row.fdb?.mac, vtep2.mac);
    assert.equal(row.fdb?.dst, '192.168.2.100');
    assert.equal(row.neighbor?.ip, '10.244.2.0');
    assert.equal(row.neighbor?.mac, vtep2.mac);
    assert.equal(e.outer?.srcIP, '192.168.1.100');
    assert.equal(e.outer?.dstIP, '192.168.2.100');
    assert.deepEqual([e.outer?.proto, e.outer?.dstPort, e.outer?.vni, e.outer?.overhead], ['udp', 8472, 1, 50]);
    assert.equal(e.headers.srcIP, podIP(overlay, 'pod-a'), 'the hop\'s own headers stay the Pod packet');
    const underlayRoute = rowOf(e, 'route');
    assert.equal(underlayRoute?.route.dst, '0.0.0.0/0', 'the outer packet follows node1\'s default route');
    assert.equal(underlayRoute?.route.gateway, '192.168.1.1');
  });

  it('the router forwards only the outer packet: its route is a node subnet, never a Pod CIDR, and the outer TTL drops there', () => {
    const r = t.hops.find((h) => h.namespace === 'router/router' && h.decision === 'forward');
    assert.ok(r, t.hops.map((h) => `${h.where}:${h.decision}`).join(' '));
    assert.equal(rowOf(r, 'route')?.route.dst, '192.168.2.0/24');
    assert.equal(r.outer?.dstIP, '192.168.2.100');
    assert.equal(r.outer?.ttl, 63);
    assert.match(r.sentence, /sees only the outer packet/);
    const between = t.hops.slice(t.hops.findIndex((h) => h.decision === 'encap'), t.hops.findIndex((h) => h.decision === 'decap'));
    assert.ok(between.length >= 6, 'node1, wire, router, wire, node2 between encap and decap');
    for (const h of between) assert.ok(h.outer, `hop ${h.index} ${h.where} carries outer headers`);
    for (const h of t.hops.filter((x) => !between.includes(x))) assert.equal(h.outer, undefined, `hop ${h.index} ${h.where} is outside the tunnel`);
  });

  it('node2 unwraps it on flannel.1 and the Pod receives the sender Pod\'s own address (no NAT); the reply comes back the same way', () => {
    const d = t.hops.find((h) => h.decision === 'decap')!;
    assert.deepEqual([d.where, d.ifIn, d.ifOut], ['node2', 'eth0', 'flannel.1']);
    assert.equal(rowOf(d, 'decap')?.outer.srcIP, '192.168.1.100');
    const next = t.hops[d.index];
    assert.deepEqual([next.where, next.decision, next.ifIn, next.ifOut], ['node2', 'forward', 'flannel.1', 'cbr0']);
    assert.equal(t.delivered?.srcIP, podIP(overlay, 'pod-a'));
    assert.equal(t.delivered?.dstIP, podIP(overlay, 'pod-b'));
    assert.equal(t.delivered?.ttl, 62, 'two Pod-level routing hops; the router lowered only the outer TTL');
    assert.deepEqual(t.nat, []);
    assert.equal(t.returnPath?.disposition, 'DELIVERED');
    assert.deepEqual(t.returnPath?.hops.filter((h) => h.decision === 'encap' || h.decision === 'decap').map((h) => `${h.where}:${h.decision}`), ['node2:encap', 'node1:decap']);
  });

  it('routed nodes across the router: NO_ROUTE at the router, which knows only the node subnets; the direct route needs one link', async () => {
    const s = await routed.snapshot();
    const r = predictTrace(s, { from: 'pod-a', to: 'pod-b' });
    assert.equal(r.disposition, 'NO_ROUTE');
    const last = r.hops[r.hops.length - 1];
    assert.equal(last.namespace, 'router/router');
    assert.equal(last.decision, 'drop');
    const node1 = r.hops.find((h) => h.where === 'node1' && h.decision === 'forward')!;
    assert.equal(rowOf(node1, 'route')?.route.dst, '0.0.0.0/0', 'node1 has no route for node2\'s Pod CIDR, only its default route');
    assert.match(r.reason!, /^router has no route to 10\.244\.2\.\d+: a router between subnets knows only the node subnets \(192\.168\.1\.0\/24, 192\.168\.2\.0\/24\), not the Pod CIDRs/);
    assert.match(r.reason!, /10\.244\.2\.0\/24 via 192\.168\.2\.100 \(node2\)/);
    assert.match(r.reason!, /on the node's own link/);
    assert.ok(!r.hops.some((h) => h.outer), 'no tunnel on routed nodes');
  });
});
