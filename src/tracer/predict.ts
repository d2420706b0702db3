/** Predicts a packet's path hop by hop from the namespaces' own tables (routes, rules, neighbours, FDB, nftables), and the reply's way back. */
import type { Snapshot } from '../snapshot/types';
import { Conntrack, type NatRecord, replyMismatch } from './conntrack';
import { endpointProto, resolveEndpoint } from './endpoints';
import { NetIndex } from './netIndex';
import { serviceSummary } from './serviceHop';
import { explainOutsideStop } from './outsideStop';
import { explainRouterStop } from './underlay';
import type { PacketHeaders, ReturnPath, TraceRequest, TraceResult } from './types';
import { EPHEMERAL_PORT, INITIAL_TTL, Stop, Walker } from './walker';

export { EPHEMERAL_PORT, INITIAL_TTL } from './walker';

/** Predicts the path of a probe from `req.from` to `req.to` in `snapshot` without sending anything; `prefer` picks a Service's endpoint (its IP). */
export function predictTrace(snapshot: Snapshot, req: TraceRequest, opts: { prefer?: string } = {}): TraceResult {
  const net = new NetIndex(snapshot);
  const from = resolveEndpoint(snapshot, req.from, 'from');
  const to = resolveEndpoint(snapshot, req.to, 'to');
  const proto = req.proto ?? endpointProto(snapshot, to, req.port ?? to.port) ?? (req.port ?? to.port ? 'tcp' : 'icmp');
  const port = proto === 'icmp' ? undefined : (req.port ?? to.port ?? 8080);
  const origin = net.namespace(from.namespace ?? '');
  if (!origin) throw new Error(`the snapshot has no namespace ${from.namespace}`);
  const packet: PacketHeaders = {
    // A node (or the router) has several addresses and picks its source by route.
    srcIP: from.kind === 'node' || from.kind === 'host' || from.kind === 'router' ? '' : from.ip,
    dstIP: to.ip, ttl: INITIAL_TTL, proto,
    ...(port !== undefined ? { srcPort: EPHEMERAL_PORT, dstPort: port } : {}),
  };
  const walker = new Walker(net, packet, { prefer: opts.prefer });
  const result: TraceResult = { request: { from, to, proto, port }, disposition: 'DELIVERED', hops: walker.hops, nat: walker.nat, warnings: walker.warnings };
  try {
    walker.originate(origin);
    result.delivered = { ...walker.packet };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    result.disposition = e.disposition;
    result.reason = e.reason;
    explainRouterStop(snapshot, result);
    explainOutsideStop(snapshot, result);
  }
  if (walker.service) result.service = serviceSummary(walker.service);
  if (result.disposition === 'DELIVERED') result.returnPath = predictReturn(net, result, walker.natAt);
  return result;
}

/**
 * The reply's path: from where the request was delivered, to the address the destination saw as the source; where the
 * request was rewritten, conntrack rewrites the reply back.
 */
function predictReturn(net: NetIndex, forward: TraceResult, natAt: NatRecord[]): ReturnPath {
  const d = forward.delivered!;
  const last = forward.hops[forward.hops.length - 1];
  const first = forward.hops[0];
  const packet: PacketHeaders = {
    srcIP: d.dstIP, dstIP: d.srcIP, ttl: INITIAL_TTL, proto: d.proto,
    ...(d.dstPort !== undefined ? { srcPort: d.dstPort, dstPort: d.srcPort } : {}),
  };
  const walker = new Walker(net, packet, { reply: true, conntrack: new Conntrack(natAt) });
  const ns = net.namespace(last.namespace)!;
  try {
    walker.originate(ns);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { disposition: e.disposition, reason: e.reason, hops: walker.hops };
  }
  const end = walker.hops[walker.hops.length - 1];
  if (end?.namespace !== first.namespace) return { disposition: 'EXITS_LAB', reason: `the reply to ${d.srcIP} is delivered in ${end?.where ?? ns.name}, not back in the sender`, hops: walker.hops };
  // What the sender put on the wire before any rewrite: its own source, the address it was told to reach.
  const srcAtOrigin = natAt.filter((r) => r.namespace === first.namespace).flatMap((r) => r.changes).find((c) => c.field === 'srcIP')?.from;
  const sent = { ...first.headers, srcIP: String(srcAtOrigin ?? first.headers.srcIP), dstIP: forward.request.to.ip, dstPort: forward.request.port };
  const mismatch = natAt.length ? replyMismatch(sent, walker.packet) : undefined;
  if (mismatch) return { disposition: 'DROPPED_BY_RULE', reason: mismatch, hops: walker.hops };
  return { disposition: 'DELIVERED', hops: walker.hops };
}
