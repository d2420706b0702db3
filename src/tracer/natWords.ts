/**
 * The NAT verdict in the exact words the lessons teach: Pod to Pod IP "no NAT"; Pod to Service "DNAT to an endpoint,
 * source kept"; NodePort with Cluster "DNAT and SNAT (source became NODE-IP)"; NodePort with Local "DNAT, client IP kept".
 */
import type { ServiceRow, TraceResult } from './types';

/** The hop row where the trace's Service DNAT happened. */
export function serviceRowOf(t: Pick<TraceResult, 'hops'>): ServiceRow | undefined {
  for (const h of t.hops) for (const r of h.rows) if (r.kind === 'service') return r;
  return undefined;
}

/** The sender's own source address: before any SNAT (a node's first hop already carries its own masquerade). */
export function senderSource(t: Pick<TraceResult, 'hops' | 'nat' | 'request'>): string {
  const first = t.nat.find((c) => c.field === 'srcIP');
  return String(first?.from ?? t.hops[0]?.headers.srcIP ?? t.request.from.ip);
}

/**
 * The verdict words for a trace, given the source the destination saw (`seen`; absent: the predicted one). Undefined for
 * NAT that is no Service's (a Docker-style host's), which keeps its own wording.
 */
export function natWords(t: Pick<TraceResult, 'hops' | 'nat'>, sender: string, seen?: string): string | undefined {
  const row = serviceRowOf(t);
  const source = seen ?? (t.nat.find((c) => c.field === 'srcIP')?.to as string | undefined) ?? sender;
  if (!row) return t.nat.length === 0 && source === sender ? 'no NAT' : undefined;
  if (source !== sender) return `DNAT and SNAT (source became ${source})`;
  return row.via === 'nodePort' ? 'DNAT, client IP kept' : 'DNAT to an endpoint, source kept';
}

/** The Service's DNAT in one line: the address, the candidates with their Pods, the one followed. */
export function serviceLine(t: TraceResult): string | undefined {
  const s = t.service;
  if (!s) return undefined;
  const at = `${s.address}${s.port !== undefined ? `:${s.port}` : ''}`;
  const name = `${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
  if (s.candidates.length === 0) return `Service ${name} (${at}): no ready endpoint.`;
  const endpoints = `endpoint${s.candidates.length === 1 ? '' : 's'}`;
  const list = s.candidates.map((c) => `${c.ip}${c.port !== undefined ? `:${c.port}` : ''}${c.pod ? ` (${c.pod}${c.node ? ` on ${c.node}` : ''})` : ''}`).join(', ');
  const probe = t.verification?.chosenEndpoint;
  const chosen = probe ? `the probe reached ${probe}` : s.chosen ? `the prediction follows ${s.chosen}` : '';
  if (!s.chosen) return `Service ${name} (${at}): dropped before any DNAT; its ${endpoints}: ${list}.`;
  return `Service ${name} (${at}): DNAT to one of ${s.candidates.length} ${endpoints}: ${list}${chosen ? `; ${chosen}` : ''}.`;
}
