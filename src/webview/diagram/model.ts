/**
 * The diagram's pure model: a Snapshot becomes nested boxes (nodes holding their Pods, veths, bridge and eth0;
 * the wire between them) and edges (veth pairs, bridge ports, routing inside a node, the wire).
 * No DOM, no layout: plain data the layout step positions and the renderer draws.
 */
import type { NamespaceSnapshot, Snapshot, SnapshotLink } from '../../snapshot/types';
import type { Hop, TraceResult } from '../../tracer/types';
import { hopVia, servicesBox, tunnelEdges, vtepLabel } from './overlayModel';

/** What a drawn element is; also its CSS class. */
export type ElementKind =
  | 'node' | 'host' | 'wire' | 'pod' | 'docker-container' | 'container' | 'bridge' | 'veth' | 'eth0' | 'port' | 'fold'
  /** The outside client and the router: namespaces on the wire that are no node. */
  | 'client' | 'router'
  /** A node's Services box (its ClusterIPs) and a VXLAN device (flannel.1). */
  | 'services' | 'vtep';

/** How a node with many Pods is folded (see fold.ts): set only on nodes that can be folded. */
export interface FoldInfo {
  /** Pods (or containers) the node holds. */
  pods: number;
  /** How many of them are drawn (all when expanded; the traced or found ones when folded). */
  shown: number;
  expanded: boolean;
  /** What the guests are called: Pods on a node, containers on the Docker-style host. */
  noun: 'Pod' | 'container';
}

/** One box of the diagram, possibly holding others. */
export interface DiagramElement {
  /** Stable id: `ns:<namespace id>`, `if:<namespace id>:<ifname>`, `ctr:<namespace id>:<name>`. */
  id: string;
  kind: ElementKind;
  /** The namespace the element lives in. */
  namespace: string;
  /** Text lines; the first is the title. */
  label: string[];
  /** For an interface: its name in its namespace. */
  ifname?: string;
  children: DiagramElement[];
  /** On a node that can be folded: its fold state. */
  fold?: FoldInfo;
}

/** What an edge stands for; `folded` joins a folded node's Pod count to its bridge (or, without one, to eth0). */
export type EdgeKind = 'veth-pair' | 'bridge-port' | 'route' | 'wire' | 'folded' | 'tunnel';

/** A line between two elements; `source` is the end nearer the Pods so a top-down layout reads Pod -> wire. */
export interface DiagramEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
}

/** The whole drawing as plain data. */
export interface DiagramGraph {
  /** Top-level boxes: nodes, the Docker-style host, the wire, and anything that has no parent. */
  roots: DiagramElement[];
  edges: DiagramEdge[];
  /** How many namespaces were drawn. */
  namespaces: number;
  /** How many elements (boxes of every depth) the graph holds. */
  elements: number;
}

/** Id of a namespace's box. */
export const nsId = (namespace: string): string => `ns:${namespace}`;
/** Id of an interface's box. */
export const ifId = (namespace: string, ifname: string): string => `if:${namespace}:${ifname}`;

function inet(ns: NamespaceSnapshot, ifname: string): string[] {
  return ns.addresses.filter((a) => a.ifname === ifname && a.family === 'inet').map((a) => `${a.address}/${a.prefixLength}`);
}

function iface(ns: NamespaceSnapshot, link: SnapshotLink, kind: ElementKind, withAddress = true): DiagramElement {
  // The article's words: "cbr0 (bridge)", "eth0 (NIC)".
  const title = kind === 'bridge' ? `${link.name} (bridge)` : kind === 'eth0' && withAddress ? `${link.name} (NIC)` : link.name;
  const label = kind === 'vtep' ? vtepLabel(link, inet(ns, link.name)) : [title, ...(withAddress ? inet(ns, link.name) : [])];
  if (!link.up || link.state === 'DOWN') label.push('DOWN');
  return { id: ifId(ns.id, link.name), kind, namespace: ns.id, label, ifname: link.name, children: [] };
}

/** The link a node-like namespace uses to reach the wire: the veth whose peer is in `wire`, else `eth0`. */
function uplink(ns: NamespaceSnapshot): SnapshotLink | undefined {
  return ns.links.find((l) => l.peer?.namespace === 'wire') ?? ns.links.find((l) => l.name === 'eth0');
}

