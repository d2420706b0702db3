/**
 * The parts of the diagram model Services and the overlay add: a node's Services box (the ClusterIPs kube-proxy's
 * rules answer on every node), a VXLAN device's label, the tunnels between VXLAN devices, and what a DNAT or
 * tunnel hop visits. Plain data, no DOM.
 */
import type { NamespaceSnapshot, Snapshot, SnapshotLink } from '../../snapshot/types';
import type { Hop, ServiceRow, TraceResult } from '../../tracer/types';
import type { DiagramEdge, DiagramElement } from './model';

/** How many Services a node's box lists by name before it sums up the rest. */
export const SERVICES_LISTED = 6;

/** Id of a node's Services box. */
export const servicesId = (namespace: string): string => `svc:${namespace}`;

/** One line per Service: `web 10.96.0.100:80/TCP`, with `:30080` for a NodePort. */
function serviceLine(s: NonNullable<Snapshot['cluster']['services']>[number]): string {
  const p = s.ports[0];
  const port = p ? `:${p.port}${p.nodePort ? ` (node :${p.nodePort})` : ''}/${p.protocol.toUpperCase()}` : '';
  return `${s.name} ${s.clusterIP}${port}`;
}

/**
 * A node's Services box: the same on every node, since kube-proxy writes every Service's rules on every node; none
 * when the snapshot has no Services.
 */
export function servicesBox(s: Snapshot, ns: NamespaceSnapshot): DiagramElement | undefined {
  const list = (s.cluster.services ?? []).filter((x) => x.clusterIP && x.clusterIP !== 'None');
  if (ns.kind !== 'node' || !list.length) return undefined;
  const lines = list.slice(0, SERVICES_LISTED).map(serviceLine);
  if (list.length > SERVICES_LISTED) lines.push(`+${list.length - SERVICES_LISTED} more`);
  return { id: servicesId(ns.id), kind: 'services', namespace: ns.id, label: ['Services (DNAT rules)', ...lines], children: [] };
}

/** A VXLAN device's label: `flannel.1 (VTEP)`, its VNI and UDP port, its address. */
export function vtepLabel(link: SnapshotLink, addresses: string[]): string[] {
  const v = link.vxlan;
  return [`${link.name} (VTEP)`, ...(v ? [`VNI ${v.id} · UDP ${v.port}`] : []), ...addresses];
}

/** One tunnel between every two nodes' VXLAN devices of the same VNI (Flannel gives each node an FDB entry for every other). */
export function tunnelEdges(s: Snapshot, ifId: (ns: string, ifname: string) => string): DiagramEdge[] {
  const vteps = s.namespaces.filter((n) => n.kind === 'node').flatMap((n) => n.links.filter((l) => l.kind === 'vxlan').map((l) => ({ ns: n.id, l })));
  const edges: DiagramEdge[] = [];
  for (let i = 0; i < vteps.length; i++) {
    for (let j = i + 1; j < vteps.length; j++) {
      const [a, b] = [vteps[i], vteps[j]];
      if (a.ns === b.ns || a.l.vxlan?.id !== b.l.vxlan?.id) continue;
      const source = ifId(a.ns, a.l.name);
      const target = ifId(b.ns, b.l.name);
      edges.push({ id: `tunnel:${source}--${target}`, kind: 'tunnel', source, target });
    }
  }
  return edges;
}

/** The Service row of a hop (where the destination changes from a Service address to an endpoint), if it has one. */
export function serviceRowOf(hop: Hop): ServiceRow | undefined {
  return hop.rows.find((r): r is ServiceRow => r.kind === 'service');
}

/** The VXLAN device an encap or decap hop passes, if any. */
export function vtepOf(hop: Hop): string | undefined {
  const r = hop.rows.find((x) => x.kind === 'encap' || x.kind === 'decap');
  return r && (r.kind === 'encap' || r.kind === 'decap') ? r.dev : undefined;
}

/**
 * Extra elements a hop visits between its way in and its way out: the node's Services box for a DNAT hop, the VXLAN
 * device for an encap or decap hop (when it is not already the hop's ifIn or ifOut).
 */
export function hopVia(hop: Hop, ifId: (ns: string, ifname: string) => string): string[] {
  const via: string[] = [];
  if (serviceRowOf(hop) && hop.namespace.startsWith('node/')) via.push(servicesId(hop.namespace));
  const dev = vtepOf(hop);
  if (dev && dev !== hop.ifIn && dev !== hop.ifOut) via.push(ifId(hop.namespace, dev));
  return via;
}

/** The Service's candidate endpoints, the one chosen (the probe's, else the prediction's) and its Pod, for highlighting. */
export function serviceCandidates(t: TraceResult): { pods: string[]; ips: string[]; chosen?: string; chosenPod?: string } {
  const row = t.hops.map(serviceRowOf).find(Boolean);
  const candidates = t.service?.candidates ?? row?.candidates ?? [];
  const chosen = t.verification?.chosenEndpoint ?? t.service?.chosen ?? row?.chosen;
  const ip = chosen?.split(':')[0];
  const chosenPod = candidates.find((c) => c.ip === ip)?.pod;
  return { pods: candidates.flatMap((c) => (c.pod ? [c.pod] : [])), ips: candidates.map((c) => c.ip), chosen, chosenPod };
}

/** The destination the packet carries after each hop (index 0: as sent), so the drawing can show the DNAT rewrite it. */
export function destinations(t: TraceResult): string[] {
  const port = t.request.to.port ?? t.request.port;
  const sent = port ? `${t.request.to.ip}:${port}` : t.request.to.ip;
  return [sent, ...t.hops.map((h) => (h.headers.dstPort ? `${h.headers.dstIP}:${h.headers.dstPort}` : h.headers.dstIP))];
}
