/** The predictor is CNI-agnostic and reads nftables: recorded kind-style ptp, Docker-style NAT and drop-rule labs. */
import { strict as assert } from 'node:assert';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture, podIP } from './fixtures';

describe('predictTrace on a recorded kind-style ptp node', () => {
  it('routes between two Pods of the same ptp node (no bridge): one routing hop via the /32 routes', () => {
    const s = loadFixture('kind-ptp.json');
    const kind1 = s.namespaces.find((n) => n.id === 'node/kind1')!;
    assert.ok(!kind1.links.some((l) => l.kind === 'bridge'), 'the ptp node has no bridge');
    const t = predictTrace(s, { from: 'kp-1', to: 'kp-2' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.hops.map((h) => h.decision), ['send', 'veth', 'forward', 'veth', 'deliver']);
    const route = t.hops[2].rows.find((r) => r.kind === 'route');
    assert.ok(route?.kind === 'route');
    assert.equal(route.route.dst, `${podIP(s, 'kp-2')}/32`);
    assert.equal(t.delivered?.ttl, 63, 'unlike a bridge, the ptp node is a router even on the same node');
  });

  it('reaches a ptp Pod from a cbr0 Pod on another node', () => {
    const s = loadFixture('kind-ptp.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'kp-2' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.hops.filter((h) => h.decision === 'forward').map((h) => h.where), ['node1', 'kind1']);
    assert.equal(t.delivered?.srcIP, podIP(s, 'pod-a'));
  });
});

describe('predictTrace through the recorded Docker-style host', () => {
  it('masquerades a container leaving the host, citing the nft rule', () => {
    const s = loadFixture('article-docker.json');
    const t = predictTrace(s, { from: 'web-a', to: 'node1' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.nat, [{ field: 'srcIP', from: s.cluster.dockerHost!.containers[0].ip, to: '192.168.1.10' }]);
    const hop = t.hops.find((h) => h.rows.some((r) => r.kind === 'filter'))!;
    const row = hop.rows.find((r) => r.kind === 'filter');
    assert.ok(row?.kind === 'filter');
    assert.equal(row.rule.table, 'docker-nat');
    assert.match(row.rule.text, /ip saddr 172\.17\.0\.0\/16 oifname != docker0 masquerade/);
    assert.equal(t.delivered?.srcIP, '192.168.1.10');
  });

  it('maps the published port 8081 to web-a:8080 (DNAT in prerouting)', () => {
    const s = loadFixture('article-docker.json');
    const t = predictTrace(s, { from: 'node2', to: '192.168.1.10:8081' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.hops[t.hops.length - 1].namespace, 'container/web-a');
    assert.equal(t.delivered?.dstPort, 8080);
    assert.equal(t.delivered?.srcIP, '192.168.1.101', 'no SNAT inbound');
  });

  it('an unpublished port on the host goes nowhere near a container', () => {
    const s = loadFixture('article-docker.json');
    const t = predictTrace(s, { from: 'node1', to: '192.168.1.10:9999' });
    assert.equal(t.hops[t.hops.length - 1].namespace, 'host/docker-host');
    assert.deepEqual(t.nat, []);
  });

  it('Pod-to-Pod traffic in the same lab is never rewritten', () => {
    const t = predictTrace(loadFixture('article-docker.json'), { from: 'pod-a', to: 'pod-c', proto: 'tcp', port: 8080 });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.nat, []);
  });
});

describe('predictTrace with a recorded nft drop rule', () => {
  it('drops TCP 8080 to node2 Pods at node1, naming the rule', () => {
    const s = loadFixture('article-droprule.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c', proto: 'tcp', port: 8080 });
    assert.equal(t.disposition, 'DROPPED_BY_RULE');
    const last = t.hops[t.hops.length - 1];
    assert.equal(last.where, 'node1');
    assert.match(t.reason ?? '', /ip daddr 10\.244\.2\.0\/24 tcp dport 8080 drop/);
  });

  it('lets ICMP and other ports through the same chain', () => {
    const s = loadFixture('article-droprule.json');
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'pod-c' }).disposition, 'DELIVERED');
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'pod-c', proto: 'tcp', port: 9090 }).disposition, 'DELIVERED');
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'pod-b', proto: 'tcp', port: 8080 }).disposition, 'DELIVERED', 'same-node traffic is bridged, not forwarded');
  });
});

describe('predictTrace and br_netfilter (bridge-nf-call-iptables)', () => {
  /** The recorded drop rule, re-aimed at pod-b (same node as pod-a) and at any port. */
  function dropToPodB(bridgeNetfilter: boolean) {
    const s = loadFixture('article-droprule.json');
    const node1 = s.namespaces.find((n) => n.id === 'node/node1')!;
    node1.bridgeNetfilter = bridgeNetfilter;
    type Match = { match?: { left: { payload?: { field: string; protocol: string } }; right: unknown } };
    const rule = (node1.filter.nft as { rule?: { table: string; expr: Match[] } }[])
      .find((i) => i.rule?.table === 'lesson')!.rule!;
    rule.expr = rule.expr.filter((e) => e.match?.left.payload?.protocol !== 'tcp');
    rule.expr.find((e) => e.match?.left.payload?.field === 'daddr')!.match!.right = podIP(s, 'pod-b');
    return s;
  }

  it('with br_netfilter on, an IP forward rule drops same-node (bridged) traffic and the sysctl is cited', () => {
    const t = predictTrace(dropToPodB(true), { from: 'pod-a', to: 'pod-b' });
    assert.equal(t.disposition, 'DROPPED_BY_RULE');
    assert.ok(t.hops[t.hops.length - 1].rows.some((r) => r.kind === 'sysctl' && r.name === 'net.bridge.bridge-nf-call-iptables'));
  });

  it('with br_netfilter off, the bridge switches the frame past the IP rule', () => {
    assert.equal(predictTrace(dropToPodB(false), { from: 'pod-a', to: 'pod-b' }).disposition, 'DELIVERED');
  });
});
