/**
 * The evaluator on the embedded lab's kube-proxy table (H2's generator, loaded into the real nft and listed back with
 * `nft -j list ruleset`: test/fixtures/nft/kube-proxy-node{1,2}.json). Expected endpoints come from the recorded Services.
 */
import { strict as assert } from 'node:assert';
import { serviceKeyOfChain } from '../../src/tracer/kubeProxyNames';
import { NODES, SERVICES } from '../support/nftFixtures';
import { forward, hook, ruleset, tcp } from './nftSupport';

const node1 = ruleset('kube-proxy-node1.json');
const node2 = ruleset('kube-proxy-node2.json');
const LOCAL1 = [`${NODES.node1.ip}/24`, '10.244.1.1/24', '127.0.0.1/8'];
const LOCAL2 = [`${NODES.node2.ip}/24`, '10.244.2.1/24', '127.0.0.1/8'];
const POD = '10.244.1.5';
const CLIENT = '192.168.1.50';

function service(name: string) {
  const s = SERVICES.find((x) => x.spec.name === name);
  if (!s) throw new Error(`no Service ${name} in the recorded lab`);
  return s;
}

const fromPod = (dst: string, port: number, extra = {}) => ({ packet: tcp(POD, dst, port), iifname: 'cbr0', oifname: 'eth0', localAddresses: LOCAL1, ...extra });

describe('nft evaluator on kube-proxy nftables-mode rules of the embedded lab', () => {
  for (const name of ['one', 'two', 'three']) {
    it(`ClusterIP Service "${name}": DNAT at prerouting to the first endpoint, every endpoint a candidate with its endpoint chain`, () => {
      const s = service(name);
      const res = hook(node1, 'prerouting', fromPod(s.spec.clusterIP, s.spec.port));
      assert.deepEqual(res.unknown, []);
      assert.ok(res.balance, 'the numgen rule is reported');
      const expected = [...s.endpoints].sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
      assert.deepEqual(res.balance.candidates.map((c) => `${c.addr}:${c.port}`), expected.map((e) => `${e.ip}:${e.port}`));
      assert.match(res.balance.rule.text, new RegExp(`^numgen random mod ${expected.length} vmap \\{ 0 : goto endpoint-`));
      assert.equal(res.balance.chosen, 0);
      assert.equal(res.packet.dstIP, expected[0].ip);
      assert.equal(res.packet.dstPort, expected[0].port);
      assert.equal(res.packet.srcIP, POD, 'DNAT only: the source is kept');
      const key = serviceKeyOfChain(res.dnatChain ?? '');
      assert.deepEqual([key?.kind, key?.name, key?.endpoint?.ip], ['endpoint', name, expected[0].ip]);
      assert.equal(serviceKeyOfChain(res.balance.chain)?.kind, 'service');
      assert.equal(res.mark, 0, 'a Pod source inside the cluster CIDR is not marked');
    });
  }

  it('follows the candidate named by prefer (address or address:port), else the first', () => {
    const s = service('three');
    for (const e of s.endpoints) {
      for (const prefer of [e.ip, `${e.ip}:${e.port}`]) {
        const res = hook(node1, 'prerouting', fromPod(s.spec.clusterIP, 80, { prefer }));
        assert.equal(res.packet.dstIP, e.ip);
        assert.equal(res.balance?.candidates[res.balance.chosen].addr, e.ip);
        assert.equal(serviceKeyOfChain(res.dnatChain ?? '')?.endpoint?.ip, e.ip);
      }
    }
    const other = hook(node1, 'prerouting', fromPod(s.spec.clusterIP, 80, { prefer: '10.244.7.7' }));
    assert.equal(other.balance?.chosen, 0);
  });

  it('a Service without endpoints is not DNATed and is rejected in forward (reject-chain), as kube-proxy does', () => {
    const s = service('empty');
    const f = forward(node1, fromPod(s.spec.clusterIP, 80), '192.168.1.100');
    assert.equal(f.pre.changes.length, 0);
    assert.equal(f.forward?.verdict, 'drop');
    const last = f.forward!.rows[f.forward!.rows.length - 1];
    assert.deepEqual([last.verdict, last.chain, last.text], ['reject', 'reject-chain', 'reject']);
    const own = hook(node1, 'output', { packet: tcp(NODES.node1.ip, s.spec.clusterIP, 80), oifname: 'eth0', localAddresses: LOCAL1 });
    assert.equal(own.verdict, 'drop', 'the node itself is refused too (filter-output)');
  });

  it('an unused port of a ClusterIP is rejected and an unallocated ClusterIP dropped (cluster-ips-check)', () => {
    const wrongPort = forward(node1, fromPod(service('one').spec.clusterIP, 81), '192.168.1.100');
    assert.equal(wrongPort.forward?.rows.at(-1)?.verdict, 'reject');
    assert.match(wrongPort.forward?.rows.at(-1)?.text ?? '', /ip daddr @cluster-ips reject/);
    const unallocated = forward(node1, fromPod('10.96.0.250', 80), '192.168.1.100');
    assert.equal(unallocated.forward?.rows.at(-1)?.verdict, 'drop');
    assert.match(unallocated.forward?.rows.at(-1)?.text ?? '', /10\.96\.0\.0\/12/);
  });

  it('protocol is part of the key: UDP to the dns Service is DNATed, TCP to the same port and a ping are not', () => {
    const s = service('dns');
    const udp = hook(node1, 'prerouting', fromPod(s.spec.clusterIP, 53, { packet: { ...tcp(POD, s.spec.clusterIP, 53), proto: 'udp' } }));
    assert.equal(udp.packet.dstIP, s.endpoints[0].ip);
    const overTcp = forward(node1, fromPod(s.spec.clusterIP, 53), '192.168.1.100');
    assert.equal(overTcp.pre.changes.length, 0);
    assert.equal(overTcp.forward?.verdict, 'drop');
    const ping = hook(node1, 'prerouting', fromPod(s.spec.clusterIP, 0, { packet: { srcIP: POD, dstIP: s.spec.clusterIP, proto: 'icmp', ttl: 64 } }));
    assert.equal(ping.changes.length, 0, 'a ping has no port: no Service element matches');
    assert.deepEqual(ping.unknown, []);
  });
});

