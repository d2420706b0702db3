/**
 * Verifying a Service trace: the kernel picks the endpoint at random, so the probe is watched on the way to every
 * candidate, the endpoint it reached is read from the events, and the prediction that followed that endpoint is compared.
 */
import type { Snapshot } from '../../snapshot/types';
import { predictTrace } from '../predict';
import type { TraceRequest, TraceResult } from '../types';
import type { TraceEvent } from './traceEvents';

/** The request a result was predicted for, to predict it again. */
function requestOf(t: TraceResult): TraceRequest {
  return { from: t.request.from.input, to: t.request.to.input, proto: t.request.proto, ...(t.request.port !== undefined ? { port: t.request.port } : {}) };
}

/** The namespaces and destination ports on the way to every candidate of the trace's Service (empty for any other trace). */
export function candidatePaths(snapshot: Snapshot, t: TraceResult): { namespaces: string[]; ports: number[] } {
  const namespaces = new Set<string>();
  const ports = new Set<number>();
  for (const c of t.service?.candidates ?? []) {
    if (c.ip === t.service?.chosen) continue; // the prediction in hand already goes there
    const other = predictTrace(snapshot, requestOf(t), { prefer: c.ip });
    for (const h of [...other.hops, ...(other.returnPath?.hops ?? [])]) {
      namespaces.add(h.namespace);
      if (h.headers.dstPort !== undefined) ports.add(h.headers.dstPort);
    }
  }
  return { namespaces: [...namespaces], ports: [...ports] };
}

/** The candidate the probe's packet was seen going to (its address as the destination after the DNAT), if any. */
export function reachedCandidate(t: TraceResult, events: TraceEvent[]): string | undefined {
  const candidates = t.service?.candidates ?? [];
  const ips = new Set(candidates.map((c) => c.ip));
  // The endpoint's own namespace is the strongest evidence; any namespace that saw the rewritten destination will do.
  const inPod = events.find((e) => e.headers.dstIP && ips.has(e.headers.dstIP)
    && candidates.some((c) => c.ip === e.headers.dstIP && c.pod && e.namespace.endsWith(`/${c.pod}`)));
  return (inPod ?? events.find((e) => e.headers.dstIP !== undefined && ips.has(e.headers.dstIP)))?.headers.dstIP;
}

/** Replaces the prediction with the one that follows `endpoint` (same request), keeping the warnings already gathered. */
export function followEndpoint(snapshot: Snapshot, t: TraceResult, endpoint: string): void {
  const again = predictTrace(snapshot, requestOf(t), { prefer: endpoint });
  const warnings = [...new Set([...t.warnings, ...again.warnings])];
  const kernel = new Map(t.hops.map((h) => [`${h.namespace}|${h.decision}|${h.ifIn}|${h.ifOut}|${h.headers.dstIP}`, h.kernel]));
  for (const h of again.hops) h.kernel ??= kernel.get(`${h.namespace}|${h.decision}|${h.ifIn}|${h.ifOut}|${h.headers.dstIP}`);
  delete t.returnPath;
  delete t.delivered;
  delete t.reason;
  Object.assign(t, again, { warnings });
}
