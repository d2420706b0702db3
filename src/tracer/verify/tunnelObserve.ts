/**
 * Verification inside a VXLAN tunnel (issue 12): the kernel scrubs the trace mark when it wraps the probe, so the outer
 * packet is marked on its own (UDP to the tunnel port carrying the probe's inner headers, read at fixed offsets), and the
 * hops that carry `outer` are matched to those outer events: the router sees node IP -> node IP, UDP 8472, never a Pod.
 */
import type { Snapshot } from '../../snapshot/types';
import type { Hop, HopObservation, OuterHeaders, TraceProto, TraceResult } from '../types';
import { type Expectation, expectationFor } from './observe';
import type { TraceEvent } from './traceEvents';

/** From the outer UDP header to the inner IPv4 header: UDP 8 + VXLAN 8 + inner Ethernet 14 bytes. */
const INNER_IP_BYTES = 30;
/** Size of the inner IPv4 header the match assumes (no options, as the probe's). */
const INNER_IP_HEADER = 20;
const PROTO_NUMBER: Record<TraceProto, number> = { icmp: 1, tcp: 6, udp: 17 };
/** The chains of PodNet's trace table that mark a packet (prerouting, output) in both families. */
const MARK_CHAINS = [['inet', 't_pre'], ['inet', 't_out'], ['bridge', 't_pre'], ['bridge', 't_out']] as const;

/** A raw payload match on the inner packet: `bytes` from the start of the inner IPv4 header, `bits` long. */
const inner = (bytes: number, bits: number): string => `@th,${(INNER_IP_BYTES + bytes) * 8},${bits}`;

/**
 * The nft match for the outer packet of the probe: UDP to the tunnel port whose inner packet is the probe (its protocol,
 * its size when it has one, an echo request or a SYN to one of `ports`).
 */
export function outerProbeMatch(tunnelPort: number, proto: TraceProto, ports: number[], ipLength?: number): string {
  const parts = [`udp dport ${tunnelPort}`, `${inner(9, 8)} ${PROTO_NUMBER[proto]}`];
  if (ipLength !== undefined) parts.push(`${inner(2, 16)} ${ipLength}`);
  const set = `{ ${[...new Set(ports)].join(', ')} }`;
  if (proto === 'icmp') parts.push(`${inner(INNER_IP_HEADER, 8)} 8`);
  else parts.push(`${inner(INNER_IP_HEADER + 2, 16)} ${set}`);
  if (proto === 'tcp') parts.push(`${inner(INNER_IP_HEADER + 13, 8)} & 0x12 == 0x02`);
  return parts.join(' ');
}

/** The tunnel ports the predicted path uses (usually just 8472). */
function tunnelPorts(t: TraceResult): number[] {
  return [...new Set(t.hops.flatMap((h) => (h.outer ? [h.outer.dstPort] : [])))];
}

/** `nft -f` lines adding the outer-packet marks to trace table `table` (already installed by the same script); '' without a tunnel. */
export function tunnelMarkScript(table: string, t: TraceResult, ports: number[], ipLength?: number): string {
  const lines = tunnelPorts(t).flatMap((port) => MARK_CHAINS.map(([family, chain]) => (
    `add rule ${family} ${table} ${chain} ${outerProbeMatch(port, t.request.proto, ports, ipLength)} meta nftrace set 1`
  )));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** True when the event is the outer packet `o` of the probe (its size is the inner size plus the overhead, when known). */
function isOuter(e: TraceEvent, o: OuterHeaders, ipLength?: number): boolean {
  return e.headers.proto === 'udp' && e.headers.dstPort === o.dstPort && e.headers.srcIP === o.srcIP && e.headers.dstIP === o.dstIP
    && (ipLength === undefined || e.ipLength === undefined || e.ipLength === ipLength + o.overhead);
}

/** Where the outer packet shows up for a hop: the encap hop sends it (output), the decap hop receives it (input). */
function outerExpectation(hop: Hop, snapshot: Snapshot): Expectation | undefined {
  if (hop.decision === 'encap') return { family: 'inet', hooks: ['postrouting', 'output'], oif: hop.ifOut };
  if (hop.decision === 'decap') return { family: 'inet', hooks: ['input'], iif: hop.ifIn };
  return expectationFor(hop, snapshot);
}

function differences(o: OuterHeaders, seen: TraceEvent, withMacs: boolean): string[] {
  const out: string[] = [];
  const check = (label: string, predicted: string | number | undefined, got: string | number | undefined) => {
    if (predicted !== undefined && got !== undefined && predicted !== got) out.push(`outer ${label} ${got} (predicted ${predicted})`);
  };
  check('TTL', o.ttl, seen.headers.ttl);
  if (withMacs) {
    check('source MAC', o.srcMAC, seen.headers.srcMAC);
    check('destination MAC', o.dstMAC, seen.headers.dstMAC);
  }
  return out;
}

/** The outer headers a tunnel hop is about: its own, or (decap) its row's. */
function outerFor(hop: Hop): OuterHeaders | undefined {
  if (hop.outer) return hop.outer;
  const row = hop.rows.find((r) => r.kind === 'decap');
  return row?.kind === 'decap' ? row.outer : undefined;
}

/**
 * Fills the observation of every hop inside the tunnel (and of its encap and decap hops) from the outer packet's events;
 * `headers` are the outer ones seen (the TTL, which is the outer packet's, is given in `where`). Other hops are left alone.
 */
export function observeTunnel(hops: Hop[], snapshot: Snapshot, events: TraceEvent[], ipLength?: number): void {
  for (const hop of hops) {
    const o = outerFor(hop);
    const exp = o && outerExpectation(hop, snapshot);
    if (!o || !exp || hop.decision === 'drop') continue;
    const seen = exp.hooks
      .map((hook) => events.find((e) => e.namespace === hop.namespace && e.family === exp.family && e.hook === hook && isOuter(e, o, ipLength)
        && (exp.iif === undefined || e.iif === exp.iif) && (exp.oif === undefined || e.oif === exp.oif)))
      .find((e) => e !== undefined);
    if (!seen) {
      hop.observation = { observed: false };
      continue;
    }
    const h = seen.headers;
    const where = `${seen.family} ${seen.hook}${seen.iif ? ` iif ${seen.iif}` : ''}${seen.oif ? ` oif ${seen.oif}` : ''}: outer packet ${h.srcIP} -> ${h.dstIP} udp ${h.dstPort}${h.ttl !== undefined ? ` ttl ${h.ttl}` : ''}`;
    const diffs = differences(o, seen, hop.decision === 'veth');
    const obs: HopObservation = { observed: true, where: [where], headers: { srcIP: h.srcIP, dstIP: h.dstIP, proto: 'udp', srcPort: h.srcPort, dstPort: h.dstPort } };
    if (diffs.length) obs.differences = diffs;
    hop.observation = obs;
  }
}
