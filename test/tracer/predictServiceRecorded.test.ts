/**
 * Prediction through Services on a snapshot recorded from a real lab (services-overlay.json: kube-proxy's table as the
 * lab's kube-proxy loaded it on each node, the outside client, two subnets joined by a router): the Services and
 * endpoints the lab reported, the DNAT, Local's drop and the client's missing route to Pods.
 */
import { strict as assert } from 'node:assert';
import { natWords, senderSource } from '../../src/tracer/natWords';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture, podIP } from './fixtures';

describe('predictTrace through Services on a recorded lab (services-overlay.json)', () => {
  const s = loadFixture('services-overlay.json');

  it('pod-c to web: DNAT in node1 to one of the two endpoints the lab reported, each predicted when preferred', () => {
    const endpoints = s.cluster.services!.find((v) => v.name === 'web')!.endpoints.map((e) => e.ip).sort();
    assert.deepEqual(endpoints, [podIP(s, 'pod-a'), podIP(s, 'pod-b')].sort());
    for (const ip of endpoints) {
      const t = predictTrace(s, { from: 'pod-c', to: 'web' }, { prefer: ip });
      assert.equal(t.disposition, 'DELIVERED', t.reason);
      assert.deepEqual(t.service?.candidates.map((c) => c.ip).sort(), endpoints);
      assert.equal(t.service?.chosen, ip);
      assert.equal(t.delivered?.dstIP, ip);
      assert.equal(natWords(t, senderSource(t)), 'DNAT to an endpoint, source kept');
      assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
      assert.equal(t.returnPath?.hops.at(-1)?.headers.srcIP, '10.96.0.100', 'the reply comes from the ClusterIP');
    }
  });

  it('the outside client: NodePort Cluster is masqueraded, Local keeps its IP on node2 and is dropped on node1', () => {
    const cluster = predictTrace(s, { from: 'outside', to: 'node1:30080' });
    assert.equal(cluster.request.from.namespace, 'client/outside');
    assert.match(natWords(cluster, senderSource(cluster)) ?? '', /^DNAT and SNAT \(source became /);
    const kept = predictTrace(s, { from: 'outside', to: 'node2:30081' });
    assert.equal(kept.delivered?.srcIP, '192.168.1.50');
    assert.equal(natWords(kept, senderSource(kept)), 'DNAT, client IP kept');
    const dropped = predictTrace(s, { from: 'outside', to: 'node1:30081' });
    assert.equal(dropped.disposition, 'DROPPED_BY_RULE');
    assert.match(dropped.reason ?? '', /externalTrafficPolicy is Local/);
  });

  it("a node to its own NodePort: the DNAT at its output re-routes the packet (not delivered on lo), masqueraded on the way out", () => {
    const near = predictTrace(s, { from: 'node1', to: 'node1:30080' }, { prefer: podIP(s, 'pod-a') });
    assert.equal(near.disposition, 'DELIVERED', near.reason);
    assert.deepEqual([near.hops[0].decision, near.hops[0].ifOut], ['send', 'cbr0']);
    assert.equal(near.hops.at(-1)?.namespace, 'pod/pod-a');
    assert.equal(near.delivered?.srcIP, '10.244.1.1', "masqueraded to cbr0's address");
    const far = predictTrace(s, { from: 'node1', to: 'node1:30080' }, { prefer: podIP(s, 'pod-b') });
    assert.equal(far.hops.at(-1)?.namespace, 'pod/pod-b');
    assert.ok(far.hops.some((h) => h.decision === 'encap'), 'through the tunnel to node2');
    assert.equal(far.returnPath?.disposition, 'DELIVERED', far.returnPath?.reason);
    const lo = predictTrace(s, { from: 'node1', to: '127.0.0.1' });
    assert.deepEqual(lo.hops.map((h) => [h.decision, h.ifIn, h.ifOut]), [['deliver', 'lo', 'lo']], 'no DNAT: still delivered on lo');
  });

  it('a Service without endpoints is refused; a Pod IP is unreachable from the client', () => {
    const empty = predictTrace(s, { from: 'pod-c', to: 'empty' });
    assert.equal(empty.disposition, 'DROPPED_BY_RULE');
    assert.match(empty.reason ?? '', /^no endpoints: the Service selects no ready Pod/);
    const pod = predictTrace(s, { from: 'outside', to: `${podIP(s, 'pod-a')}:8080` });
    assert.equal(pod.disposition, 'NO_ROUTE');
  });
});
