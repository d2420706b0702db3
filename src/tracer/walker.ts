/** The packet walker: follows one packet hop by hop through the namespaces' own tables (routes, rules, neighbours, FDB, nftables). */
import type { NamespaceSnapshot, SnapshotLink } from '../snapshot/types';
import { NetIndex } from './netIndex';
import { evaluateHook, type NftContext } from './nftEval';
import { type NftRuleset, readRuleset } from './nftRules';
import { routeLookup, tableName, type RouteLookup } from './routing';
import { rowText } from './format';
import * as say from './sentences';
import { serviceDrop, serviceRowFor } from './serviceHop';
import { throughTunnel } from './vxlan';
import type { Conntrack, NatRecord } from './conntrack';
import type { Disposition, FilterRuleRow, Hop, HopDecision, PacketHeaders, ServiceRow, TableRow, TraceResult } from './types';

/** Initial TTL of the probe (Linux's default). */
export const INITIAL_TTL = 64;
/** Placeholder source port for TCP/UDP predictions; the real probe picks its own. */
export const EPHEMERAL_PORT = 40000;
const MAX_HOPS = 64;
const L3_FAMILIES = ['ip', 'inet'] as const;

/** Where and why a walk ended before delivery. */
export class Stop {
  constructor(readonly disposition: Disposition, readonly reason: string) {}
}

/** How a walk runs: a reply (NAT chains do not see it; conntrack undoes the request's rewrites), and which endpoint a Service balance follows. */
export interface WalkOptions {
  reply?: boolean;
  prefer?: string;
  conntrack?: Conntrack;
}

/** Walks one packet through the snapshot. */
export class Walker {
  readonly hops: Hop[] = [];
  readonly warnings: string[] = [];
  readonly nat: TraceResult['nat'] = [];
  /** Where each rewrite happened, for the reply's conntrack. */
  readonly natAt: NatRecord[] = [];
  /** The first Service DNAT on the way. */
  service?: ServiceRow;
  private readonly rulesets = new Map<string, NftRuleset>();
  private readonly seen = new Set<string>();
  private readonly reply: boolean;
  /** The packet mark (meta mark) lives in one namespace: crossing a veth clears it. */
  private mark = { ns: '', value: 0 };
  /** Sentences (conntrack rewrites) for the next hop. */
  private notes: string[] = [];

  constructor(private readonly net: NetIndex, public packet: PacketHeaders, private readonly opts: WalkOptions = {}) {
    this.reply = !!opts.reply;
  }

  private ruleset(ns: NamespaceSnapshot): NftRuleset {
    let r = this.rulesets.get(ns.id);
    if (!r) this.rulesets.set(ns.id, (r = readRuleset(ns.filter)));
    return r;
  }

  private hop(ns: NamespaceSnapshot, decision: HopDecision, rows: TableRow[], sentence: string, ifIn?: string, ifOut?: string, where = ns.name): void {
    if (this.hops.length >= MAX_HOPS) throw new Stop('LOOP', `the packet went through ${MAX_HOPS} hops without arriving: a forwarding loop`);
    const said = this.notes.length ? `${sentence} ${this.notes.join(' ')}` : sentence;
    this.notes = [];
    this.hops.push({ index: this.hops.length + 1, namespace: ns.id, where, decision, ifIn, ifOut, rows, headers: { ...this.packet }, sentence: said });
  }

  /** A conntrack rewrite of the reply in `ns`, said in the hop that follows. */
  private undo(ns: NamespaceSnapshot, stage: 'snat' | 'dnat'): void {
    const ct = this.opts.conntrack;
    const note = stage === 'snat' ? ct?.undoSnat(ns.id, this.packet) : ct?.undoDnat(ns.id, this.packet);
    if (note) this.notes.push(note);
  }

