/** What a trace ended with, in words: the probe's own outcome decides it (a refused connection is not a success), else the prediction. */
import type { TraceResult } from '../../tracer/types';

/** The verdict of a trace: a short label, the sentence behind it, and whether it went well. */
export interface TraceVerdict {
  label: string;
  sentence: string;
  tone: 'good' | 'warn' | 'bad';
}

const FAILED_LABEL: Record<string, string> = {
  refused: 'REFUSED',
  reset: 'RESET',
  unreachable: 'UNREACHABLE',
  'no-reply': 'NO REPLY',
  'reply-path-broken': 'REPLY CANNOT RETURN',
};

/** The verdict: what the probe saw when one was sent, the predicted forward and return path otherwise. */
export function traceVerdict(t: TraceResult): TraceVerdict {
  const n = t.hops.length;
  if (t.disposition !== 'DELIVERED') return { label: t.disposition, sentence: t.reason ?? `the packet stopped after ${n} hops`, tone: 'bad' };
  const o = t.verification?.outcome;
  if (o) {
    if (o.kind === 'answered') return { label: 'ANSWERED', sentence: `delivered in ${n} hops and answered: ${o.detail}`, tone: 'good' };
    if (o.kind === 'unknown') return { label: 'DELIVERED, ANSWER UNKNOWN', sentence: o.detail, tone: 'warn' };
    if (o.kind === 'not-sent') return { label: 'NOT SENT', sentence: `predicted delivered in ${n} hops, but no probe was sent: ${o.detail}`, tone: 'warn' };
    return { label: FAILED_LABEL[o.kind] ?? o.kind.toUpperCase(), sentence: o.detail, tone: 'bad' };
  }
  if (t.verification) return { label: 'DELIVERED', sentence: `delivered in ${n} hops (recorded before PodNet noted whether an answer came back)`, tone: 'good' };
  const back = t.returnPath;
  if (back && !back.notPredicted && back.disposition !== 'DELIVERED') {
    return { label: 'REPLY CANNOT RETURN', sentence: `the request would be delivered in ${n} hops, but the reply cannot return: ${back.reason ?? back.disposition} (predicted)`, tone: 'bad' };
  }
  return { label: 'DELIVERED (predicted)', sentence: `delivered in ${n} hops, predicted from the tables: no probe was sent`, tone: 'good' };
}

/** The predicted way back in one sentence, or undefined when the trace has none (the request was not delivered). */
export function returnPathText(t: TraceResult): string | undefined {
  const back = t.returnPath;
  if (!back) return undefined;
  if (back.notPredicted) return `not predicted: ${back.reason ?? 'the tables alone cannot say'}`;
  const via = [...new Set(back.hops.map((h) => h.where.split(' → ').pop() ?? h.where))].join(' → ');
  if (back.disposition === 'DELIVERED') return `the reply returns through ${via || 'the same namespaces'} (predicted from the tables)`;
  return `${back.disposition}: ${back.reason ?? 'the reply stops'}${via ? ` (via ${via})` : ''} (predicted from the tables)`;
}
