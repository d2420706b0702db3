/** br_netfilter masquerades a bridged frame after the bridge's own hooks: the bridge hop is seen with the source before that NAT. */
import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../../src/snapshot/types';
import type { Hop, PacketHeaders } from '../../../src/tracer/types';
import { observeHops } from '../../../src/tracer/verify/observe';
import type { TraceEvent } from '../../../src/tracer/verify/traceEvents';
import { loadFixture } from '../fixtures';

const headers: PacketHeaders = { srcIP: '10.244.1.1', dstIP: '10.244.1.3', ttl: 64, proto: 'tcp', srcPort: 40000, dstPort: 8080 };

function hops(port: string): Hop[] {
  const masquerade = { family: 'ip', table: 'kube-proxy', chain: 'masquerading', hook: 'postrouting', text: 'masquerade fully-random', verdict: 'nat' as const, changes: [{ field: 'srcIP' as const, from: '10.244.1.3', to: '10.244.1.1' }] };
  return [
    { index: 1, namespace: 'node/node1', where: 'node1', decision: 'forward', ifIn: 'cbr0', ifOut: 'cbr0', rows: [{ kind: 'filter', rule: masquerade }], headers, sentence: '' },
    { index: 2, namespace: 'node/node1', where: 'node1', decision: 'bridge-forward', ifIn: 'cbr0', ifOut: port, rows: [], headers, sentence: '' },
  ];
}

const seen = (srcIP: string, port: string): TraceEvent => ({
  namespace: 'node/node1', traceId: '1', family: 'bridge', table: 't', chain: 't_post', hook: 'postrouting', oif: port, headers: { ...headers, srcIP },
});

describe('observing a bridged frame that br_netfilter masquerades', () => {
  const s: Snapshot = loadFixture('article.json');
  const port = s.namespaces.find((n) => n.id === 'node/node1')!.links.find((l) => l.master === 'cbr0')!.name;

  it('the bridge hop seen with the source the masquerade rewrote is as predicted', () => {
    const h = hops(port);
    observeHops(h, s, [seen('10.244.1.3', port)], []);
    assert.equal(h[1].observation?.observed, true);
    assert.equal(h[1].observation?.differences, undefined);
  });

  it('any other source is still a difference', () => {
    const h = hops(port);
    observeHops(h, s, [seen('10.244.1.9', port)], []);
    assert.deepEqual(h[1].observation?.differences, ['source 10.244.1.9 (predicted 10.244.1.1)']);
  });
});
