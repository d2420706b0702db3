/**
 * Where each machine of the lab plugs into the "physical" network: one wire bridge for a flat network (wire0, as always), or one bridge per subnet
 * with a router between them (issue 12). Pure planning, no processes.
 */
import { cidrContains } from '../../../../model/cidr';
import type { NodeSpec, SubnetSpec, Topology } from '../../../../model/topology';
import { LabError } from '../../control/labError';
import { WIRE_BRIDGE } from '../labState';

/** Longest interface name the kernel accepts (IFNAMSIZ - 1). */
const MAX_IFNAME = 15;

/** One piece of the physical network: its bridge in the sandbox namespace and the prefix its machines use; `subnet` is absent on a flat network. */
export interface WireSegment {
  bridge: string;
  prefix: number;
  subnet?: SubnetSpec;
}

/** The router's default name when `network.router` does not give one. */
export const DEFAULT_ROUTER_NAME = 'router';

/** Bridge name of subnet number `index`: `wire-<name>` when the kernel accepts it (15 characters, no `/` or spaces), else `wire-s<index+1>`. */
export function subnetBridgeName(subnet: SubnetSpec, index: number): string {
  const wanted = `wire-${subnet.name}`;
  return wanted.length <= MAX_IFNAME && /^[A-Za-z0-9_.-]+$/.test(subnet.name) ? wanted : `wire-s${index + 1}`;
}

/** Bridge names of every subnet, in topology order (empty for a flat network). */
export function subnetBridges(topo: Topology): string[] {
  return subnetsOf(topo).map(subnetBridgeName);
}

/** The subnets of the topology (empty for a flat network). */
export function subnetsOf(topo: Topology): SubnetSpec[] {
  return topo.network.subnets ?? [];
}

/** True when the node network is split into subnets joined by a router. */
export function hasSubnets(topo: Topology): boolean {
  return subnetsOf(topo).length > 0;
}

/** The subnet `ip` is in, or undefined (also on a flat network). */
export function subnetOfIP(topo: Topology, ip: string): SubnetSpec | undefined {
  return subnetsOf(topo).find((s) => cidrContains(s.cidr, ip));
}

/** The segment a machine with address `ip` plugs into; `who` names it in the error when it is in no subnet. */
export function segmentFor(topo: Topology, ip: string, who: string): WireSegment {
  const subnets = subnetsOf(topo);
  if (subnets.length === 0) return { bridge: WIRE_BRIDGE, prefix: Number(topo.network.cidr.split('/')[1]) };
  const index = subnets.findIndex((s) => cidrContains(s.cidr, ip));
  if (index < 0) {
    const known = subnets.map((s) => `${s.name} ${s.cidr}`).join(', ');
    throw new LabError(`${who} (${ip}) is in no subnet of network.subnets (${known}): give it an address in one of them`, 'BAD_REQUEST', 'network.subnets');
  }
  const subnet = subnets[index];
  return { bridge: subnetBridgeName(subnet, index), prefix: Number(subnet.cidr.split('/')[1]), subnet };
}

/** The `ip -batch` line that sends everything off-subnet to the router (none on a flat network). */
export function defaultRouteLines(segment: WireSegment): string[] {
  return segment.subnet ? [`route add default via ${segment.subnet.routerIP} dev eth0`] : [];
}

/** True when `peer` is reachable in one hop from `node`: both on the flat wire, or in the same subnet. */
export function onSameLink(topo: Topology, node: NodeSpec, peer: NodeSpec): boolean {
  if (!hasSubnets(topo)) return true;
  const a = subnetOfIP(topo, node.ip);
  return a !== undefined && a === subnetOfIP(topo, peer.ip);
}

/** Throws the located LabError of the first machine (node, Docker host, client) in no subnet, before anything is built; a flat network passes. */
export function assertEveryMachineInASubnet(topo: Topology): void {
  if (!hasSubnets(topo)) return;
  for (const n of topo.nodes) segmentFor(topo, n.ip, `node ${n.name}`);
  if (topo.dockerHost) segmentFor(topo, topo.dockerHost.ip, `Docker host ${topo.dockerHost.name}`);
  if (topo.client) segmentFor(topo, topo.client.ip, `client ${topo.client.name}`);
}