/** What a machine box that is no node says under its name. */
const ROLE: Partial<Record<NamespaceSnapshot['kind'], string>> = { client: 'outside client', router: 'router (no Pod routes)' };

/** How a machine's link is drawn: its uplink as its NIC (every router leg is one), bridges, VXLAN devices, veths. */
function linkKind(ns: NamespaceSnapshot, link: SnapshotLink, up: SnapshotLink | undefined): ElementKind {
  if (link === up || (ns.kind === 'router' && link.peer?.namespace === 'wire')) return 'eth0';
  return link.kind === 'bridge' ? 'bridge' : link.kind === 'vxlan' ? 'vtep' : 'veth';
}

function nodeBox(s: Snapshot, ns: NamespaceSnapshot, guests: DiagramElement[]): DiagramElement {
  const facts = ns.kind === 'node' ? s.cluster.nodes.find((n) => n.name === ns.name) : undefined;
  const host = ns.kind === 'host' && s.cluster.dockerHost?.name === ns.name ? s.cluster.dockerHost : undefined;
  const up = uplink(ns);
  const ip = facts?.ip ?? host?.ip ?? (up ? inet(ns, up.name)[0]?.split('/')[0] : undefined);
  const range = facts ? `Pods ${facts.podCIDR}` : host ? `containers ${host.bridgeCIDR}` : ROLE[ns.kind];
  // Short lines: the box's width comes from what it holds, not from its title.
  const label = [ns.name, ip, range].filter((x): x is string => !!x);
  // Model order guides elk: Pods, then their veths in the same order, the bridge, eth0 last (at the bottom).
  const guestOrder = new Map(guests.map((g, i) => [g.namespace, i] as const));
  const rank = (l: SnapshotLink) => (l === up ? 3e6 : l.kind === 'bridge' ? 2e6 : (guestOrder.get(l.peer?.namespace ?? '') ?? 1e6));
  const links = ns.links.filter((l) => l.kind !== 'loopback').sort((a, b) => rank(a) - rank(b));
  const services = servicesBox(s, ns);
  const children: DiagramElement[] = [...guests, ...(services ? [services] : [])];
  for (const link of links) children.push(iface(ns, link, linkKind(ns, link, up)));
  const kind = ns.kind === 'host' || ns.kind === 'client' || ns.kind === 'router' ? ns.kind : 'node';
  return { id: nsId(ns.id), kind, namespace: ns.id, label, children };
}

function guestBox(s: Snapshot, ns: NamespaceSnapshot): DiagramElement {
  const eth = ns.links.filter((l) => l.kind !== 'loopback');
  const ip = eth.flatMap((l) => inet(ns, l.name))[0]?.split('/')[0];
  const children: DiagramElement[] = [];
  if (ns.kind === 'pod') {
    const pod = s.cluster.pods.find((p) => p.name === ns.name);
    for (const c of pod?.containers ?? []) {
      const ports = c.ports.length ? `:${c.ports.join(', :')}` : '';
      children.push({ id: `ctr:${ns.id}:${c.name}`, kind: 'container', namespace: ns.id, label: [c.name, ports].filter(Boolean), children: [] });
    }
  } else {
    const c = s.cluster.dockerHost?.containers.find((x) => x.name === ns.name);
    if (c) {
      const publish = c.publish ? `published on ${s.cluster.dockerHost?.ip}:${c.publish}` : 'not published';
      children.push({ id: `ctr:${ns.id}:${c.name}`, kind: 'container', namespace: ns.id, label: [`app :${c.port}`, publish], children: [] });
    }
  }
  for (const link of eth) children.push(iface(ns, link, 'eth0', false));
  const kind = ns.kind === 'pod' ? 'pod' : 'docker-container';
  return { id: nsId(ns.id), kind, namespace: ns.id, label: [ns.name, ip ?? 'no IPv4'], children };
}

function wireBox(s: Snapshot, ns: NamespaceSnapshot, machineOrder: Map<string, number>): DiagramElement {
  // Ports in the order of the machines they lead to (left to right), so the wire's cables do not cross.
  const rank = (l: SnapshotLink) => (l.kind === 'bridge' ? 1e6 : (machineOrder.get(l.peer?.namespace ?? '') ?? 1e5));
  const links = ns.links.filter((l) => l.kind !== 'loopback').sort((a, b) => rank(a) - rank(b));
  const children = links.map((l) => iface(ns, l, l.kind === 'bridge' ? 'bridge' : 'port'));
  const label = ['wire', s.cluster.network?.cidr ? `network ${s.cluster.network.cidr}` : 'the machines\' network'];
  return { id: nsId(ns.id), kind: 'wire', namespace: ns.id, label, children };
}

