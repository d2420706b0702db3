/**
 * Why a routed Pod packet dies at the router between node subnets (issue 12): the router knows the subnets, never a Pod
 * CIDR, and the sending node could not install the direct route because the peer node is not on its link.
 */
import { cidrContains } from '../model/cidr';
import type { Snapshot } from '../snapshot/types';
import { routerNoRouteWhy } from './tunnelSentences';
import type { TraceResult } from './types';

/** The router's own subnets: its directly connected routes (main table), as CIDRs. */
function routerSubnets(snapshot: Snapshot, namespace: string): string[] {
  const ns = snapshot.namespaces.find((n) => n.id === namespace);
  const connected = (ns?.routes ?? []).filter((r) => r.type === 'unicast' && !r.gateway && r.dst !== '0.0.0.0/0' && (r.table === 'main' || r.table === '254'));
  return connected.length ? connected.map((r) => r.dst) : (snapshot.cluster.subnets ?? []).map((s) => s.cidr);
}

/**
 * Rewrites the reason (and the last hop's sentence) of a trace that stopped with NO_ROUTE in a router namespace while
 * heading for a Pod address: says what the router knows, and why the direct node route was not there. Other traces are
 * left as they are.
 */
export function explainRouterStop(snapshot: Snapshot, result: TraceResult): void {
  const last = result.hops[result.hops.length - 1];
  // Inside a VXLAN tunnel the router routes the outer packet (node to node): the Pod address is not what it failed on.
  if (result.disposition !== 'NO_ROUTE' || !last || !last.namespace.startsWith('router/') || last.outer) return;
  // Only a packet from a node or a Pod had a node route to miss; the outside client's is explained by explainOutsideStop.
  if (!/^(node|pod)\//.test(result.hops[0].namespace)) return;
  const dst = last.headers.dstIP;
  const owner = snapshot.cluster.nodes.find((n) => n.podCIDR && cidrContains(n.podCIDR, dst));
  const inPods = owner !== undefined || (snapshot.cluster.clusterCIDR !== undefined && cidrContains(snapshot.cluster.clusterCIDR, dst));
  if (!inPods) return;
  const sender = [...result.hops].reverse().find((h) => h.namespace.startsWith('node/') && (h.decision === 'forward' || h.decision === 'send'));
  const why = routerNoRouteWhy(routerSubnets(snapshot, last.namespace), owner && { node: owner.name, ip: owner.ip, podCIDR: owner.podCIDR }, sender?.where);
  result.reason = `${last.where} has no route to ${dst}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
  last.sentence = `${last.sentence} ${why}.`;
}
