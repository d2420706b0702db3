/**
 * The tunnel walk on a snapshot recorded from a real two-subnet vxlan lab (data/overlay-two-subnets.json: node1 on
 * 192.168.1.0/24, node2 on 192.168.2.0/24, router between them, pod-a 10.244.1.2, pod-b 10.244.2.2), and what changes
 * when one of the tunnel's tables is missing or wrong.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { predictTrace } from '../../src/tracer/predict';
import type { NamespaceSnapshot, Snapshot } from '../../src/snapshot/types';

const RECORDED = readFileSync(join(__dirname, 'data', 'overlay-two-subnets.json'), 'utf8');
const VTEP2_MAC = '0e:f1:c0:a8:02:64';

function recorded(): Snapshot {
  return JSON.parse(RECORDED) as Snapshot;
}
const ns = (s: Snapshot, id: string): NamespaceSnapshot => s.namespaces.find((n) => n.id === id)!;
const path = (s: Snapshot) => predictTrace(s, { from: 'pod-a', to: 'pod-b' });

describe('tracer: VXLAN tunnel walk on a recorded overlay snapshot', () => {
  it('encap at node1, the outer packet through wire, router and wire, decap at node2, delivered with pod-a\'s address', () => {
    const t = path(recorded());
    assert.equal(t.disposition, 'DELIVERED', t.reason);
    const seq = t.hops.map((h) => `${h.where}:${h.decision}`);
    const from = seq.indexOf('node1:encap');
    assert.deepEqual(seq.slice(from, from + 9), [
      'node1:encap', 'node1 → wire:veth', 'wire:bridge-forward', 'wire → router:veth', 'router:forward',
      'router → wire:veth', 'wire:bridge-forward', 'wire → node2:veth', 'node2:decap',
    ]);
    assert.equal(t.delivered?.srcIP, '10.244.1.2');
    assert.deepEqual(t.hops.map((h) => h.index), t.hops.map((_, i) => i + 1), 'hops are numbered in order across the tunnel');
  });

  it('without an FDB entry for the far VTEP MAC, node1 cannot encapsulate: NEIGHBOR_UNREACHABLE, no encap hop', () => {
    const s = recorded();
    const n1 = ns(s, 'node/node1');
    n1.fdb = n1.fdb.filter((f) => f.dev !== 'flannel.1');
    const t = path(s);
    assert.equal(t.disposition, 'NEIGHBOR_UNREACHABLE');
    assert.match(t.reason!, new RegExp(`node1's flannel.1 has no FDB entry for ${VTEP2_MAC}`));
    assert.ok(!t.hops.some((h) => h.decision === 'encap'));
  });

  it('the all-zeros FDB entry is the default destination when no entry names the MAC', () => {
    const s = recorded();
    const entry = ns(s, 'node/node1').fdb.find((f) => f.dev === 'flannel.1' && f.mac === VTEP2_MAC)!;
    entry.mac = '00:00:00:00:00:00';
    const t = path(s);
    assert.equal(t.disposition, 'DELIVERED', t.reason);
    const encap = t.hops.find((h) => h.decision === 'encap')!.rows.find((r) => r.kind === 'encap');
    assert.equal(encap?.kind === 'encap' && encap.fdb?.mac, '00:00:00:00:00:00');
  });

  it('a router without the route to subnet b stops the outer packet there, and the reason says it was the tunnel\'s outer packet', () => {
    const s = recorded();
    const r = ns(s, 'router/router');
    r.routes = r.routes.filter((x) => x.dst !== '192.168.2.0/24');
    const t = path(s);
    assert.equal(t.disposition, 'NO_ROUTE');
    assert.match(t.reason!, /^the tunnel's outer packet \(192\.168\.1\.100 -> 192\.168\.2\.100, UDP 8472\) did not arrive: router has no route to 192\.168\.2\.100/);
    const last = t.hops[t.hops.length - 1];
    assert.equal(last.namespace, 'router/router');
    assert.equal(last.outer?.dstIP, '192.168.2.100', 'the drop hop still shows the outer headers');
  });

  it('a far node whose flannel.1 is down does not unwrap (LINK_DOWN); one without a VXLAN device leaves nobody to unwrap', () => {
    const down = recorded();
    ns(down, 'node/node2').links.find((l) => l.name === 'flannel.1')!.up = false;
    const t1 = path(down);
    assert.equal(t1.disposition, 'LINK_DOWN');
    assert.match(t1.reason!, /flannel\.1 in node2 is down/);
    const gone = recorded();
    const n2 = ns(gone, 'node/node2');
    n2.links = n2.links.filter((l) => l.name !== 'flannel.1');
    const t2 = path(gone);
    assert.equal(t2.disposition, 'NEIGHBOR_UNREACHABLE');
    assert.match(t2.reason!, /reached node2, but no VXLAN device there takes UDP port 8472 for VNI 1/);
  });

  it('a far VTEP on another VNI does not take the packet', () => {
    const s = recorded();
    ns(s, 'node/node2').links.find((l) => l.name === 'flannel.1')!.vxlan!.id = 2;
    assert.equal(path(s).disposition, 'NEIGHBOR_UNREACHABLE');
  });
});
