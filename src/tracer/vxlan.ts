/**
 * The tracer inside a VXLAN tunnel (issue 12): a packet routed out of a vxlan device (Flannel's flannel.1) is wrapped in
 * UDP for the remote VTEP its FDB names, the outer packet is walked through the underlay with the same machinery (the
 * node's default route, the router, the wires), and where it arrives at a local address on the device's UDP port the
 * far node's vxlan device unwraps it: the inner packet carries on from there, unchanged.
 */
import type { NamespaceSnapshot, SnapshotFdbEntry, SnapshotLink } from '../snapshot/types';
import type { NetIndex } from './netIndex';
import { decapSentence, encapSentence, underlayNote } from './tunnelSentences';
import type { Hop, OuterHeaders, PacketHeaders, TableRow } from './types';
import { INITIAL_TTL, Stop } from './walker';

/** Bytes VXLAN over IPv4 adds to every frame: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
export const VXLAN_IPV4_OVERHEAD = 50;
/** The kernel's default VXLAN UDP port (Flannel's too), used when a snapshot lacks the device's details. */
export const LINUX_VXLAN_PORT = 8472;
/** The FDB MAC a vxlan device uses as its default destination when no entry names the frame's MAC. */
const DEFAULT_FDB_MAC = '00:00:00:00:00:00';

/** The part of a packet walk the tunnel needs: its hops and warnings, and a way to walk another packet from a namespace. */
export interface TunnelWalk {
  readonly hops: Hop[];
  readonly warnings: string[];
  packet: PacketHeaders;
}

/** A walk of the outer packet: started with `originate` in the sending node. */
export interface OuterWalk extends TunnelWalk {
  originate(ns: NamespaceSnapshot): void;
}

/** Where the inner packet comes out: the far node and its vxlan device. */
export interface TunnelExit {
  ns: NamespaceSnapshot;
  iif: string;
}

/** The FDB row of `dev` that sends frames for `mac` to a remote VTEP: the exact MAC, else the all-zeros default entry. */
export function vtepEntry(ns: NamespaceSnapshot, dev: string, mac: string | undefined): SnapshotFdbEntry | undefined {
  const mine = ns.fdb.filter((f) => f.dev === dev && f.dst);
  return mine.find((f) => f.mac === mac) ?? mine.find((f) => f.mac === DEFAULT_FDB_MAC);
}

/** The outer headers `link` puts around a frame for `remote` (no source MAC yet: the underlay route decides it). */
export function outerHeaders(net: NetIndex, ns: NamespaceSnapshot, link: SnapshotLink, remote: string): OuterHeaders {
  const v = link.vxlan;
  const src = v?.local ?? (v?.dev ? net.primaryAddress(ns, v.dev, remote) : undefined) ?? '';
  return { srcIP: src, dstIP: remote, proto: 'udp', dstPort: v?.port ?? LINUX_VXLAN_PORT, vni: v?.id ?? 0, overhead: VXLAN_IPV4_OVERHEAD, ttl: INITIAL_TTL };
}

const outerOf = (o: OuterHeaders, p: PacketHeaders): OuterHeaders => ({ ...o, srcIP: p.srcIP, dstIP: p.dstIP, srcMAC: p.srcMAC, dstMAC: p.dstMAC, ttl: p.ttl });

/** The vxlan device of `ns` that takes UDP to `outer.dstPort` for `outer.vni` at `outer.dstIP` (a local address). */
function receivingDevice(ns: NamespaceSnapshot, outer: OuterHeaders): SnapshotLink | undefined {
  return ns.links.find((l) => l.kind === 'vxlan' && l.vxlan && l.vxlan.id === outer.vni && l.vxlan.port === outer.dstPort
    && (l.vxlan.local === undefined || l.vxlan.local === outer.dstIP));
}

/**
 * Turns the outer walk's hops into hops of the inner packet's trace: the first (the node sending the outer packet) becomes
 * the encap hop, the others carry `outer` while `headers` stays the Pod packet.
 */
