/**
 * The routes a routed node (bridge or ptp) gets to the other nodes' Pod CIDRs: `<peer podCIDR> via <peer node ip>`. The kernel accepts such a
 * route only when the gateway is on-link; across the router it refuses, and the lab records the kernel's own words instead of failing.
 */
import type { NodeSpec, Topology } from '../../../../model/topology';
import { run } from '../../../../util/exec';
import type { NodeInfo } from '../../control/protocol';
import { nodeNsId, type LabContext } from '../labState';
import { onSameLink } from './subnets';

/** A peer route the kernel would not install (optional NodeInfo.refusedRoutes). */
export type RefusedRoute = NonNullable<NodeInfo['refusedRoutes']>[number];

/** A node's peer routes: `onLink` as `ip -batch` lines (installed with eth0), `offLink` tried one by one afterwards. */
export interface PeerRoutePlan {
  onLink: string[];
  offLink: { dst: string; via: string; peer: string }[];
}

const cniOf = (n: NodeSpec) => n.cni ?? 'bridge';

/** Which peer routes `node` gets (pure); two vxlan nodes reach each other through flannel.1 instead (see vxlan.ts). */
export function peerRoutePlan(topo: Topology, node: NodeSpec): PeerRoutePlan {
  const plan: PeerRoutePlan = { onLink: [], offLink: [] };
  for (const peer of topo.nodes) {
    if (peer.name === node.name) continue;
    if (cniOf(node) === 'vxlan' && cniOf(peer) === 'vxlan') continue;
    if (onSameLink(topo, node, peer)) plan.onLink.push(`route add ${peer.podCIDR} via ${peer.ip} dev eth0`);
    else plan.offLink.push({ dst: peer.podCIDR, via: peer.ip, peer: peer.name });
  }
  return plan;
}

/**
 * Asks the kernel of `node` for each off-link route; every refusal is returned with the kernel's message. A route the kernel accepts after all
 * is simply kept (the kernel, not this code, decides what is on-link).
 */
export async function tryOffLinkRoutes(ctx: LabContext, node: NodeSpec, plan: PeerRoutePlan): Promise<RefusedRoute[]> {
  const refused: RefusedRoute[] = [];
  for (const r of plan.offLink) {
    const argv = ctx.ns.enter(nodeNsId(node.name), [ctx.tools.ip, 'route', 'add', r.dst, 'via', r.via, 'dev', 'eth0']);
    const res = await run(argv, { timeoutMs: 10_000 });
    if (res.timedOut) throw new Error(`adding the route ${r.dst} via ${r.via} on node ${node.name} timed out`);
    if (res.code === 0) continue;
    const kernel = res.stderr.trim() || `ip exited ${res.code}`;
    refused.push({
      dst: r.dst,
      via: r.via,
      reason: `the kernel refused it (${kernel}): ${r.via} (node ${r.peer}) is not on ${node.name}'s subnet, so it cannot be the next hop;`
        + ' packets for this Pod CIDR follow the default route to the router, which knows no Pod CIDR',
    });
  }
  return refused;
}

/** One phrase for the build progress naming every refused route, or '' when all were installed. */
export function refusedRoutesSummary(nodes: readonly NodeInfo[]): string {
  const all = nodes.flatMap((n) => (n.refusedRoutes ?? []).map((r) => `${n.name}: ${r.dst} via ${r.via}`));
  if (!all.length) return '';
  return `; not installed (next hop not on-link, the kernel refused them): ${all.join(', ')}; these Pods cannot reach each other across the router`;
}
