/** One plain sentence per hop, for learners: what the namespace decided and which table row made it decide so. */
import type { SnapshotRoute } from '../snapshot/types';
import type { HeaderChange } from './types';

/** "sends 10.244.2.0/24 to 192.168.1.101 out of eth0" style description of a route. */
export function describeRoute(route: SnapshotRoute, dst: string): string {
  const what = route.dst === '0.0.0.0/0' ? `${dst} (no closer match, so its default route)` : route.dst === `${dst}/32` ? dst : `${dst} (in ${route.dst})`;
  return route.gateway ? `sends ${what} to ${route.gateway} out of ${route.dev}` : `sends ${what} straight out of ${route.dev}, where it is directly connected`;
}

/** A sentence for a NAT rewrite, e.g. "the source 172.17.0.2 becomes 192.168.1.10". */
export function describeChanges(changes: HeaderChange[]): string {
  const names: Record<HeaderChange['field'], string> = { srcIP: 'source', dstIP: 'destination', srcPort: 'source port', dstPort: 'destination port' };
  return changes.map((c) => `the ${names[c.field]} ${c.from} becomes ${c.to}`).join(' and ');
}

/** Sentence for a packet leaving its sender. */
export function sendSentence(where: string, route: SnapshotRoute, dst: string, table: string): string {
  return `${where}'s routing table ${describeRoute(route, dst)} (table ${table}).`;
}

/** Sentence for a namespace that routes a packet onwards. */
export function forwardSentence(where: string, route: SnapshotRoute, dst: string, ttlBefore: number, table: string): string {
  return `${where} is a router here: its routing table ${describeRoute(route, dst)} (table ${table}), and the TTL drops from ${ttlBefore} to ${ttlBefore - 1}.`;
}

/** Sentence for crossing the nodes' own network, which the snapshot does not contain (a cluster's Docker bridge or VPC). */
export function networkSentence(fromWhere: string, fromIf: string, toWhere: string, toIf: string, network: string): string {
  return `The frame leaves ${fromWhere} through ${fromIf} onto the node network ${network} (not part of the snapshot: switched, not routed, so nothing changes) and arrives on ${toIf} in ${toWhere}.`;
}

/** Sentence for crossing a veth pair. */
export function vethSentence(fromWhere: string, fromIf: string, toWhere: string, toIf: string): string {
  return `The packet leaves ${fromWhere} through ${fromIf} and comes out of the other end of the veth pair, ${toIf} in ${toWhere}: a virtual cable, nothing changes.`;
}

/** Sentence for a bridge forwarding a frame by its FDB. */
export function bridgeSentence(where: string, bridge: string, mac: string, port: string, known: boolean): string {
  return known
    ? `${bridge} on ${where} has ${mac} in its forwarding table behind ${port}, so it switches the frame there: layer 2 only, the TTL stays the same.`
    : `${bridge} on ${where} has not learned ${mac} yet, so it floods the frame to every port; the copy on ${port} reaches its owner.`;
}

/** Sentence for a frame that a bridge hands up to its own IP stack. */
export function bridgeUpSentence(where: string, bridge: string, port: string): string {
  return `The frame arrives on ${port}, a port of ${bridge}, addressed to ${bridge}'s own MAC (the gateway), so ${where} takes it off the bridge and routes it.`;
}

/** Sentence for local delivery. */
export function deliverSentence(where: string, ip: string, ifIn: string | undefined, ttl: number): string {
  return `${ip} is ${where}'s own address${ifIn ? ` (arrived on ${ifIn})` : ''}: the packet is delivered, TTL ${ttl}.`;
}

/** Sentence for a packet to the sender's own address (127.0.0.1 or its own IP): it loops through lo and never leaves. */
export function localSentence(where: string, ip: string, src: string): string {
  return `${ip} is ${where}'s own address: the packet goes through lo and is delivered inside ${where}, from ${src}; it never leaves, so there is no route to follow and no NAT.`;
}

/** Sentence for br_netfilter's bridged DNAT: the new destination sits behind the bridge the frame came in on. */
export function bridgedDnatSentence(where: string, bridge: string, dst: string, ttl: number): string {
  return `${dst} is behind ${bridge}, the bridge the frame came in on, so ${where} (br_netfilter) does not route it: it bridges the rewritten frame to ${dst}'s MAC, keeping the sender's source MAC and the TTL (${ttl}).`;
}
