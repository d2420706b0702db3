/** Plain sentences for a VXLAN tunnel (issue 12): where the Pod packet is wrapped, what the underlay sees, where it is unwrapped. */
import type { PacketHeaders, OuterHeaders } from './types';

const pair = (h: { srcIP: string; dstIP: string }): string => `${h.srcIP} -> ${h.dstIP}`;

/** Sentence for the hop where a node wraps the Pod packet into UDP for the remote VTEP. */
export function encapSentence(where: string, dev: string, inner: PacketHeaders, outer: OuterHeaders, vtepMac: string): string {
  return `${where} hands the Pod packet (${pair(inner)}) to ${dev}, its VXLAN device: the neighbour entry gave the far VTEP's MAC ${vtepMac}, `
    + `and ${dev}'s FDB says that MAC lives at ${outer.dstIP}. The kernel wraps the whole frame in UDP to port ${outer.dstPort} (VNI ${outer.vni}) `
    + `from ${outer.srcIP} to ${outer.dstIP}, ${outer.overhead} bytes more; from here on the network sees only these outer headers.`;
}

/** A note for a hop inside the tunnel: only the outer packet is visible there. */
export function underlayNote(where: string, inner: PacketHeaders, outer: OuterHeaders): string {
  return `${where} sees only the outer packet (${pair(outer)}, UDP ${outer.dstPort}); the Pod addresses ${pair(inner)} ride inside it, untouched.`;
}

/** Sentence for the hop where the far node unwraps the Pod packet. */
export function decapSentence(where: string, dev: string, inner: PacketHeaders, outer: OuterHeaders): string {
  return `UDP port ${outer.dstPort} to ${outer.dstIP}, ${where}'s own address, belongs to ${dev} (VNI ${outer.vni}): the kernel strips the ${outer.overhead} bytes `
    + `of outer headers and the Pod packet ${pair(inner)} comes out of ${dev} exactly as it went in, source still ${inner.srcIP}: no NAT.`;
}

/** Why a routed packet for a Pod CIDR dies at the router between subnets (a sentence starting "A router between subnets ..."). */
export function routerNoRouteWhy(subnets: string[], owner?: { node: string; ip: string; podCIDR: string }, sender?: string): string {
  const knows = subnets.length ? `only the node subnets (${subnets.join(', ')})` : 'only the node subnets';
  const direct = owner
    ? `${sender ?? 'The sending node'} could not use the direct route ${owner.podCIDR} via ${owner.ip} (${owner.node}), because a next hop must be on the node's own link `
      + 'and the kernel refuses one across a router'
    : 'a direct route to another node\'s Pod CIDR needs that node on the same link';
  return `A router between subnets knows ${knows}, not the Pod CIDRs. ${direct}; `
    + 'so the packet followed the default route to the router and dies there. Routed Pod networking needs the nodes on one link '
    + '(or a router that learns the Pod CIDRs); an overlay such as vxlan carries the Pod packet inside node-to-node UDP instead';
}