function tunnelHops(walk: TunnelWalk, outer: OuterWalk, inner: PacketHeaders, encap: TableRow & { kind: 'encap' }, dev: string): Hop[] {
  return outer.hops.map((h, i): Hop => {
    const o = outerOf(encap.outer, h.headers);
    const base = { ...h, index: walk.hops.length + i + 1, headers: { ...inner }, outer: o };
    if (i === 0) {
      const row: TableRow = { ...encap, outer: o };
      const mac = encap.neighbor?.mac ?? inner.dstMAC ?? '?';
      return { ...base, decision: 'encap', ifIn: dev, rows: [row, ...h.rows], sentence: `${encapSentence(h.where, dev, inner, o, mac)} ${h.sentence}` };
    }
    const note = h.decision === 'forward' || h.decision === 'drop' ? ` ${underlayNote(h.where, inner, o)}` : '';
    return { ...base, sentence: `${h.sentence}${note}` };
  });
}

/**
 * Follows a packet that `ns` routed out of its vxlan device `link`: appends the encap hop, the underlay hops and the decap
 * hop to `walk.hops`, and returns where the inner packet comes out. Throws Stop where the outer packet (or the tunnel) ends.
 */
export function throughTunnel(
  net: NetIndex, walk: TunnelWalk, ns: NamespaceSnapshot, link: SnapshotLink, outerWalk: (p: PacketHeaders) => OuterWalk,
): TunnelExit {
  const inner = { ...walk.packet };
  const fdb = vtepEntry(ns, link.name, inner.dstMAC);
  if (!fdb?.dst) {
    throw new Stop('NEIGHBOR_UNREACHABLE', `${ns.name}'s ${link.name} has no FDB entry for ${inner.dstMAC ?? 'the frame\'s MAC'} (and no default one), so it `
      + 'knows no remote VTEP to send the frame to and the kernel drops it');
  }
  const neighbor = ns.neighbors.find((n) => n.dev === link.name && n.mac === inner.dstMAC);
  const outer = outerHeaders(net, ns, link, fdb.dst);
  const encap: TableRow & { kind: 'encap' } = { kind: 'encap', dev: link.name, vni: outer.vni, outer, fdb, ...(neighbor ? { neighbor } : {}) };
  const w = outerWalk({ srcIP: outer.srcIP, dstIP: outer.dstIP, ttl: INITIAL_TTL, proto: 'udp', dstPort: outer.dstPort });
  let stop: unknown;
  try {
    w.originate(ns);
  } catch (e) {
    stop = e;
  }
  const hops = tunnelHops(walk, w, inner, encap, link.name);
  for (const x of w.warnings) if (!walk.warnings.includes(x)) walk.warnings.push(x);
  if (stop !== undefined) {
    walk.hops.push(...hops);
    if (stop instanceof Stop) throw new Stop(stop.disposition, `the tunnel's outer packet (${outer.srcIP} -> ${outer.dstIP}, UDP ${outer.dstPort}) did not arrive: ${stop.reason}`);
    throw stop;
  }
  return decapsulate(net, walk, hops, inner);
}

/** The last outer hop (delivery to the far node's own address) becomes the decap hop, if a vxlan device there takes the packet. */
function decapsulate(net: NetIndex, walk: TunnelWalk, hops: Hop[], inner: PacketHeaders): TunnelExit {
  const last = hops[hops.length - 1];
  const far = net.namespace(last.namespace);
  const o = last.outer!;
  const dev = far && receivingDevice(far, o);
  if (!far || !dev || hops.length < 2 || last.decision !== 'deliver') {
    walk.hops.push(...hops);
    throw new Stop('NEIGHBOR_UNREACHABLE', `the tunnel's outer packet reached ${last.where}, but no VXLAN device there takes UDP port ${o.dstPort} for VNI ${o.vni}, `
      + 'so nobody unwraps the Pod packet');
  }
  if (!dev.up) {
    walk.hops.push(...hops);
    throw new Stop('LINK_DOWN', `${dev.name} in ${far.name} is down, so the tunnel's packets are not unwrapped`);
  }
  const decap: TableRow = { kind: 'decap', dev: dev.name, vni: o.vni, outer: o };
  const plain: Hop = { ...last };
  delete plain.outer; // unwrapped: the hop's packet is the Pod packet alone again
  walk.hops.push(...hops.slice(0, -1), { ...plain, decision: 'decap', ifOut: dev.name, rows: [...last.rows, decap], headers: { ...inner }, sentence: decapSentence(far.name, dev.name, inner, o) });
  return { ns: far, iif: dev.name };
}
