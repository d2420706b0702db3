/** From the outside client a Pod or ClusterIP has no route: the trace says why and names the way in (a NodePort), on a recorded lab. */
import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../src/snapshot/types';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture, podIP } from './fixtures';

/** The recorded two-subnet lab with the client's default route removed, as on one flat node network with no router. */
function withoutClientDefault(s: Snapshot): Snapshot {
  const client = s.namespaces.find((n) => n.id === 'client/outside')!;
  client.routes = client.routes.filter((r) => r.dst !== '0.0.0.0/0' && r.dst !== 'default');
  return s;
}

describe('explainOutsideStop (recorded services-overlay lab)', () => {
  const s = loadFixture('services-overlay.json');

  it('a ClusterIP from outside dies at the router; the reason names the NodePort to use instead, not a node route', () => {
    const t = predictTrace(s, { from: 'outside', to: 'web' });
    assert.equal(t.disposition, 'NO_ROUTE');
    assert.equal(t.hops[t.hops.length - 1].namespace, 'router/router');
    assert.match(t.reason ?? '', /10\.96\.0\.100 is a ClusterIP: outside's default route leads to router, which knows only the node subnets/);
    assert.match(t.reason ?? '', /use a NodePort on a node's own address: node1:30080 \(Service web\)/);
    assert.doesNotMatch(t.reason ?? '', /could not use the direct route/, 'the client had no node route to miss');
  });

  it('a Pod address: the NodePorts leading to that Pod; with Local, a node that has the endpoint', () => {
    const a = predictTrace(s, { from: 'outside', to: podIP(s, 'pod-a') });
    assert.match(a.reason ?? '', /is a Pod address: .*node1:30080 \(Service web\)$/);
    const b = predictTrace(s, { from: 'outside', to: podIP(s, 'pod-b') });
    assert.match(b.reason ?? '', /node1:30080 \(Service web\), node2:30081 \(Service web-local\)$/);
  });

  it('a ClusterIP-only Service says to make it a NodePort; a Pod no NodePort selects says how a Pod is reached', () => {
    assert.match(predictTrace(s, { from: 'outside', to: 'empty' }).reason ?? '', /Service empty is ClusterIP only: make it a NodePort Service/);
    assert.match(predictTrace(s, { from: 'outside', to: podIP(s, 'pod-c') }).reason ?? '', /a Pod is reached through a NodePort Service that selects it$/);
  });

  it('stopped in the client itself (no default route): the same explanation, at the client', () => {
    const t = predictTrace(withoutClientDefault(loadFixture('services-overlay.json')), { from: 'outside', to: 'web' });
    assert.equal(t.hops.length, 1);
    assert.match(t.reason ?? '', /^outside has no route to 10\.96\.0\.100.*\. 10\.96\.0\.100 is a ClusterIP: outside is on the node network/);
    assert.match(t.hops[0].sentence ?? '', /node1:30080/);
  });
});
