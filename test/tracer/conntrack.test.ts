/** Conntrack for the predicted reply: a rewrite is undone only in the namespace that did it, and only for the reply of that connection. */
import { strict as assert } from 'node:assert';
import { Conntrack, replyMismatch } from '../../src/tracer/conntrack';
import { natWords } from '../../src/tracer/natWords';
import type { FilterRuleRow, PacketHeaders, ServiceRow, TraceResult } from '../../src/tracer/types';

const reply = (srcIP: string, srcPort: number, dstIP: string, dstPort = 40000): PacketHeaders => ({ srcIP, srcPort, dstIP, dstPort, ttl: 64, proto: 'tcp' });

const dnat = { namespace: 'node/node1', where: 'node1', changes: [{ field: 'dstIP' as const, from: '10.96.0.100', to: '10.244.2.2' }, { field: 'dstPort' as const, from: 80, to: 8080 }] };
const snat = { namespace: 'node/node2', where: 'node2', changes: [{ field: 'srcIP' as const, from: '192.168.1.50', to: '192.168.1.101' }] };

describe('Conntrack for the reply', () => {
  it('undoes a DNAT on the reply\'s source where it was done, and says so', () => {
    const ct = new Conntrack([dnat]);
    const p = reply('10.244.2.2', 8080, '10.244.1.2');
    assert.equal(ct.undoDnat('node/node2', p), undefined, 'another namespace has no entry');
    assert.equal(p.srcIP, '10.244.2.2');
    const said = ct.undoDnat('node/node1', p);
    assert.deepEqual([p.srcIP, p.srcPort], ['10.96.0.100', 80]);
    assert.equal(said, 'Conntrack undoes the DNAT: the reply leaves node1 with source 10.96.0.100:80, as the client expects.');
  });

  it('leaves a packet of another connection alone', () => {
    const p = reply('10.244.1.3', 8080, '10.244.1.2');
    assert.equal(new Conntrack([dnat]).undoDnat('node/node1', p), undefined);
    assert.equal(p.srcIP, '10.244.1.3');
  });

  it('undoes a SNAT on the reply\'s destination where it was done', () => {
    const p = reply('10.244.2.2', 8080, '192.168.1.101');
    const said = new Conntrack([snat]).undoSnat('node/node2', p);
    assert.equal(p.dstIP, '192.168.1.50');
    assert.match(said ?? '', /^Conntrack in node2 undoes the SNAT: the reply's destination 192\.168\.1\.101 becomes 192\.168\.1\.50 again/);
  });

  it('a reply that comes back from another address than the one the sender talked to is no answer', () => {
    const sent = reply('10.244.1.2', 40000, '10.96.0.100', 80);
    assert.equal(replyMismatch(sent, reply('10.96.0.100', 80, '10.244.1.2')), undefined);
    assert.match(replyMismatch(sent, reply('10.244.1.3', 8080, '10.244.1.2')) ?? '', /from 10\.244\.1\.3:8080, but it talked to 10\.96\.0\.100:80/);
  });
});

describe('NAT verdict words', () => {
  const rule: FilterRuleRow = { family: 'ip', table: 'kube-proxy', chain: 'service-X', hook: 'prerouting', text: 'numgen random mod 1 vmap { 0 : goto endpoint-X }', verdict: 'nat' };
  const row = (via: ServiceRow['via']): ServiceRow => ({ kind: 'service', service: 'web', address: '10.96.0.100', port: 80, via, rule, candidates: [{ ip: '10.244.2.2' }], chosen: '10.244.2.2' });
  const trace = (via?: ServiceRow['via'], nat: TraceResult['nat'] = []): Pick<TraceResult, 'hops' | 'nat'> => ({
    nat, hops: [{ index: 1, namespace: 'node/node1', where: 'node1', decision: 'forward', rows: via ? [row(via)] : [], headers: reply('a', 1, 'b'), sentence: '' }],
  });

  it('says exactly: no NAT / DNAT to an endpoint, source kept / DNAT and SNAT (source became X) / DNAT, client IP kept', () => {
    assert.equal(natWords(trace(), '10.244.1.2'), 'no NAT');
    assert.equal(natWords(trace('clusterIP'), '10.244.1.2'), 'DNAT to an endpoint, source kept');
    assert.equal(natWords(trace('nodePort', [{ field: 'srcIP', from: '192.168.1.50', to: '192.168.1.100' }]), '192.168.1.50'), 'DNAT and SNAT (source became 192.168.1.100)');
    assert.equal(natWords(trace('nodePort'), '192.168.1.50'), 'DNAT, client IP kept');
    assert.equal(natWords(trace('nodePort'), '192.168.1.50', '192.168.1.101'), 'DNAT and SNAT (source became 192.168.1.101)', 'what the server saw wins');
    assert.equal(natWords(trace(undefined, [{ field: 'srcIP', from: '172.17.0.2', to: '192.168.1.10' }]), '172.17.0.2'), undefined, 'a Docker masquerade keeps its own wording');
  });
});