describe('nft evaluator on kube-proxy NodePorts and the masquerade mark', () => {
  it('NodePort with Cluster policy: the outside client is DNATed to the other node\'s endpoint, marked, and masqueraded at postrouting', () => {
    const s = service('np-cluster');
    const f = forward(node1, { packet: tcp(CLIENT, NODES.node1.ip, s.spec.nodePort!), iifname: 'eth0', oifname: 'eth0', localAddresses: LOCAL1 }, NODES.node1.ip);
    assert.equal(f.pre.packet.dstIP, s.endpoints[0].ip);
    assert.equal(f.pre.mark, 0x4000);
    assert.deepEqual(f.pre.marks.map((m) => [m.chain, m.from, m.to]), [['mark-for-masquerade', 0, 0x4000]]);
    assert.equal(serviceKeyOfChain(f.pre.dnatChain ?? '')?.name, 'np-cluster');
    assert.equal(f.post?.packet.srcIP, NODES.node1.ip, 'the client address is replaced by the node\'s');
    assert.equal(f.post?.rows.at(-1)?.text, 'masquerade fully-random');
    assert.equal(f.post?.mark, 0, 'masquerading clears the bit again');
  });

  it('without the mark, postrouting leaves the source alone', () => {
    const post = hook(node1, 'postrouting', { packet: tcp(CLIENT, '10.244.2.2', 8080), oifname: 'eth0', mark: 0 }, NODES.node1.ip);
    assert.equal(post.packet.srcIP, CLIENT);
    assert.equal(post.changes.length, 0);
  });

  it('NodePort with Local policy on a node without a local endpoint: no DNAT, dropped at input (no-endpoint-nodeports)', () => {
    const s = service('np-local');
    const ctx = { packet: tcp(CLIENT, NODES.node1.ip, s.spec.nodePort!), iifname: 'eth0', localAddresses: LOCAL1 };
    const pre = hook(node1, 'prerouting', ctx);
    assert.equal(pre.changes.length, 0);
    assert.equal(pre.mark, 0);
    const input = hook(node1, 'input', { ...ctx, packet: pre.packet });
    assert.equal(input.verdict, 'drop');
    assert.equal(input.rows.at(-1)?.chain, 'nodeport-endpoints-check');
  });

  it('NodePort with Local policy on the endpoint\'s node: DNAT without the mark, so the client address is kept', () => {
    const s = service('np-local');
    const f = forward(node2, { packet: tcp(CLIENT, NODES.node2.ip, s.spec.nodePort!), iifname: 'eth0', oifname: 'cbr0', localAddresses: LOCAL2 }, '10.244.2.1');
    assert.equal(f.packet.dstIP, s.endpoints[0].ip);
    assert.equal(f.packet.srcIP, CLIENT);
    assert.equal(f.pre.mark, 0);
  });

  it('NodePort with Local policy from the node itself: short-circuited to the Cluster chain and marked (fib saddr type local)', () => {
    const s = service('np-local');
    const out = hook(node1, 'output', { packet: tcp(NODES.node1.ip, NODES.node1.ip, s.spec.nodePort!), oifname: 'lo', localAddresses: LOCAL1 });
    assert.equal(out.packet.dstIP, s.endpoints[0].ip);
    assert.equal(out.mark, 0x4000);
  });

  it('a NodePort Service without endpoints is rejected at input', () => {
    const s = service('np-empty');
    const input = hook(node1, 'input', { packet: tcp(CLIENT, NODES.node1.ip, s.spec.nodePort!), iifname: 'eth0', localAddresses: LOCAL1 });
    assert.equal(input.rows.at(-1)?.verdict, 'reject');
  });

  it('without the node\'s addresses, fib type local cannot be answered: the NodePort rule is reported, not guessed', () => {
    const s = service('np-cluster');
    const pre = hook(node1, 'prerouting', { packet: tcp(CLIENT, NODES.node1.ip, s.spec.nodePort!), iifname: 'eth0' });
    assert.equal(pre.changes.length, 0);
    assert.equal(pre.unknown.length, 1);
    assert.match(pre.unknown[0], /ip kube-proxy services handle \d+: "fib daddr type local .*vmap @service-nodeports" \(assumed not to match\)/);
  });

  it('hairpin: an endpoint reaching itself through its Service is marked and masqueraded; probing the other branches leaves no mark', () => {
    const s = service('two');
    const self = s.endpoints[0].ip;
    const ctx = { packet: tcp(self, s.spec.clusterIP, 80), iifname: 'cbr0', oifname: 'cbr0', localAddresses: LOCAL1 };
    const hairpin = forward(node1, { ...ctx, prefer: self }, '10.244.1.1');
    assert.equal(hairpin.pre.mark, 0x4000);
    assert.equal(hairpin.packet.srcIP, '10.244.1.1');
    assert.equal(hairpin.packet.dstIP, self);
    const other = forward(node1, { ...ctx, prefer: s.endpoints[1].ip }, '10.244.1.1');
    assert.equal(other.pre.mark, 0, 'the hairpin branch was only tried, not taken');
    assert.equal(other.packet.srcIP, self);
    assert.deepEqual(other.pre.marks, []);
  });

  it('a ClusterIP reached from outside the cluster CIDR is marked for masquerade (kube-proxy\'s local-traffic detector)', () => {
    const s = service('two');
    const pre = hook(node1, 'prerouting', { packet: tcp(CLIENT, s.spec.clusterIP, 80), iifname: 'eth0', localAddresses: LOCAL1 });
    assert.equal(pre.mark, 0x4000);
    assert.match(pre.marks[0].text, /meta mark set meta mark \| 0x00004000/);
  });
});

describe('nft evaluator on a reply (ct state established)', () => {
  it('NAT chains are not run for it: no DNAT, no masquerade, even with the mark set', () => {
    const s = service('two');
    const pre = hook(node1, 'prerouting', { ...fromPod(s.spec.clusterIP, 80), ctState: 'established' });
    assert.deepEqual([pre.changes, pre.balance, pre.rows], [[], undefined, []]);
    const post = hook(node1, 'postrouting', { packet: tcp('10.244.2.2', CLIENT, 40000), oifname: 'eth0', mark: 0x4000, ctState: 'established' }, NODES.node1.ip);
    assert.deepEqual([post.changes, post.rows], [[], []]);
  });
});
