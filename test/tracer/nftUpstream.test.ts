/**
 * The evaluator on kube-proxy's table as a real cluster node shows it (test/fixtures/nft/kube-proxy-upstream.nft, loaded
 * into the real nft and listed back): interval sets, element comments, drop elements, the Local short-circuit, and a
 * learner's table with ct status, reject types and a concatenated interval set.
 */
import { strict as assert } from 'node:assert';
import { renderRule } from '../../src/tracer/nftRules';
import { fixtureText, forward, hook, ruleset, tcp } from './nftSupport';

const rs = ruleset('kube-proxy-upstream.json');
const NODE = '192.168.1.100';
const CLIENT = '192.168.1.50';

describe('nft evaluator on an upstream kube-proxy nftables-mode table', () => {
  it('reads named sets and maps with their elements, interval keys and element comments', () => {
    assert.deepEqual(rs.namedSet('ip', 'kube-proxy', 'nodeport-ips')?.elements.map((e) => e.key), [{ prefix: { addr: '192.168.1.0', len: 24 } }]);
    const noEp = rs.namedSet('ip', 'kube-proxy', 'no-endpoint-services');
    assert.equal(noEp?.kind, 'map');
    assert.equal(noEp?.dataType, 'verdict');
    assert.deepEqual(noEp?.elements.map((e) => e.comment), ['default/empty:http']);
    assert.equal(rs.namedSet('ip', 'kube-proxy', 'service-ips')?.elements.length, 3);
  });

  it('NodePort through `ip daddr @nodeport-ips` (an interval set): DNAT and mark without needing the node\'s addresses', () => {
    const f = forward(rs, { packet: tcp(CLIENT, NODE, 30080), iifname: 'eth0', oifname: 'eth0' }, NODE);
    assert.deepEqual(f.pre.unknown, []);
    assert.deepEqual(f.pre.balance?.candidates.map((c) => c.addr), ['10.244.1.2', '10.244.2.2']);
    assert.equal(f.pre.mark, 0x4000);
    assert.equal(f.packet.srcIP, NODE);
    assert.match(f.pre.rows[0].text, /^meta l4proto tcp dnat to 10\.244\.1\.2:8080$/);
  });

  it('a map element whose verdict is drop drops (no-endpoint-nodeports for a Local Service without local endpoints)', () => {
    const input = hook(rs, 'input', { packet: tcp(CLIENT, NODE, 31000), iifname: 'eth0' });
    assert.equal(input.verdict, 'drop');
    assert.equal(input.rows.at(-1)?.chain, 'endpoints-check');
  });

  it('a Local Service short-circuits Pod traffic to the Cluster chain (no mark), and a single endpoint is still a balance of one', () => {
    const pre = hook(rs, 'prerouting', { packet: tcp('10.244.1.5', NODE, 31000), iifname: 'cbr0' });
    assert.equal(pre.packet.dstIP, '10.244.2.7');
    assert.equal(pre.balance?.candidates.length, 1);
    assert.equal(pre.mark, 0);
  });

  it('a commented no-endpoint element sends the packet to reject-chain', () => {
    const f = forward(rs, { packet: tcp('10.244.1.5', '10.96.0.20', 80), iifname: 'cbr0', oifname: 'eth0' }, NODE);
    assert.equal(f.forward?.rows.at(-1)?.verdict, 'reject');
  });

  it('renders kube-proxy\'s rules the way nft lists them', () => {
    const chain = rs.get('ip kube-proxy service-ULMVA6XW-default/web/tcp/http');
    const text = chain?.rules.map(renderRule) ?? [];
    assert.equal(text[0], 'ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade');
    assert.ok(fixtureText('kube-proxy-upstream.nft').includes(text[1]), `numgen rule rendered as written: ${text[1]}`);
    const masq = rs.get('ip kube-proxy masquerading')?.rules.map(renderRule);
    assert.deepEqual(masq, ['meta mark & 0x00004000 == 0 return', 'meta mark set meta mark ^ 0x00004000', 'masquerade fully-random']);
  });
});

describe('nft evaluator on the other forms a learner may write', () => {
  it('ct status dnat: accepted only after a DNAT in this namespace, with the rule\'s comment', () => {
    const after = hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.2.2', 8080), ctStatus: ['dnat'] });
    const row = after.rows.find((r) => r.table === 'lesson');
    assert.equal(row?.verdict, 'accept');
    assert.match(row?.text ?? '', /^ct status dnat ip daddr 10\.244\.2\.0\/24 counter accept comment "after a Service's DNAT"$/);
    const before = hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.2.2', 8080) });
    assert.equal(before.rows.find((r) => r.table === 'lesson'), undefined);
  });

  it('a concatenated interval set matches on address and port range, and reject keeps its ICMP type', () => {
    const hit = hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.9.9', 1500) });
    assert.equal(hit.verdict, 'drop');
    assert.equal(hit.rows.at(-1)?.text, 'ip daddr . tcp dport @blocked counter reject with icmp host-unreachable');
    assert.equal(hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.9.9', 2500) }).verdict, 'accept');
    assert.equal(hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.10.9', 1500) }).verdict, 'accept');
  });

  it('meta mark matches the mark the packet carries in', () => {
    assert.equal(hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.8.3', 80), mark: 1 }).verdict, 'drop');
    assert.equal(hook(rs, 'forward', { packet: tcp(CLIENT, '10.244.8.3', 80), mark: 0 }).verdict, 'accept');
  });

  it('a reply (ct state established) is not checked against the no-endpoint maps', () => {
    const reply = hook(rs, 'forward', { packet: tcp('10.244.1.5', '10.96.0.20', 80), ctState: 'established' });
    assert.equal(reply.verdict, 'accept');
  });
});

describe('nft evaluator on ClientIP session affinity', () => {
  const STICKY = '10.96.0.40';

  it('a client the affinity set remembers goes straight to its endpoint, before any load balancing', () => {
    const pre = hook(rs, 'prerouting', { packet: tcp('10.244.1.9', STICKY, 80), iifname: 'cbr0' });
    assert.equal(pre.packet.dstIP, '10.244.2.2');
    assert.equal(pre.balance, undefined);
    assert.match(pre.dnatChain ?? '', /^endpoint-BBBBBBBB-default\/sticky/);
    assert.deepEqual(pre.unknown, [], 'the update statement needs no warning');
  });

  it('a new client is balanced over both endpoints', () => {
    const pre = hook(rs, 'prerouting', { packet: tcp('10.244.1.5', STICKY, 80), iifname: 'cbr0', prefer: '10.244.2.2' });
    assert.deepEqual(pre.balance?.candidates.map((c) => c.addr), ['10.244.1.2', '10.244.2.2']);
    assert.equal(pre.packet.dstIP, '10.244.2.2');
    assert.deepEqual(pre.unknown, []);
  });
});