  private filter(
    ns: NamespaceSnapshot, families: readonly string[], hook: string, iif: string | undefined, oif: string | undefined, rows: TableRow[],
    masq?: string,
  ): void {
    if (this.mark.ns !== ns.id) this.mark = { ns: ns.id, value: 0 };
    const local = this.net.ipv4(ns).map((a) => a.address);
    // A reply belongs to an established connection; a request DNATed here carries conntrack's dnat status in later hooks.
    const ct = this.reply ? { ctState: 'established' } : this.natAt.some((r) => r.namespace === ns.id && r.changes.some((c) => c.field === 'dstIP')) ? { ctStatus: ['dnat'] } : {};
    const ctx: NftContext = { packet: this.packet, iifname: iif, oifname: oif, mark: this.mark.value, localAddresses: local, prefer: this.opts.prefer, ...ct };
    const res = evaluateHook(this.ruleset(ns), families, hook, ctx, masq);
    this.mark.value = res.mark;
    for (const u of res.unknown) {
      // rules left out on purpose (kube-proxy's iptables mode) are said as they are; each warning once per trace
      const w = this.ruleset(ns).notEvaluated.includes(u) ? `${ns.name}: ${u}` : `${ns.name}: nft rule not understood: ${u}`;
      if (!this.warnings.includes(w)) this.warnings.push(w);
    }
    for (const r of res.rows) rows.push({ kind: 'filter', rule: r });
    if (res.changes.length && !this.reply) {
      const row = serviceRowFor(this.net.snapshot, this.packet, res);
      if (row) rows.push(row);
      this.service ??= row;
      this.nat.push(...res.changes);
      this.natAt.push({ namespace: ns.id, where: ns.name, changes: res.changes });
      this.packet = res.packet;
    }
    if (res.verdict === 'drop') this.dropped(ns, hook, res.rows[res.rows.length - 1], rows, iif, oif);
  }

  /** Stops at a drop verdict; a Service refused for want of an endpoint is said as such. */
  private dropped(ns: NamespaceSnapshot, hook: string, rule: FilterRuleRow, rows: TableRow[], iif?: string, oif?: string): never {
    const svc = this.reply ? undefined : serviceDrop(this.net.snapshot, ns.name, ns.kind === 'node' ? ns.name : ns.node, this.packet, rule);
    if (svc) {
      rows.push(svc.row);
      this.service ??= svc.row;
      this.hop(ns, 'drop', rows, `${ns.name} drops the packet: ${svc.reason}.`, iif, oif);
      throw new Stop('DROPPED_BY_RULE', svc.reason);
    }
    this.hop(ns, 'drop', rows, `${ns.name} drops the packet: nft ${rule.family} ${rule.table} ${rule.chain} (${hook}) says "${rule.text}".`, iif, oif);
    throw new Stop('DROPPED_BY_RULE', `dropped in ${ns.name} by nft rule "${rule.text}" (${rule.family} ${rule.table} ${rule.chain}, hook ${hook})`);
  }

  private lookup(ns: NamespaceSnapshot, iif: string | undefined, rows: TableRow[]): RouteLookup & { ok: true } {
    const res = routeLookup(ns, this.packet.dstIP, iif ? this.packet.srcIP : undefined, iif);
    if (!res.ok) {
      if (res.route) rows.push({ kind: 'route', route: res.route, rule: res.rule });
      this.hop(ns, 'drop', rows, `${ns.name} has no usable route to ${this.packet.dstIP}: ${res.why}.`, iif);
      throw new Stop('NO_ROUTE', `${ns.name} has no route to ${this.packet.dstIP} (${res.why})`);
    }
    return res;
  }

  /** A packet created in `ns` (OUTPUT path). */
  originate(ns: NamespaceSnapshot): void {
    const rows: TableRow[] = [];
    let res = this.lookup(ns, undefined, rows);
    if (res.local) {
      // Like the kernel, the source is the local route's preferred source (127.0.0.1 for loopback), not a rewrite.
      if (!this.reply) this.packet.srcIP = res.route.prefsrc ?? this.packet.dstIP;
      this.filter(ns, L3_FAMILIES, 'output', undefined, 'lo', rows);
      // A DNAT on output (a node to its own NodePort) sends the packet elsewhere: the kernel routes it again.
      if (!this.nat.some((c) => c.field === 'dstIP')) return this.deliverLocally(ns, res, rows);
      res = this.lookup(ns, undefined, rows);
      if (res.local) return this.deliverLocally(ns, res, rows);
    } else {
      // A node has several addresses: like the kernel, take the route's preferred source or the out-interface's address.
      this.packet.srcIP ||= res.route.prefsrc ?? this.net.primaryAddress(ns, res.route.dev ?? '', res.route.gateway ?? this.packet.dstIP) ?? '';
      this.filter(ns, L3_FAMILIES, 'output', undefined, res.route.dev, rows);
      if (this.nat.some((c) => c.field === 'dstIP')) res = this.lookup(ns, undefined, rows); // DNAT on output re-routes
    }
    const dev = res.route.dev ?? '';
    rows.unshift({ kind: 'route', route: res.route, rule: res.rule });
    this.undo(ns, 'dnat');
    this.filter(ns, L3_FAMILIES, 'postrouting', undefined, dev, rows, this.net.primaryAddress(ns, dev));
    this.resolveNeighbor(ns, dev, res.route.gateway ?? this.packet.dstIP, rows);
    this.hop(ns, 'send', rows, say.sendSentence(ns.name, res.route, this.packet.dstIP, tableName(res.route.table)), undefined, dev);
    this.transmit(ns, dev);
  }