/** Which node-like namespace a Pod or container sits in: its recorded node, else the namespace its eth0 peers with. */
function parentOf(ns: NamespaceSnapshot, byId: Map<string, NamespaceSnapshot>): string | undefined {
  const named = ns.node ? (ns.kind === 'pod' ? `node/${ns.node}` : `host/${ns.node}`) : undefined;
  if (named && byId.has(named)) return named;
  const peer = ns.links.find((l) => l.peer && byId.get(l.peer.namespace)?.kind.match(/^(node|host)$/))?.peer;
  return peer?.namespace;
}

function edgesOf(s: Snapshot, present: Set<string>): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const seen = new Set<string>();
  const add = (kind: EdgeKind, source: string, target: string) => {
    const key = [source, target].sort().join('|');
    if (seen.has(key) || !present.has(source) || !present.has(target)) return;
    seen.add(key);
    edges.push({ id: `edge:${source}--${target}`, kind, source, target });
  };
  const rank: Record<string, number> = { pod: 0, container: 0, node: 1, host: 1, client: 1, router: 1, wire: 2 };
  const kindOf = new Map(s.namespaces.map((n) => [n.id, n.kind] as const));
  for (const ns of s.namespaces) {
    const up = uplink(ns);
    const bridges = ns.links.filter((l) => l.kind === 'bridge');
    for (const link of ns.links) {
      const me = ifId(ns.id, link.name);
      if (link.peer) {
        const other = ifId(link.peer.namespace, link.peer.ifname);
        const mine = rank[ns.kind] ?? 1;
        const theirs = rank[kindOf.get(link.peer.namespace) ?? 'node'] ?? 1;
        const kind: EdgeKind = ns.kind === 'wire' || kindOf.get(link.peer.namespace) === 'wire' ? 'wire' : 'veth-pair';
        if (mine <= theirs) add(kind, me, other);
        else add(kind, other, me);
      }
      if (link.master) add('bridge-port', me, ifId(ns.id, link.master));
    }
    // Routing inside a node: bridge (or, without one, every Pod-facing veth) to the uplink.
    if ((ns.kind === 'node' || ns.kind === 'host' || ns.kind === 'router') && up) {
      const inner = bridges.length ? bridges : ns.links.filter((l) => l.kind === 'veth' && l !== up && !l.master);
      for (const l of inner) add('route', ifId(ns.id, l.name), ifId(ns.id, up.name));
      // A VXLAN device: routed to from the bridge, its UDP packets leave through the uplink.
      for (const v of ns.links.filter((l) => l.kind === 'vxlan')) {
        for (const b of bridges) add('route', ifId(ns.id, b.name), ifId(ns.id, v.name));
        add('route', ifId(ns.id, v.name), ifId(ns.id, up.name));
      }
    }
  }
  return edges;
}

function collectIds(el: DiagramElement, into: Set<string>): void {
  into.add(el.id);
  for (const c of el.children) collectIds(c, into);
}

const byName = (a: DiagramElement, b: DiagramElement) => a.label[0].localeCompare(b.label[0], 'en', { numeric: true });

/** Turns a snapshot into the diagram graph: nodes side by side holding their Pods, the wire joining their eth0s. */
export function buildGraph(s: Snapshot): DiagramGraph {
  const byId = new Map(s.namespaces.map((n) => [n.id, n] as const));
  const guests = new Map<string, DiagramElement[]>();
  const roots: DiagramElement[] = [];
  for (const ns of s.namespaces) {
    if (ns.kind !== 'pod' && ns.kind !== 'container') continue;
    const box = guestBox(s, ns);
    const parent = parentOf(ns, byId);
    if (parent) guests.set(parent, [...(guests.get(parent) ?? []), box]);
    else roots.push(box);
  }
  const order = new Map<string, number>(s.cluster.nodes.map((n, i) => [`node/${n.name}`, i]));
  const machines = s.namespaces.filter((n) => n.kind === 'node' || n.kind === 'host' || n.kind === 'client' || n.kind === 'router');
  machines.sort((a, b) => (order.get(a.id) ?? 1e6) - (order.get(b.id) ?? 1e6) || a.id.localeCompare(b.id));
  for (const ns of machines) roots.push(nodeBox(s, ns, (guests.get(ns.id) ?? []).sort(byName)));
  const machineOrder = new Map(machines.map((m, i) => [m.id, i] as const));
  for (const ns of s.namespaces) if (ns.kind === 'wire') roots.push(wireBox(s, ns, machineOrder));
  const present = new Set<string>();
  for (const r of roots) collectIds(r, present);
  // Edges in drawing order (the order elements appear in the tree), which elk keeps as a tie-breaker.
  const index = new Map(Array.from(present, (id, i) => [id, i] as const));
  const at = (id: string) => index.get(id) ?? 0;
  const edges = edgesOf(s, present).sort((a, b) => at(a.source) - at(b.source) || at(a.target) - at(b.target));
  edges.push(...tunnelEdges(s, ifId).filter((e) => present.has(e.source) && present.has(e.target)));
  return { roots, edges, namespaces: s.namespaces.length, elements: present.size };
}

