/**
 * Connection tracking for the predicted reply: the namespace that rewrote the request (DNAT to a Service endpoint,
 * SNAT/masquerade) remembers the connection and rewrites the reply back, so the client sees the address it talked to.
 */
import type { HeaderChange, PacketHeaders } from './types';

/** The rewrites one namespace applied to the request. */
export interface NatRecord {
  namespace: string;
  where: string;
  changes: HeaderChange[];
}

type Field = HeaderChange['field'];

function changeOf(r: NatRecord, field: Field): HeaderChange | undefined {
  return r.changes.find((c) => c.field === field);
}

function endpoint(ip: string | number | undefined, port: string | number | undefined): string {
  return `${ip}${port !== undefined ? `:${port}` : ''}`;
}

/** The conntrack entries of one trace, looked up by namespace as the reply passes. */
export class Conntrack {
  constructor(private readonly records: NatRecord[]) {}

  /** True when the request was rewritten somewhere (its reply depends on these entries). */
  get rewritten(): boolean {
    return this.records.some((r) => r.changes.length > 0);
  }

  /**
   * The reply arriving in `namespace` (prerouting): a source NAT done there is undone on the destination.
   * Returns a sentence when it rewrote the packet.
   */
  undoSnat(namespace: string, p: PacketHeaders): string | undefined {
    const r = this.records.find((x) => x.namespace === namespace && changeOf(x, 'srcIP'));
    const ip = r && changeOf(r, 'srcIP')!;
    if (!r || !ip || p.dstIP !== ip.to) return undefined;
    const port = changeOf(r, 'srcPort');
    const before = endpoint(p.dstIP, port ? p.dstPort : undefined);
    p.dstIP = String(ip.from);
    if (port && p.dstPort === port.to && typeof port.from === 'number') p.dstPort = port.from;
    return `Conntrack in ${r.where} undoes the SNAT: the reply's destination ${before} becomes ${endpoint(p.dstIP, port ? p.dstPort : undefined)} again, the original client, and ${r.where} routes it there.`;
  }

  /**
   * The reply leaving (or delivered in) `namespace` (postrouting, input): a destination NAT done there is undone on the
   * source. Returns a sentence when it rewrote the packet.
   */
  undoDnat(namespace: string, p: PacketHeaders): string | undefined {
    const r = this.records.find((x) => x.namespace === namespace && changeOf(x, 'dstIP'));
    const ip = r && changeOf(r, 'dstIP')!;
    if (!r || !ip || p.srcIP !== ip.to) return undefined;
    const port = changeOf(r, 'dstPort');
    p.srcIP = String(ip.from);
    if (port && p.srcPort === port.to && typeof port.from === 'number') p.srcPort = port.from;
    return `Conntrack undoes the DNAT: the reply leaves ${r.where} with source ${endpoint(p.srcIP, p.srcPort)}, as the client expects.`;
  }
}

/** Why a reply that reached the sender is still no answer to it: it comes from another address than the one the sender talked to. */
export function replyMismatch(sentTo: PacketHeaders, reply: PacketHeaders): string | undefined {
  const expected = endpoint(sentTo.dstIP, sentTo.dstPort);
  const got = endpoint(reply.srcIP, sentTo.dstPort !== undefined ? reply.srcPort : undefined);
  if (expected === got && reply.dstIP === sentTo.srcIP) return undefined;
  return `the reply reaches the sender from ${got}, but it talked to ${expected}: no connection of the sender matches it, so it is dropped (the reply bypassed the namespace that rewrote the request, so conntrack could not undo the rewrite)`;
}