  /** A packet arriving at the IP stack of `ns` on `iif` (PREROUTING, then INPUT or FORWARD). */
  private receive(ns: NamespaceSnapshot, iif: string): void {
    this.undo(ns, 'snat');
    const key = `${ns.id}|${iif}|${this.packet.dstIP}`;
    if (this.seen.has(key)) throw this.routingLoop(ns, iif);
    this.seen.add(key);
    const rows: TableRow[] = [];
    this.filter(ns, L3_FAMILIES, 'prerouting', iif, undefined, rows);
    const res = this.lookup(ns, iif, rows);
    if (res.local) {
      this.undo(ns, 'dnat');
      this.filter(ns, L3_FAMILIES, 'input', iif, undefined, rows);
      return this.deliver(ns, iif, rows);
    }
    rows.unshift({ kind: 'route', route: res.route, rule: res.rule });
    const dev = res.route.dev ?? '';
    if (!ns.forwarding) {
      rows.push({ kind: 'sysctl', name: 'net.ipv4.ip_forward', value: '0' });
      this.hop(ns, 'drop', rows, `${ns.name} does not forward packets (net.ipv4.ip_forward = 0), and ${this.packet.dstIP} is not its own address, so the packet is dropped.`, iif);
      throw new Stop('NOT_FORWARDING', `${ns.name} has forwarding off and ${this.packet.dstIP} is not its address`);
    }
    this.filter(ns, L3_FAMILIES, 'forward', iif, dev, rows);
    // br_netfilter: a frame DNATed to an address behind the bridge it came in on is bridged there, not routed.
    const bridged = this.bridgedDnat(ns, iif, dev);
    if (this.packet.ttl <= 1 && !bridged) {
      this.hop(ns, 'drop', rows, `The TTL ran out in ${ns.name}.`, iif);
      throw new Stop('TTL_EXCEEDED', `TTL exceeded in ${ns.name}`);
    }
    const ttlBefore = this.packet.ttl;
    if (!bridged) this.packet.ttl -= 1;
    this.undo(ns, 'dnat');
    this.filter(ns, L3_FAMILIES, 'postrouting', iif, dev, rows, this.net.primaryAddress(ns, dev));
    const srcMAC = this.packet.srcMAC;
    this.resolveNeighbor(ns, dev, res.route.gateway ?? this.packet.dstIP, rows);
    if (bridged) this.packet.srcMAC = srcMAC;
    const sentence = bridged
      ? say.bridgedDnatSentence(ns.name, dev, this.packet.dstIP, ttlBefore)
      : say.forwardSentence(ns.name, res.route, this.packet.dstIP, ttlBefore, tableName(res.route.table));
    this.hop(ns, 'forward', rows, sentence, iif, dev);
    this.transmit(ns, dev);
  }

  /** True when br_netfilter bridges a request DNATed here back out of the bridge it arrived on (the kernel's bridged DNAT). */
  private bridgedDnat(ns: NamespaceSnapshot, iif: string, dev: string): boolean {
    if (this.reply || !ns.bridgeNetfilter || dev !== iif || this.net.link(ns, iif)?.kind !== 'bridge') return false;
    return this.natAt.some((r) => r.namespace === ns.id && r.changes.some((c) => c.field === 'dstIP'));
  }

  /** An L3 routing loop: the packet arrives again where it was routed before, with a lower TTL; names the routes that form it. */
  private routingLoop(ns: NamespaceSnapshot, iif: string): Stop {
    const first = this.hops.findIndex((h) => h.namespace === ns.id && h.ifOut === iif && (h.decision === 'veth' || h.decision === 'bridge-to-host'));
    const routers = this.hops.slice(Math.max(0, first)).filter((h) => h.decision === 'forward' || h.decision === 'send');
    const routes = routers.map((h) => {
      const r = h.rows.find((x): x is TableRow & { kind: 'route' } => x.kind === 'route')?.route;
      return `${h.where}: ${r ? rowText({ kind: 'route', route: r }) : 'route ?'}${r?.gateway ? ` (next hop ${r.gateway})` : ''}`;
    });
    const ttls = routers.map((h) => h.headers.ttl);
    return new Stop('LOOP', `an L3 routing loop: the packet for ${this.packet.dstIP} came back to ${ns.name} on ${iif}, the TTL falling at each pass (${ttls.join(' -> ')}); the routes that form it: ${routes.join('; ')}`);
  }

