/** The trace's verdict in words: the probe's outcome decides it, so a refused connection never reads as a success. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeOutcome, TraceResult } from '../../src/tracer/types';
import { returnPathText, traceVerdict } from '../../src/webview/diagram/outcomeText';
import { traceSummary } from '../../src/vscode/commands/traceSummary';

const fixture = (name: string): TraceResult => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'traces', name), 'utf8')) as TraceResult;
const verified = (outcome: ProbeOutcome): TraceResult => {
  const t = fixture('article-pod-a-pod-c.json');
  return { ...t, verification: { ...t.verification!, outcome } };
};

describe('trace verdict text', () => {
  it('an answered probe is a success and says what answered', () => {
    const v = traceVerdict(verified({ kind: 'answered', detail: 'an echo reply from 10.244.2.2 came back' }));
    assert.deepEqual([v.label, v.tone], ['ANSWERED', 'good']);
    assert.match(v.sentence, /11 hops and answered: an echo reply from 10\.244\.2\.2 came back/);
  });

  it('a refused, reset, unreachable or silent probe is a failure with its own label, though the request was delivered', () => {
    for (const [kind, label] of [['refused', 'REFUSED'], ['reset', 'RESET'], ['unreachable', 'UNREACHABLE'], ['no-reply', 'NO REPLY'], ['reply-path-broken', 'REPLY CANNOT RETURN']] as const) {
      const v = traceVerdict(verified({ kind, detail: `because ${kind}` }));
      assert.deepEqual([v.label, v.tone, v.sentence], [label, 'bad', `because ${kind}`], kind);
    }
  });

  it('an unknown or unsent probe is a warning, not a success', () => {
    assert.equal(traceVerdict(verified({ kind: 'unknown', detail: 'UDP silence' })).tone, 'warn');
    const ns = traceVerdict(verified({ kind: 'not-sent', detail: 'no ping there' }));
    assert.deepEqual([ns.label, ns.tone], ['NOT SENT', 'warn']);
    assert.match(ns.sentence, /no probe was sent: no ping there/);
  });

  it('a stopped packet keeps its disposition and reason; a prediction says it is one', () => {
    const dropped = fixture('article-pod-a-no-route.json');
    const v = traceVerdict(dropped);
    assert.equal(v.label, dropped.disposition);
    assert.equal(v.tone, 'bad');
    const p = traceVerdict(fixture('article-pod-a-pod-c.predicted.json'));
    assert.deepEqual([p.label, p.tone], ['DELIVERED (predicted)', 'good']);
  });

  it('a predicted broken return path makes the prediction a failure and is named in the return path line', () => {
    const t = fixture('article-pod-a-pod-c.predicted.json');
    const broken: TraceResult = { ...t, returnPath: { disposition: 'NO_ROUTE', reason: 'pod-c has no route back to 10.244.1.2', hops: t.hops.slice(0, 2) } };
    assert.deepEqual([traceVerdict(broken).label, traceVerdict(broken).tone], ['REPLY CANNOT RETURN', 'bad']);
    assert.match(returnPathText(broken)!, /^NO_ROUTE: pod-c has no route back to 10\.244\.1\.2 \(via .+\) \(predicted from the tables\)$/);
    const ok: TraceResult = { ...t, returnPath: { disposition: 'DELIVERED', hops: [...t.hops].reverse() } };
    assert.match(returnPathText(ok)!, /^the reply returns through .+ → .+ \(predicted from the tables\)$/);
    assert.equal(returnPathText({ ...t, returnPath: undefined }), undefined);
    assert.match(returnPathText({ ...t, returnPath: { disposition: 'DELIVERED', hops: [], notPredicted: true, reason: 'the source was rewritten' } })!, /^not predicted: the source was rewritten$/);
  });

  it('the notification line leads with the outcome, then hops observed, NAT and the return path', () => {
    const t: TraceResult = { ...verified({ kind: 'refused', detail: 'nothing listens on port 9' }), returnPath: { disposition: 'DELIVERED', hops: fixture('article-pod-a-pod-c.json').hops.slice().reverse() } };
    const line = traceSummary(t);
    assert.match(line, /^pod-a → pod-c: REFUSED: nothing listens on port 9 · \d+\/11 hops observed/);
    assert.match(line, /Return path: the reply returns through /);
    assert.doesNotMatch(line, /DELIVERED|ANSWERED/);
  });
});
