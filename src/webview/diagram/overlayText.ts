/**
 * The hop panel's words for a Service's DNAT and for a VXLAN tunnel: which Service, which rule, every candidate and
 * the chosen one, conntrack's un-DNAT on the way back; inner and outer headers and the encapsulation's overhead.
 * Plain strings (no DOM), so tests read them directly.
 */
import type { Hop, OuterHeaders, PacketHeaders, ServiceRow, TraceResult } from '../../tracer/types';
import { serviceCandidates } from './overlayModel';

/** One candidate line: address, Pod, node, and whether the probe (or the prediction) went there. */
export interface CandidateLine {
  text: string;
  chosen: boolean;
}

/** What the panel shows for a DNAT hop. */
export interface ServiceFacts {
  /** `Service default/web: 10.96.0.100:80 (ClusterIP)`. */
  title: string;
  /** The nft rule that picked the endpoint, as written. */
  rule: string;
  /** Where the rule lives: `ip kube-proxy service-… (prerouting)`. */
  where: string;
  candidates: CandidateLine[];
  /** Who chose: the probe, or the prediction only. */
  choice: string;
}

const addr = (ip: string, port?: number) => (port !== undefined ? `${ip}:${port}` : ip);

/** The facts of a hop whose destination changes from a Service address to an endpoint. */
export function serviceFacts(row: ServiceRow, t: TraceResult): ServiceFacts {
  const name = row.namespace ? `${row.namespace}/${row.service}` : row.service;
  const { chosen } = serviceCandidates(t);
  const probe = t.verification?.chosenEndpoint;
  const picked = (probe ?? chosen ?? row.chosen).split(':')[0];
  const candidates = row.candidates.map((c) => {
    const where = [c.pod && `Pod ${c.pod}`, c.node && `on ${c.node}`].filter(Boolean).join(' ');
    return { text: `${addr(c.ip, c.port)}${where ? ` (${where})` : ''}`, chosen: c.ip === picked };
  });
  const choice = !row.candidates.length
    ? 'No ready endpoint: kube-proxy\'s rules reject the packet.'
    : probe
      ? `The probe reached ${probe}${row.candidates.some((c) => c.ip === probe.split(':')[0]) ? ', one of the candidates' : ', which is NOT one of the candidates'}.`
      : `The prediction follows ${row.chosen}; the kernel picks one at random per connection (numgen random), so another run may pick another.`;
  return {
    title: `Service ${name}: ${addr(row.address, row.port)} (${row.via === 'nodePort' ? 'NodePort' : 'ClusterIP'})`,
    rule: row.rule.text,
    where: `${row.rule.family} ${row.rule.table} ${row.rule.chain} (${row.rule.hook})`,
    candidates,
    choice,
  };
}

/** The way back through a Service: conntrack turns the endpoint's source back into the Service address; undefined when nothing was delivered. */
export function unDnatText(t: TraceResult): string | undefined {
  const svc = t.service ?? t.hops.map((h) => h.rows.find((r): r is ServiceRow => r.kind === 'service')).find(Boolean);
  // Nothing comes back through a Service that refused or dropped the packet.
  if (!svc || t.disposition !== 'DELIVERED' || !svc.candidates.length) return undefined;
  const service = 'service' in svc ? svc.service : svc.name;
  const port = svc.port;
  const chosen = t.verification?.chosenEndpoint ?? svc.chosen;
  const from = chosen ? `the endpoint ${chosen}` : 'the endpoint';
  return `The reply leaves ${from}; conntrack remembers the DNAT and rewrites its source back to ${addr(svc.address, port)} (un-DNAT), ` +
    `so ${t.request.from.name ?? t.request.from.ip} sees an answer from the address it sent to (Service ${service}), not from the Pod.`;
}

/** One row of the inner/outer header table: field, inner packet, outer (underlay) packet. */
export type HeaderRow = [field: string, inner: string, outer: string];

/** The inner and outer headers of a hop inside a VXLAN tunnel, side by side (a router lowers only the outer TTL). */
export function tunnelRows(inner: PacketHeaders, outer: OuterHeaders): HeaderRow[] {
  const s = (v: string | number | undefined) => (v === undefined ? '·' : String(v));
  return [
    ['src IP', inner.srcIP, outer.srcIP],
    ['dst IP', inner.dstIP, outer.dstIP],
    ['protocol', inner.proto, `${outer.proto} (VXLAN)`],
    ['dst port', s(inner.dstPort), String(outer.dstPort)],
    ['TTL', String(inner.ttl), s(outer.ttl)],
    ['src MAC', s(inner.srcMAC), s(outer.srcMAC)],
    ['dst MAC', s(inner.dstMAC), s(outer.dstMAC)],
    ['VNI', '·', String(outer.vni)],
  ];
}

/** Why the tunnel costs bytes: the outer headers' sizes adding up to the overhead, and what it means for the MTU. */
export function overheadText(outer: OuterHeaders): string {
  const parts = 'outer Ethernet 14 + outer IPv4 20 + UDP 8 + VXLAN 8';
  const sum = outer.overhead === 50 ? ` = ${outer.overhead} bytes` : ` (this hop reports ${outer.overhead} bytes)`;
  return `Encapsulation adds ${parts}${sum}: with a 1500-byte node MTU the Pods get ${1500 - outer.overhead}, which is why flannel.1 and the Pods' eth0 use it.`;
}

/** The outer headers a hop shows: its own (inside the tunnel), else its encap or decap row's. */
export function outerOf(hop: Hop): OuterHeaders | undefined {
  if (hop.outer) return hop.outer;
  const r = hop.rows.find((x) => x.kind === 'encap' || x.kind === 'decap');
  return r && (r.kind === 'encap' || r.kind === 'decap') ? r.outer : undefined;
}

/** What a tunnel hop does, in one sentence for its panel. */
export function tunnelSentence(hop: Hop): string | undefined {
  const o = outerOf(hop);
  if (!o) return undefined;
  if (hop.decision === 'encap') return `The Pod packet is wrapped: a UDP datagram from node ${o.srcIP} to node ${o.dstIP}, port ${o.dstPort}, VNI ${o.vni}.`;
  if (hop.decision === 'decap') return `The outer headers come off here: the Pod packet continues exactly as it was sent (no NAT).`;
  return `Only the outer packet (${o.srcIP} → ${o.dstIP}, UDP ${o.dstPort}) is visible here; the Pod addresses ride inside it.`;
}
