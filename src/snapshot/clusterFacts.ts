/** The cluster facts of a snapshot and the list of namespaces to collect, both read from a lab's status. */
import type { LabStatus } from '../providers/embedded/control/protocol';
import type { NamespaceTarget } from './collectExec';
import { cmp } from './parseIp';
import { v2Facts } from './serviceFacts';
import type { ClusterFacts, NamespaceKind } from './types';

/** Order of namespace kinds in a snapshot. */
export const KIND_ORDER: readonly NamespaceKind[] = ['wire', 'node', 'pod', 'host', 'container', 'client', 'router'];

/** Orders namespaces by kind (wire, node, pod, host, container, client, router), then name. */
export function cmpNamespace(a: { kind: NamespaceKind; name: string }, b: { kind: NamespaceKind; name: string }): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.name, b.name);
}

/** The namespace id of a kind and name: `wire`, or `KIND/NAME`. */
export const namespaceId = (kind: NamespaceKind, name: string): string => (kind === 'wire' ? 'wire' : `${kind}/${name}`);

/**
 * Pods with a network namespace of their own to read: Running, with an IP (a Pending or Failed Pod has none yet), and not
 * hostNetwork (on a cluster such a Pod is its node's namespace, already collected as the node).
 */
const runningPods = (st: LabStatus) => st.pods.filter((p) => p.status === 'Running' && p.ip !== '' && !p.hostNetwork);

/** Every namespace of the lab, in snapshot order, with the exec target that reaches it. */
export function namespaceTargets(st: LabStatus): NamespaceTarget[] {
  // A cluster has no wire namespace (wireBridge ''): its nodes meet on a network PodNet does not run.
  const out: NamespaceTarget[] = st.wireBridge === '' ? [] : [{ id: 'wire', kind: 'wire', name: 'wire', target: { kind: 'wire' } }];
  for (const n of st.nodes) out.push({ id: namespaceId('node', n.name), kind: 'node', name: n.name, target: { kind: 'node', node: n.name } });
  for (const p of runningPods(st)) out.push({ id: namespaceId('pod', p.name), kind: 'pod', name: p.name, node: p.node, target: { kind: 'pod', pod: p.name } });
  const host = st.dockerHost;
  if (host) {
    out.push({ id: namespaceId('host', host.name), kind: 'host', name: host.name, target: { kind: 'dockerHost' } });
    for (const c of host.containers) {
      out.push({ id: namespaceId('container', c.name), kind: 'container', name: c.name, node: host.name, target: { kind: 'dockerContainer', container: c.name } });
    }
  }
  if (st.client) out.push({ id: namespaceId('client', st.client.name), kind: 'client', name: st.client.name, target: { kind: 'client' } });
  if (st.router) out.push({ id: namespaceId('router', st.router.name), kind: 'router', name: st.router.name, target: { kind: 'router' } });
  return out.sort(cmpNamespace);
}

/** Nodes, Pods, networks, the Docker-style host, Services, the client, subnets and router as the lab reports them, sorted by name. */
export function clusterFacts(st: LabStatus): ClusterFacts {
  const host = st.dockerHost;
  const facts: ClusterFacts = {
    // A cluster whose nodes report no addresses or Pod CIDRs has no known range: leave the field out rather than write ''.
    ...(st.topology.network.cidr ? { network: { cidr: st.topology.network.cidr } } : {}),
    ...(st.topology.clusterCIDR ? { clusterCIDR: st.topology.clusterCIDR } : {}),
    nodes: st.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR })).sort((a, b) => cmp(a.name, b.name)),
    pods: runningPods(st)
      .map((p) => ({
        name: p.name, node: p.node, ip: p.ip, containers: p.containers.map((c) => ({ name: c.name, ports: c.port !== undefined ? [c.port] : [] })),
      }))
      .sort((a, b) => cmp(a.name, b.name)),
  };
  if (host) {
    facts.dockerHost = {
      name: host.name, ip: host.ip, bridge: host.bridge, bridgeCIDR: host.bridgeCIDR,
      containers: host.containers
        .map((c) => ({ name: c.name, ip: c.ip, port: c.port, ...(c.publish !== undefined ? { publish: c.publish } : {}) }))
        .sort((a, b) => cmp(a.name, b.name)),
    };
  }
  return { ...facts, ...v2Facts(st) };
}
