/** The verdict comes from what the probe saw: answered, refused, reset, unreachable, silence, or a reply that cannot return. */
import { strict as assert } from 'node:assert';
import { traceExitCode } from '../../../src/tracer/exitCode';
import { formatTrace } from '../../../src/tracer/format';
import { predictTrace } from '../../../src/tracer/predict';
import type { TraceResult } from '../../../src/tracer/types';
import { summarize } from '../../../src/tracer/verify/verdicts';
import { probeOutcome } from '../../../src/tracer/verify/outcome';
import { loadFixture } from '../fixtures';

/** A prediction whose every hop was observed, as a healthy probe would show it. */
function observed(t: TraceResult): TraceResult {
  for (const h of t.hops) h.observation = { observed: true, where: ['inet input'], headers: { ...h.headers } };
  return t;
}

const ok = { code: 0, stdout: '', stderr: '' };

describe('probeOutcome and the trace verdict', () => {
  it('TCP to a port where nothing listens: REFUSED, and the trace exits 4, though every hop was seen', () => {
    const t = observed(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', port: 9999 }));
    const v = summarize(t, 'an HTTP GET', { code: 1, stdout: '', stderr: "wget: can't connect to remote host (10.244.2.2): Connection refused\n" });
    t.verification = v;
    assert.equal(v.outcome.kind, 'refused');
    assert.match(v.outcome.detail, /nothing listens on port 9999/);
    assert.equal(v.matches, true, 'the path itself was as predicted');
    assert.equal(traceExitCode(t), 4);
  });

  it('the text verdict says what the probe saw: never "DELIVERED" for a refused connection or an unsent probe', () => {
    const t = observed(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', port: 9999 }));
    t.verification = summarize(t, 'an HTTP GET', { code: 1, stdout: '', stderr: 'wget: can\'t connect to remote host (10.244.2.2): Connection refused' });
    const text = formatTrace(t);
    assert.match(text, /^The request was delivered in 11 hops \(seen arriving\), but REFUSED: /m);
    assert.doesNotMatch(text, /^DELIVERED/m);
    const u = predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', proto: 'udp', port: 53 });
    u.verification = summarize(u, 'one UDP datagram', { code: 1, stdout: '', stderr: "nc: invalid option -- 'u'", missing: true });
    assert.match(formatTrace(u), /^Predicted DELIVERED in 11 hops, but NOT-SENT: /m);
    assert.equal(u.verification.differences.length, 1, 'one difference, not one per hop');
  });

  it('a packet dropped in the sender itself (no route): the TTL check is not flagged and the text says it never left, as predicted', () => {
    const t = predictTrace(loadFixture('article-docker.json'), { from: 'docker-host', to: 'pod-c' });
    assert.equal(t.disposition, 'NO_ROUTE');
    t.hops[0].observation = { observed: false };
    t.verification = summarize(t, 'one ICMP echo', { code: 1, stdout: '', stderr: 'ping: sendto: Network is unreachable' });
    assert.equal(t.verification.ttlCheck.ok, true);
    const text = formatTrace(t);
    assert.match(text, /it never left docker-host, as predicted/);
    assert.doesNotMatch(text, /UNEXPECTED|every predicted hop was observed/);
    assert.equal(t.verification.outcome.kind, 'unreachable');
    assert.match(t.verification.outcome.detail, /^docker-host's own kernel refused to send it, as predicted/);
    assert.doesNotMatch(t.verification.outcome.detail, /ICMP error came back/, 'no ICMP error came from anywhere');
  });

  it('a hairpin Service trace (br_netfilter bridges the DNATed frame back, TTL kept) names no namespace as lowering the TTL', () => {
    const t = observed(predictTrace(loadFixture('services-overlay.json'), { from: 'pod-a', to: 'web' }, { prefer: '10.244.1.2' }));
    assert.ok(t.hops.some((h) => h.decision === 'forward'), 'the hairpin has a forward hop');
    const v = summarize(t, 'an HTTP GET', ok);
    assert.equal(v.ttlCheck.ok, true);
    assert.match(v.ttlCheck.detail, /^64 -> 64: minus one in no namespace \(routing\)/);
    const routed = observed(predictTrace(loadFixture('services-overlay.json'), { from: 'pod-a', to: 'web' }, { prefer: '10.244.2.2' }));
    assert.match(summarize(routed, 'an HTTP GET', ok).ttlCheck.detail, /^64 -> 62: minus one in node1, node2 \(routing\)/);
  });

  it("a Service without endpoints: the refusal is kube-proxy's reject rule where predicted, not 'nothing listens'", () => {
    const t = observed(predictTrace(loadFixture('services-overlay.json'), { from: 'pod-a', to: 'empty' }));
    const v = summarize(t, 'an HTTP GET', { code: 1, stdout: '', stderr: "wget: can't connect to remote host (10.96.0.102): Connection refused\n" });
    assert.equal(v.outcome.kind, 'refused');
    assert.match(v.outcome.detail, /refused by the reject rule in node1, as predicted/);
    assert.doesNotMatch(v.outcome.detail, /nothing listens|TCP reset/);
  });

  it('TCP answered: ANSWERED and exit 0; an HTTP error status is still an answer', () => {
    const t = observed(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', port: 8080 }));
    t.verification = summarize(t, 'an HTTP GET', { ...ok, stdout: '{"sawSource":"10.244.1.2"}' });
    assert.equal(t.verification.outcome.kind, 'answered');
    assert.equal(traceExitCode(t), 0);
    assert.equal(probeOutcome(t, { code: 1, stdout: '', stderr: 'wget: server returned error: HTTP/1.1 404 Not Found' }).kind, 'answered');
  });

  it('TCP reset and ICMP errors are told apart', () => {
    const t = predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', port: 8080 });
    assert.equal(probeOutcome(t, { code: 1, stdout: '', stderr: 'wget: error getting response: Connection reset by peer' }).kind, 'reset');
    assert.equal(probeOutcome(t, { code: 1, stdout: '', stderr: "wget: can't connect to remote host: No route to host" }).kind, 'unreachable');
  });

  it("TCP to the Docker-style host's published port from a Pod: the request arrived, the reply cannot return, said with the tables' reason", () => {
    const s = loadFixture('article-docker.json');
    const t = observed(predictTrace(s, { from: 'pod-a', to: '192.168.1.10:8081' }));
    t.verification = summarize(t, 'an HTTP GET', { code: -1, stdout: '', stderr: '', timedOut: true });
    assert.equal(t.verification.outcome.kind, 'reply-path-broken');
    assert.match(t.verification.outcome.detail, /the request arrived at .*, the reply cannot return: docker-host has no route to 10\.244\.1\.\d+/);
    assert.equal(traceExitCode(t), 4);
  });

  it('ICMP: an echo reply is ANSWERED; none is NO-REPLY (exit 4), not a verified delivery', () => {
    const t = observed(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c' }));
    assert.equal(probeOutcome(t, ok).kind, 'answered');
    t.verification = summarize(t, 'one ICMP echo', { code: 1, stdout: '1 packets transmitted, 0 packets received, 100% packet loss', stderr: '' });
    assert.equal(t.verification.outcome.kind, 'no-reply');
    assert.equal(traceExitCode(t), 4);
  });

  it('UDP: a port unreachable is REFUSED; silence is UNKNOWN and says so (exit 0: the datagram was seen arriving)', () => {
    const t = observed(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', proto: 'udp', port: 5353 }));
    assert.equal(probeOutcome(t, { code: 1, stdout: '', stderr: 'nc: read: Connection refused' }).kind, 'refused');
    t.verification = summarize(t, 'one UDP datagram', { code: 0, stdout: '', stderr: '' });
    assert.equal(t.verification.outcome.kind, 'unknown');
    assert.match(t.verification.outcome.detail, /silence proves nothing/);
    assert.equal(traceExitCode(t), 0);
  });

  it('unverified: a request predicted to arrive whose reply cannot return exits 4', () => {
    const t = predictTrace(loadFixture('article-docker.json'), { from: 'pod-a', to: '192.168.1.10:8081' });
    assert.equal(traceExitCode(t), 4);
    assert.equal(traceExitCode(predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c' })), 0);
  });
});
