/**
 * Prediction through Services on a recorded lab with kube-proxy's real nftables table on every node (the lab's
 * generator, loaded into the real nft in a scratch namespace and listed back as JSON): the DNAT hop names the Service,
 * the balancing rule and every candidate; the reply is un-NAT'ed by conntrack where the request was rewritten.
 */
import { strict as assert } from 'node:assert';
import { findExecutable } from '../../src/providers/embedded/tools';
import type { Snapshot } from '../../src/snapshot/types';
import { formatTrace } from '../../src/tracer/format';
import { natWords } from '../../src/tracer/natWords';
import { predictTrace } from '../../src/tracer/predict';
import type { Hop, ServiceRow, TraceResult } from '../../src/tracer/types';
import { serviceSpec, withServices } from '../support/serviceSnapshot';
import { loadFixture, podIP } from './fixtures';

function serviceHop(t: TraceResult): { hop: Hop; row: ServiceRow } {
  for (const hop of t.hops) for (const row of hop.rows) if (row.kind === 'service') return { hop, row };
  assert.fail(`no hop names a Service: ${t.hops.map((h) => h.where).join(', ')}`);
}

const sender = (t: TraceResult) => t.hops[0].headers.srcIP;

describe('predictTrace through Services (kube-proxy nftables table, real nft JSON)', function () {
  this.timeout(60_000);
  let s: Snapshot;
  let b: string;
  let c: string;

  before(async function () {
    if (!findExecutable('nft') || !findExecutable('unshare')) this.skip(); // no nft to produce the rules' JSON with
    const base = loadFixture('article.json');
    s = await withServices(base, [
      { spec: serviceSpec('web', 0), pods: ['pod-b', 'pod-c'] },
      { spec: serviceSpec('np', 1, { type: 'NodePort', nodePort: 30081 }), pods: ['pod-c'] },
      { spec: serviceSpec('local', 2, { type: 'NodePort', nodePort: 30082, externalTrafficPolicy: 'Local' }), pods: ['pod-c'] },
      { spec: serviceSpec('empty', 3), pods: [] },
    ]);
    b = podIP(s, 'pod-b');
    c = podIP(s, 'pod-c');
  });

  it('the DNAT hop in node1 names Service web, its numgen rule and both endpoints with their Pods and nodes', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' });
    assert.equal(t.request.to.kind, 'service');
    assert.equal(t.request.to.ip, '10.96.0.100');
    assert.equal(t.request.port, 80);
    const { hop, row } = serviceHop(t);
    assert.equal(hop.namespace, 'node/node1');
    assert.equal(row.service, 'web');
    assert.equal(row.via, 'clusterIP');
    assert.equal(row.address, '10.96.0.100');
    assert.match(row.rule.text, /numgen random mod 2/);
    assert.deepEqual(row.candidates.map((x) => [x.ip, x.port, x.pod, x.node]).sort(), [[b, 8080, 'pod-b', 'node1'], [c, 8080, 'pod-c', 'node2']].sort());
    assert.ok(row.candidates.every((x) => x.chain?.startsWith('endpoint-')), 'each candidate names its endpoint chain');
    assert.equal(t.service?.name, 'web');
    assert.equal(t.service?.chosen, t.delivered?.dstIP);
  });

  it('prefer follows the named endpoint: to pod-c across the wire, to pod-b on node1', () => {
    const toC = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: c });
    assert.equal(toC.disposition, 'DELIVERED');
    assert.equal(toC.hops[toC.hops.length - 1].namespace, 'pod/pod-c');
    assert.deepEqual(toC.delivered && [toC.delivered.dstIP, toC.delivered.dstPort], [c, 8080]);
    const toB = predictTrace(s, { from: 'pod-a', to: '10.96.0.100:80' }, { prefer: b });
    assert.equal(toB.hops[toB.hops.length - 1].namespace, 'pod/pod-b');
  });

  it('Pod to Service keeps the source: only the destination is rewritten ("DNAT to an endpoint, source kept")', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: c });
    assert.deepEqual(t.nat.map((x) => x.field).sort(), ['dstIP', 'dstPort']);
    assert.equal(t.delivered?.srcIP, podIP(s, 'pod-a'));
    assert.equal(natWords(t, sender(t)), 'DNAT to an endpoint, source kept');
  });

  it('the terminal text names the Service, its endpoints, conntrack\'s un-DNAT and the NAT words', () => {
    const text = formatTrace(predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: c }));
    assert.match(text, new RegExp(`^Service web \\(10\\.96\\.0\\.100:80\\): DNAT to one of 2 endpoints: .*\\(pod-c on node2\\); the prediction follows ${c.replace(/\./g, '\\.')}\\.$`, 'm'));
    assert.match(text, /^ {2}Conntrack undoes the DNAT: the reply leaves node1 with source 10\.96\.0\.100:80, as the client expects\.$/m);
    assert.match(text, /^NAT \(predicted\): DNAT to an endpoint, source kept\.$/m);
  });

  it('Pod to Pod IP is still "no NAT" next to the Services', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c', proto: 'tcp', port: 8080 });
    assert.deepEqual(t.nat, []);
    assert.equal(t.service, undefined);
    assert.equal(natWords(t, sender(t)), 'no NAT');
  });

  it('the reply is un-DNATed by conntrack in node1: it reaches pod-a from 10.96.0.100:80, said in the hop', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: c });
    const back = t.returnPath!;
    assert.equal(back.disposition, 'DELIVERED', back.reason);
    assert.equal(back.notPredicted, undefined);
    const node1 = back.hops.find((h) => h.namespace === 'node/node1' && h.decision === 'forward');
    assert.ok(node1, 'the reply is routed by node1');
    assert.equal(`${node1.headers.srcIP}:${node1.headers.srcPort}`, '10.96.0.100:80');
    assert.match(node1.sentence, /Conntrack undoes the DNAT: the reply leaves node1 with source 10\.96\.0\.100:80, as the client expects/);
    const node2 = back.hops.find((h) => h.namespace === 'node/node2' && h.decision === 'forward');
    assert.equal(node2?.headers.srcIP, c, 'before node1 the reply still comes from the endpoint');
    assert.equal(back.hops[back.hops.length - 1].headers.srcIP, '10.96.0.100');
  });

  it('a same-node endpoint is bridged after the DNAT (br_netfilter): no TTL decrement, the sender\'s source MAC kept', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: b });
    const dnat = serviceHop(t).hop;
    assert.equal(dnat.decision, 'forward');
    assert.deepEqual([dnat.ifIn, dnat.ifOut], ['cbr0', 'cbr0']);
    assert.equal(t.delivered?.ttl, 64);
    assert.equal(t.delivered?.srcMAC, t.hops[0].headers.srcMAC, 'pod-a\'s own MAC, as the kernel leaves it');
    assert.match(dnat.sentence, /does not route it: it bridges the rewritten frame/);
    const routed = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: c });
    assert.equal(serviceHop(routed).hop.headers.ttl, 63, 'an endpoint behind another interface is routed');
  });

  it('a same-node endpoint: the bridged reply is un-DNATed through br_netfilter; without it the reply is no answer to the client', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: b });
    assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
    const bridged = t.returnPath!.hops.find((h) => h.namespace === 'node/node1' && h.decision === 'bridge-forward');
    assert.equal(bridged?.headers.srcIP, '10.96.0.100');
    const off = structuredClone(s);
    off.namespaces.find((n) => n.id === 'node/node1')!.bridgeNetfilter = false;
    const u = predictTrace(off, { from: 'pod-a', to: 'web' }, { prefer: b });
    assert.equal(u.returnPath?.disposition, 'DROPPED_BY_RULE');
    assert.match(u.returnPath?.reason ?? '', new RegExp(`from ${b.replace(/\./g, '\\.')}:8080, but it talked to 10\\.96\\.0\\.100:80`));
  });

  it('a Pod reaching itself through its Service (hairpin) is masqueraded to the bridge address, and the reply still returns', () => {
    const t = predictTrace(s, { from: 'pod-b', to: 'web' }, { prefer: b });
    assert.equal(t.hops[t.hops.length - 1].namespace, 'pod/pod-b');
    assert.equal(t.delivered?.srcIP, '10.244.1.1');
    assert.equal(natWords(t, sender(t)), 'DNAT and SNAT (source became 10.244.1.1)');
    assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
    assert.equal(t.returnPath?.hops.at(-1)?.headers.srcIP, '10.96.0.100');
  });

  it('a Service without endpoints ends DROPPED_BY_RULE: "no endpoints: the Service selects no ready Pod"', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'svc/empty' });
    assert.equal(t.disposition, 'DROPPED_BY_RULE');
    assert.match(t.reason ?? '', /^no endpoints: the Service selects no ready Pod/);
    const last = t.hops[t.hops.length - 1];
    assert.equal(last.namespace, 'node/node1');
    assert.ok(last.rows.some((r) => r.kind === 'filter' && r.rule.verdict === 'reject'), 'the reject rule is cited');
    assert.deepEqual(serviceHop(t).row.candidates, []);
  });

  it('NodePort with Cluster: DNAT and SNAT on node2; conntrack undoes both for the reply', () => {
    const t = predictTrace(s, { from: 'node1', to: 'node2:30081' });
    const { hop, row } = serviceHop(t);
    assert.equal(hop.namespace, 'node/node2');
    assert.equal(row.via, 'nodePort');
    assert.equal(row.service, 'np');
    assert.equal(natWords(t, sender(t)), `DNAT and SNAT (source became ${t.delivered?.srcIP})`);
    assert.notEqual(t.delivered?.srcIP, '192.168.1.100');
    const fwd = t.returnPath!.hops.find((h) => h.namespace === 'node/node2' && h.decision === 'forward')!;
    assert.match(fwd.sentence, /Conntrack in node2 undoes the SNAT: .* becomes 192\.168\.1\.100 again/);
    assert.equal(`${fwd.headers.srcIP}:${fwd.headers.srcPort}`, '192.168.1.101:30081');
    assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
  });

  it('NodePort with Local: the client IP is kept on the endpoint\'s node and dropped on a node without one', () => {
    const t = predictTrace(s, { from: 'node1', to: 'node2:30082' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.delivered?.srcIP, '192.168.1.100');
    assert.equal(natWords(t, sender(t)), 'DNAT, client IP kept');
    const u = predictTrace(s, { from: 'node2', to: 'node1:30082' });
    assert.equal(u.disposition, 'DROPPED_BY_RULE');
    assert.match(u.reason ?? '', /node1 has no endpoint of Service local and its externalTrafficPolicy is Local/);
  });
});