/** How a hop is known: seen by the probe, seen but different, not seen, only predicted, or where the packet stopped. */
export type HopStatus = 'observed' | 'differs' | 'not-observed' | 'predicted' | 'stopped';

/** One hop of a trace as the diagram draws it. */
export interface TraceStep {
  hop: Hop;
  /** Elements the packet visits in this hop, in order. */
  ids: string[];
  status: HopStatus;
}

/** The status of one hop, from its decision and the probe's observation. */
export function hopStatus(trace: TraceResult, hop: Hop, last: boolean): HopStatus {
  if (hop.decision === 'drop' || (last && trace.disposition !== 'DELIVERED')) return 'stopped';
  const o = hop.observation;
  if (!o) return 'predicted';
  if (!o.observed) return 'not-observed';
  return o.differences?.length ? 'differs' : 'observed';
}

/** Elements one hop passes: ifIn then ifOut of its namespace; a veth hop crosses from one namespace to the other. */
export function hopIds(hop: Hop, previous?: Hop): string[] {
  const ns = hop.namespace;
  if (hop.decision === 'veth') {
    const row = hop.rows.find((r) => r.kind === 'veth');
    if (row?.kind === 'veth') return [ifId(row.from.namespace, row.from.ifname), ifId(row.to.namespace, row.to.ifname)];
    const from = previous && hop.ifIn ? [ifId(previous.namespace, hop.ifIn)] : [];
    return [...from, ...(hop.ifOut ? [ifId(ns, hop.ifOut)] : [])];
  }
  const ids: string[] = [];
  if (hop.decision === 'send') ids.push(nsId(ns));
  if (hop.ifIn) ids.push(ifId(ns, hop.ifIn));
  ids.push(...hopVia(hop, ifId));
  if (hop.decision === 'bridge-forward' || hop.decision === 'bridge-flood') {
    // The frame crosses the bridge between two of its ports: name the bridge so the path goes through it.
    const bridge = hop.rows.map((r) => (r.kind === 'fdb' ? r.entry.master : r.kind === 'flood' ? r.bridge : undefined)).find(Boolean);
    if (bridge && bridge !== hop.ifIn && bridge !== hop.ifOut) ids.push(ifId(ns, bridge));
  }
  if (hop.ifOut) ids.push(ifId(ns, hop.ifOut));
  if (hop.decision === 'deliver' || ids.length === 0) ids.push(nsId(ns));
  return ids;
}

/** Every hop of a trace with the elements it visits and how it is known. */
export function traceSteps(trace: TraceResult): TraceStep[] {
  return trace.hops.map((hop, i) => ({
    hop,
    ids: hopIds(hop, trace.hops[i - 1]),
    status: hopStatus(trace, hop, i === trace.hops.length - 1),
  }));
}

/** The ordered element ids the packet visits over the whole trace (consecutive repeats removed). */
export function tracePath(trace: TraceResult): string[] {
  const out: string[] = [];
  for (const step of traceSteps(trace)) for (const id of step.ids) if (out[out.length - 1] !== id) out.push(id);
  return out;
}

/** True when every namespace a trace passes is in the snapshot (so the trace can stay drawn on a new snapshot). */
export function traceFits(trace: TraceResult, s: Snapshot): boolean {
  const have = new Set(s.namespaces.map((n) => n.id));
  return trace.hops.every((h) => have.has(h.namespace));
}
