/** The trace notification's one line, without VS Code (so it can be tested): the probe's outcome first. */
import type { TraceResult } from '../../tracer/types';
import { returnPathText, traceVerdict } from '../../webview/diagram/outcomeText';

/** The notification's text: what the probe saw (or the prediction), hops observed, NAT verdict, a Service's DNAT, and the return path. */
export function traceSummary(t: TraceResult): string {
  const v = t.verification;
  const verdict = traceVerdict(t);
  const seen = v ? ` · ${t.hops.filter((h) => h.observation?.observed).length}/${t.hops.length} hops observed` : ` · ${t.hops.length} hops (predicted)`;
  const nat = v ? (v.natVerdict === 'no-nat' ? ' · no NAT' : v.natVerdict === 'nat' ? ' · NAT' : '') : t.nat.length ? ' · NAT predicted' : ' · no NAT predicted';
  const back = returnPathText(t);
  const svc = t.service;
  const chosen = v?.chosenEndpoint ?? svc?.chosen;
  const dnat = svc ? ` · DNAT ${svc.address}${svc.port !== undefined ? `:${svc.port}` : ''} → ${chosen ?? 'no endpoint'} (one of ${svc.candidates.length})` : '';
  return `${t.request.from.name ?? t.request.from.ip} → ${t.request.to.name ?? t.request.to.ip}: ${verdict.label}: ${verdict.sentence}${seen}${nat}${dnat}.${back ? ` Return path: ${back}.` : ''}`;
}