  /** A packet to one of the sender's own addresses (127.0.0.1, its own IP), through its output hook: it loops through lo and never leaves. */
  private deliverLocally(ns: NamespaceSnapshot, res: RouteLookup & { ok: true }, rows: TableRow[]): void {
    rows.unshift({ kind: 'route', route: res.route, rule: res.rule });
    this.filter(ns, L3_FAMILIES, 'input', 'lo', undefined, rows);
    const addr = this.net.ipv4(ns).find((a) => a.address === this.packet.dstIP);
    rows.push({ kind: 'local', address: this.packet.dstIP, ifname: addr?.ifname ?? 'lo' });
    this.hop(ns, 'deliver', rows, say.localSentence(ns.name, this.packet.dstIP, this.packet.srcIP), 'lo', 'lo');
  }

  private deliver(ns: NamespaceSnapshot, iif: string | undefined, rows: TableRow[]): void {
    const addr = this.net.ipv4(ns).find((a) => a.address === this.packet.dstIP);
    rows.push({ kind: 'local', address: this.packet.dstIP, ifname: addr?.ifname ?? 'lo' });
    this.hop(ns, 'deliver', rows, say.deliverSentence(ns.name, this.packet.dstIP, iif, this.packet.ttl), iif);
  }

  private resolveNeighbor(ns: NamespaceSnapshot, dev: string, nexthop: string, rows: TableRow[]): void {
    const link = this.net.link(ns, dev);
    if (!link) throw new Stop('EXITS_LAB', `${ns.name} routes out of ${dev}, which is not in the snapshot`);
    const owner = this.net.arpResolve(ns, link, nexthop);
    const entry = ns.neighbors.find((n) => n.ip === nexthop && n.dev === dev);
    const usable = entry?.mac && !entry.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE');
    const mac = usable ? entry!.mac! : owner?.link.mac;
    if (!mac) {
      this.hop(ns, 'drop', rows, `${ns.name} asks "who has ${nexthop}?" on ${dev} and nobody on that segment answers.`, undefined, dev);
      throw new Stop('NEIGHBOR_UNREACHABLE', `nobody on ${ns.name}'s ${dev} segment has ${nexthop}`);
    }
    if (usable && owner && owner.link.mac !== entry!.mac) this.warnings.push(`${ns.name}: neighbour entry ${nexthop} -> ${entry!.mac} disagrees with ${owner.ns.name} ${owner.link.name} (${owner.link.mac})`);
    rows.push({ kind: 'neighbor', entry, resolved: { ip: nexthop, mac, owner: owner ? `${owner.ns.name} ${owner.link.name}` : 'unknown' } });
    this.packet.srcMAC = link.mac;
    this.packet.dstMAC = mac;
  }

  private transmit(ns: NamespaceSnapshot, dev: string): void {
    const link = this.net.link(ns, dev);
    if (!link) throw new Stop('EXITS_LAB', `${ns.name} sends out of ${dev}, which is not in the snapshot`);
    if (!link.up) throw new Stop('LINK_DOWN', `${dev} in ${ns.name} is down`);
    if (link.kind === 'bridge') return this.bridgeForward(ns, link, undefined);
    if (link.kind === 'vxlan') return this.tunnel(ns, link);
    this.cross(ns, link);
  }

  /** Into a VXLAN device: the outer packet crosses the underlay (tracer/vxlan.ts); the Pod packet goes on from the far device. */
  private tunnel(ns: NamespaceSnapshot, link: SnapshotLink): void {
    const exit = throughTunnel(this.net, this, ns, link, (outer) => new Walker(this.net, outer, { prefer: this.opts.prefer }));
    this.receive(exit.ns, exit.iif);
  }

  private cross(ns: NamespaceSnapshot, link: SnapshotLink): void {
    const mac = this.packet.dstMAC;
    const veth = this.net.peerOf(ns, link);
    // No veth peer: on a cluster the node's eth0 meets the other nodes on a network outside the snapshot; follow the frame's MAC there.
    const peer = veth ?? (mac ? this.net.acrossNetwork(ns, link, (_, l) => l.mac === mac) : undefined);
    if (!peer) throw new Stop('EXITS_LAB', `the packet leaves ${ns.name} through ${link.name}, whose far end is outside this lab's namespaces`);
    const network = veth ? undefined : (this.net.sharedSubnet(ns, link, this.net.ipv4(peer.ns, peer.link.name)[0]?.address ?? '') ?? 'the node network');
    const row: TableRow = { kind: 'veth', from: { namespace: ns.id, ifname: link.name }, to: { namespace: peer.ns.id, ifname: peer.link.name }, ...(network ? { network } : {}) };
    const sentence = network ? say.networkSentence(
      ns.name, link.name, peer.ns.name, peer.link.name, network,
    ) : say.vethSentence(ns.name, link.name, peer.ns.name, peer.link.name);
    this.hop(peer.ns, 'veth', [row], sentence, link.name, peer.link.name, `${ns.name} → ${peer.ns.name}`);
    if (!peer.link.up) throw new Stop('LINK_DOWN', `${peer.link.name} in ${peer.ns.name} is down`);
    if (peer.link.master) {
      const bridge = this.net.link(peer.ns, peer.link.master);
      if (bridge) return this.bridgeIn(peer.ns, bridge, peer.link);
    }
    this.receive(peer.ns, peer.link.name);
  }

