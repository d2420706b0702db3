/**
 * Why the outside client cannot send to a Pod or a ClusterIP (issue 11): it is on the node network but has no route to the
 * cluster's ranges; from outside, a NodePort on a node's own address is the way in.
 */
import { cidrContains } from '../model/cidr';
import type { Snapshot, SnapshotService } from '../snapshot/types';
import type { TraceResult } from './types';

/** `node:port` a learner can try from outside for a NodePort Service: the first node, or with Local one that has an endpoint. */
function nodePortTarget(snapshot: Snapshot, svc: SnapshotService): string | undefined {
  const port = svc.ports.find((p) => p.nodePort !== undefined)?.nodePort;
  const local = svc.externalTrafficPolicy === 'Local' ? svc.endpoints.find((e) => e.ready && e.node)?.node : undefined;
  const node = local !== undefined ? snapshot.cluster.nodes.find((n) => n.name === local) : snapshot.cluster.nodes[0];
  return port !== undefined && node ? `${node.name}:${port} (Service ${svc.name})` : undefined;
}

/** What to try instead of `dst` from outside: the NodePorts leading to it, or why there is none. */
function wayIn(snapshot: Snapshot, dst: string): string {
  const services = snapshot.cluster.services ?? [];
  const own = services.find((s) => s.clusterIP === dst);
  const leading = own ? [own] : services.filter((s) => s.endpoints.some((e) => e.ip === dst));
  const targets = leading.filter((s) => s.type === 'NodePort').map((s) => nodePortTarget(snapshot, s)).filter((t) => t !== undefined);
  if (targets.length) return `from outside, use a NodePort on a node's own address: ${targets.join(', ')}`;
  if (own) return `Service ${own.name} is ${own.type} only: make it a NodePort Service to reach it from outside`;
  return 'from outside, a Pod is reached through a NodePort Service that selects it';
}

/**
 * Adds to the reason of a trace from the outside client that stopped with NO_ROUTE (in the client, or at the router its
 * default route leads to) heading for a Pod or Service address: only the cluster's nodes know those ranges, and the way in
 * from outside. Other traces are left as they are.
 */
export function explainOutsideStop(snapshot: Snapshot, result: TraceResult): void {
  const last = result.hops[result.hops.length - 1];
  const client = result.hops[0];
  if (result.disposition !== 'NO_ROUTE' || !last || !client.namespace.startsWith('client/') || last.outer) return;
  if (last !== client && !last.namespace.startsWith('router/')) return;
  const dst = last.headers.dstIP;
  const { clusterCIDR, serviceCIDR } = snapshot.cluster;
  const isService = (snapshot.cluster.services ?? []).some((s) => s.clusterIP === dst) || (serviceCIDR !== undefined && cidrContains(serviceCIDR, dst));
  const isPod = snapshot.cluster.nodes.some((n) => n.podCIDR && cidrContains(n.podCIDR, dst)) || (clusterCIDR !== undefined && cidrContains(clusterCIDR, dst));
  if (!isService && !isPod) return;
  const what = isService ? 'a ClusterIP' : 'a Pod address';
  const path = last === client ? `${client.where} is on the node network` : `${client.where}'s default route leads to ${last.where}, which knows only the node subnets`;
  const why = `${dst} is ${what}: ${path}, and only the cluster's nodes have routes to the Pod and Service ranges; ${wayIn(snapshot, dst)}`;
  result.reason = `${result.reason ?? `${last.where} has no route to ${dst}`}. ${why.charAt(0).toUpperCase()}${why.slice(1)}`;
  last.sentence = `${last.sentence} ${why.charAt(0).toUpperCase()}${why.slice(1)}.`;
}
