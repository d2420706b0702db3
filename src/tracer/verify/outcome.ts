/** What the probe saw at its end (an answer, a refusal, a reset, silence), per protocol, explained with the predicted return path. */
import type { ProbeOutcome, TraceResult } from '../types';

/** A finished probe command. */
export interface ProbeOutput {
  code: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
  /** True when no probe program exists where the probe was to be sent. */
  missing?: boolean;
}

const REFUSED = /connection refused|ECONNREFUSED/i;
const RESET = /connection reset|reset by peer|ECONNRESET/i;
const UNREACHABLE = /no route to host|host is unreachable|network is unreachable|unreachable/i;
const TIMED_OUT = /timed out|timeout/i;

/** Where the request was last seen on its way, if its delivery hop was observed. */
function arrivedAt(t: TraceResult): string | undefined {
  const last = t.hops[t.hops.length - 1];
  return last?.decision === 'deliver' && last.observation?.observed ? `${last.where} (seen at hop ${last.index})` : undefined;
}

/** Nothing came back: with the return path predicted broken, say the reply cannot return, and why. */
function silence(t: TraceResult, what: string): ProbeOutcome {
  const at = arrivedAt(t);
  const back = t.returnPath;
  if (at && back && !back.notPredicted && back.disposition !== 'DELIVERED') {
    return { kind: 'reply-path-broken', detail: `the request arrived at ${at}, the reply cannot return: ${back.reason ?? back.disposition} (predicted from the tables); ${what}` };
  }
  return { kind: 'no-reply', detail: `${what}${at ? `, although the request arrived at ${at}` : ''}` };
}

/** The namespace whose reject rule the prediction says stops the probe (e.g. a Service without endpoints), if one does. */
function rejectedAt(t: TraceResult): string | undefined {
  const last = t.hops[t.hops.length - 1];
  if (t.disposition !== 'DROPPED_BY_RULE' || last?.decision !== 'drop') return undefined;
  return last.rows.some((r) => r.kind === 'filter' && r.rule.verdict === 'reject') ? last.where : undefined;
}

/** An unreachable error from the sender's own kernel: predicted to stop in the sender, no ICMP error came from anywhere. */
function localUnreachable(t: TraceResult, line: string): ProbeOutcome | undefined {
  if (t.hops.length !== 1 || t.hops[0].decision !== 'drop') return undefined;
  return { kind: 'unreachable', detail: `${t.hops[0].where}'s own kernel refused to send it, as predicted (nothing left ${t.hops[0].where}): ${line}` };
}

function firstLine(out: ProbeOutput): string {
  return (out.stderr.trim() || out.stdout.trim()).split('\n')[0] ?? '';
}

function tcpOutcome(t: TraceResult, out: ProbeOutput): ProbeOutcome {
  const to = `${t.request.to.ip}:${t.request.port}`;
  const said = firstLine(out);
  if (out.code === 0) return { kind: 'answered', detail: `${to} accepted the connection and answered the HTTP GET` };
  const rejecter = rejectedAt(t);
  if (REFUSED.test(said) && rejecter) return { kind: 'refused', detail: `the connection to ${to} was refused by the reject rule in ${rejecter}, as predicted, before it reached any socket (${said})` };
  if (REFUSED.test(said)) return { kind: 'refused', detail: `the connection to ${to} was refused (a TCP reset answered the SYN): nothing listens on port ${t.request.port} there (${said})` };
  if (RESET.test(said)) return { kind: 'reset', detail: `the connection to ${to} was reset by the other end (${said})` };
  if (/server returned error|HTTP\/\d/i.test(`${out.stderr}${out.stdout}`)) return { kind: 'answered', detail: `${to} accepted the connection and answered with an HTTP error (${said})` };
  if (out.timedOut || TIMED_OUT.test(said)) return silence(t, `no answer to the connection attempt to ${to} came back`);
  if (UNREACHABLE.test(said)) return localUnreachable(t, said) ?? { kind: 'unreachable', detail: `an ICMP error came back: ${said}` };
  return { kind: 'unknown', detail: `the probe ended with exit ${out.code} and the outcome cannot be told from its output: ${said || 'no output'}` };
}

function icmpOutcome(t: TraceResult, out: ProbeOutput): ProbeOutcome {
  if (out.code === 0) return { kind: 'answered', detail: `an echo reply from ${t.request.to.ip} came back` };
  const said = `${out.stdout}\n${out.stderr}`;
  const line = said.split('\n').find((l) => UNREACHABLE.test(l));
  if (line) return localUnreachable(t, line.trim()) ?? { kind: 'unreachable', detail: `an ICMP error came back instead of an echo reply: ${line.trim()}` };
  return silence(t, `no echo reply from ${t.request.to.ip} came back within 1 s`);
}

function udpOutcome(t: TraceResult, out: ProbeOutput): ProbeOutcome {
  const to = `${t.request.to.ip}:${t.request.port}`;
  if (out.stdout.trim()) return { kind: 'answered', detail: `${to} sent a datagram back` };
  const said = firstLine(out);
  const rejecter = rejectedAt(t);
  if (REFUSED.test(said) && rejecter) return { kind: 'refused', detail: `an ICMP port unreachable came back from the reject rule in ${rejecter}, as predicted (${said})` };
  if (REFUSED.test(said)) return { kind: 'refused', detail: `an ICMP port unreachable came back: nothing listens on UDP port ${t.request.port} at ${t.request.to.ip} (${said})` };
  if (UNREACHABLE.test(said)) return { kind: 'unreachable', detail: `an ICMP error came back: ${said}` };
  const at = arrivedAt(t);
  const back = t.returnPath && !t.returnPath.notPredicted && t.returnPath.disposition !== 'DELIVERED' ? `; an answer could not return anyway: ${t.returnPath.reason}` : '';
  return { kind: 'unknown', detail: `nothing came back from ${to} within 1 s; for UDP silence proves nothing (no answer is owed)${at ? `, and the datagram arrived at ${at}` : ''}${back}` };
}

/** The probe's outcome, from what it printed and how it ended; the protocol decides what can be known. */
export function probeOutcome(t: TraceResult, out: ProbeOutput): ProbeOutcome {
  if (out.missing) return { kind: 'not-sent', detail: `no probe program was found where the probe starts: ${firstLine(out) || `exit ${out.code}`}` };
  switch (t.request.proto) {
    case 'tcp':
      return tcpOutcome(t, out);
    case 'udp':
      return udpOutcome(t, out);
    case 'icmp':
      return icmpOutcome(t, out);
  }
}

/** True when the outcome means the two ends did not talk (refused, reset, unreachable, nothing back, reply cannot return). */
export function outcomeFailed(kind: ProbeOutcome['kind']): boolean {
  return kind !== 'answered' && kind !== 'unknown';
}
