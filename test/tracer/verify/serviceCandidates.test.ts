/**
 * Verifying a Service trace without a lab: the probe's namespaces cover every candidate's path, the endpoint reached is
 * read from the trace events, and the prediction is redone for that endpoint (kube-proxy's real nft JSON on the nodes).
 */
import { strict as assert } from 'node:assert';
import { findExecutable } from '../../../src/providers/embedded/tools';
import type { Snapshot } from '../../../src/snapshot/types';
import { predictTrace } from '../../../src/tracer/predict';
import type { TraceEvent } from '../../../src/tracer/verify/traceEvents';
import { candidatePaths, followEndpoint, reachedCandidate } from '../../../src/tracer/verify/serviceCandidates';
import { serviceSpec, withServices } from '../../support/serviceSnapshot';
import { loadFixture, podIP } from '../fixtures';

const event = (namespace: string, dstIP: string, hook = 'prerouting'): TraceEvent => ({
  namespace, traceId: '1', family: 'ip', table: 'podnet_trace', chain: 't_pre', hook, headers: { srcIP: '10.244.1.2', dstIP },
});

describe('verifying a Service trace: candidates, the endpoint reached, the prediction for it', function () {
  this.timeout(60_000);
  let s: Snapshot;
  before(async function () {
    if (!findExecutable('nft') || !findExecutable('unshare')) this.skip(); // no nft to produce the rules' JSON with
    s = await withServices(loadFixture('article.json'), [{ spec: serviceSpec('web', 0), pods: ['pod-b', 'pod-c'] }]);
  });

  it('watches the way to the other candidate too: node2 and pod-c when the prediction went to pod-b', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: podIP(s, 'pod-b') });
    assert.ok(!t.hops.some((h) => h.namespace === 'pod/pod-c'));
    const other = candidatePaths(s, t);
    assert.ok(other.namespaces.includes('pod/pod-c') && other.namespaces.includes('node/node2') && other.namespaces.includes('wire'), other.namespaces.join(', '));
    assert.ok(other.ports.includes(8080));
  });

  it('reads the endpoint reached from the events: the endpoint Pod\'s own namespace first, else the rewritten destination', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' });
    const b = podIP(s, 'pod-b');
    const c = podIP(s, 'pod-c');
    assert.equal(reachedCandidate(t, [event('pod/pod-a', '10.96.0.100'), event('node/node1', c), event('pod/pod-c', c, 'input')]), c);
    assert.equal(reachedCandidate(t, [event('node/node1', b)]), b);
    assert.equal(reachedCandidate(t, [event('pod/pod-a', '10.96.0.100')]), undefined, 'never rewritten: no endpoint reached');
  });

  it('redoes the prediction for the endpoint reached, keeping the warnings', () => {
    const t = predictTrace(s, { from: 'pod-a', to: 'web' }, { prefer: podIP(s, 'pod-b') });
    t.warnings.push('kept');
    followEndpoint(s, t, podIP(s, 'pod-c'));
    assert.equal(t.service?.chosen, podIP(s, 'pod-c'));
    assert.equal(t.hops[t.hops.length - 1].namespace, 'pod/pod-c');
    assert.equal(t.delivered?.dstIP, podIP(s, 'pod-c'));
    assert.ok(t.returnPath?.hops.some((h) => h.namespace === 'node/node2'));
    assert.ok(t.warnings.includes('kept'));
  });
});