  private bridgeIn(ns: NamespaceSnapshot, bridge: SnapshotLink, port: SnapshotLink): void {
    if (this.packet.dstMAC === bridge.mac) {
      const own = ns.fdb.find((f) => f.mac === bridge.mac && (f.dev === bridge.name || f.dev === port.name));
      const rows: TableRow[] = own ? [{ kind: 'fdb', entry: own }] : [];
      this.hop(ns, 'bridge-to-host', rows, say.bridgeUpSentence(ns.name, bridge.name, port.name), port.name, bridge.name);
      return this.receive(ns, bridge.name);
    }
    this.bridgeForward(ns, bridge, port);
  }

  private bridgeForward(ns: NamespaceSnapshot, bridge: SnapshotLink, ingress: SnapshotLink | undefined): void {
    const mac = this.packet.dstMAC ?? '';
    // The TTL is part of the key: a frame that is routed around comes back with a lower TTL (an L3 loop, caught in receive);
    // only a frame switched back unchanged is a layer-2 loop.
    const key = `${ns.id}|${bridge.name}|${ingress?.name}|${mac}|${this.packet.ttl}`;
    if (this.seen.has(key)) throw new Stop('LOOP', `the frame for ${mac} came back to ${bridge.name} in ${ns.name}: a layer-2 loop`);
    this.seen.add(key);
    const entry = ns.fdb.find((f) => f.mac === mac && f.master === bridge.name && f.dev !== bridge.name);
    const ports = ns.links.filter((l) => l.master === bridge.name && l.name !== ingress?.name);
    const out = entry ? ports.find((p) => p.name === entry.dev) : ports.find((p) => this.leadsTo(ns, p, mac));
    if (!out) {
      this.hop(ns, 'drop', [{ kind: 'flood', bridge: bridge.name, ports: ports.map((p) => p.name) }], `No port of ${bridge.name} leads to ${mac}.`, ingress?.name ?? bridge.name);
      throw new Stop('NEIGHBOR_UNREACHABLE', `no port of ${bridge.name} in ${ns.name} leads to ${mac}`);
    }
    const rows: TableRow[] = entry ? [{ kind: 'fdb', entry }] : [{ kind: 'flood', bridge: bridge.name, ports: ports.map((p) => p.name) }];
    this.filter(ns, ['bridge'], 'forward', ingress?.name, out.name, rows);
    if (ingress && ns.bridgeNetfilter) this.bridgedIpHooks(ns, bridge, rows);
    this.hop(ns, entry ? 'bridge-forward' : 'bridge-flood', rows, say.bridgeSentence(ns.name, bridge.name, mac, out.name, !!entry), ingress?.name ?? bridge.name, out.name);
    this.cross(ns, out);
  }

  /** With br_netfilter on, a switched frame also passes the IP hooks (seen as arriving on and leaving by the bridge). */
  private bridgedIpHooks(ns: NamespaceSnapshot, bridge: SnapshotLink, rows: TableRow[]): void {
    const before = rows.length;
    const notes = this.notes.length;
    rows.push({ kind: 'sysctl', name: 'net.bridge.bridge-nf-call-iptables', value: '1' });
    this.undo(ns, 'snat'); // a reply switched past the NAT namespace's IP hooks is un-NAT'ed there all the same
    for (const hook of ['prerouting', 'forward', 'postrouting']) this.filter(ns, L3_FAMILIES, hook, bridge.name, hook === 'prerouting' ? undefined : bridge.name, rows);
    this.undo(ns, 'dnat');
    if (rows.length === before + 1 && this.notes.length === notes) rows.pop(); // no IP rule nor conntrack touched the frame: the sysctl is not news here
  }

  /** True when a frame sent out of `port` can reach the interface with `mac`. */
  private leadsTo(ns: NamespaceSnapshot, port: SnapshotLink, mac: string): boolean {
    const peer = this.net.peerOf(ns, port);
    return !!peer && this.net.l2Segment(peer.ns, peer.link).some((ep) => ep.link.mac === mac);
  }
}

