/** Rebuilds a lab's status (nodes, Pods, Docker-style host) from a snapshot, reading bridges, addresses and veth peers from its namespaces. */
import type { Topology } from '../../model/topology';
import type { NamespaceSnapshot, Snapshot, SnapshotPod } from '../../snapshot/types';
import type { DockerHostInfo, LabStatus, NodeInfo, PodInfo } from '../embedded/control/protocol';
import { replayedV2Status } from './replayServices';

const findNs = (s: Snapshot, id: string): NamespaceSnapshot | undefined => s.namespaces.find((n) => n.id === id);

/** The first IPv4 address on `ifname` in `ns`. */
function inet(ns: NamespaceSnapshot | undefined, ifname: string | undefined) {
  return ns?.addresses.find((a) => a.ifname === ifname && a.family === 'inet');
}

/** The bridge of a node or host namespace and its IPv4 address ('' when it has none, as with kind's ptp plugin). */
function bridgeOf(ns: NamespaceSnapshot | undefined): { bridge: string; bridgeIP: string } {
  const bridge = ns?.links.find((l) => l.kind === 'bridge');
  return { bridge: bridge?.name ?? '', bridgeIP: inet(ns, bridge?.name)?.address ?? '' };
}

/** The name of the wire-side end of a node's or host's eth0. */
function wirePortOf(ns: NamespaceSnapshot | undefined): string {
  const eth0 = ns?.links.find((l) => l.name === 'eth0');
  return eth0?.peer?.namespace === 'wire' ? eth0.peer.ifname : '';
}

/** A workload kind for a replayed container: it listened on a port (web) or not (sleep). */
const workloadFor = (ports: number[]) => (ports.length ? ('web' as const) : ('sleep' as const));

function podInfo(s: Snapshot, p: SnapshotPod): PodInfo {
  const ns = findNs(s, `pod/${p.name}`);
  const eth0 = ns?.links.find((l) => l.name === 'eth0');
  const addr = ns?.addresses.find((a) => a.ifname === 'eth0' && a.family === 'inet' && a.address === p.ip) ?? inet(ns, 'eth0');
  const gateway = ns?.routes.find((r) => r.table === 'main' && r.dst === '0.0.0.0/0')?.gateway ?? '';
  return {
    name: p.name, node: p.node, ip: p.ip, prefixLength: addr?.prefixLength ?? 32, gateway, mac: eth0?.mac ?? '', hostVeth: eth0?.peer?.ifname ?? '',
    status: 'Running',
    containers: p.containers.map((c) => ({ name: c.name, workload: workloadFor(c.ports), ...(c.ports.length ? { port: c.ports[0] } : {}), state: 'running' as const })),
    sandboxId: '', createdAt: s.capturedAt,
  };
}

function nodeInfo(s: Snapshot, n: Snapshot['cluster']['nodes'][number]): NodeInfo {
  const ns = findNs(s, `node/${n.name}`);
  const bridge = bridgeOf(ns);
  // No bridge on a node means its Pods hang off their own veths: the ptp (kind-style) wiring; a VXLAN device beside cbr0 is Flannel's.
  const vx = ns?.links.find((l) => l.kind === 'vxlan' && l.vxlan);
  const cni = vx ? 'vxlan' : bridge.bridge ? 'bridge' : 'ptp';
  const vtep = vx?.vxlan ? { vtep: { dev: vx.name, mac: vx.mac, vni: vx.vxlan.id, port: vx.vxlan.port } } : {};
  return { name: n.name, ip: n.ip, podCIDR: n.podCIDR, ...bridge, cni, ...vtep, wirePort: wirePortOf(ns) };
}

function dockerHostInfo(s: Snapshot): DockerHostInfo | undefined {
  const h = s.cluster.dockerHost;
  if (!h) return undefined;
  const ns = findNs(s, `host/${h.name}`);
  return {
    name: h.name, ip: h.ip, bridge: h.bridge, bridgeIP: inet(ns, h.bridge)?.address ?? '', bridgeCIDR: h.bridgeCIDR, wirePort: wirePortOf(ns),
    containers: h.containers.map((c) => {
      const eth0 = findNs(s, `container/${c.name}`)?.links.find((l) => l.name === 'eth0');
      return { name: c.name, ip: c.ip, mac: eth0?.mac ?? '', hostVeth: eth0?.peer?.ifname ?? '', port: c.port, ...(c.publish !== undefined ? { publish: c.publish } : {}) };
    }),
  };
}

/** The topology the snapshot's cluster facts describe (containers' workloads inferred from their ports). */
function topologyOf(s: Snapshot): Topology {
  const c = s.cluster;
  return {
    name: s.source.lab,
    network: { ...(c.network ?? { cidr: '' }), ...(c.subnets ? { subnets: c.subnets.map((n) => ({ ...n })) } : {}), ...(c.router ? { router: { ...c.router } } : {}) },
    clusterCIDR: c.clusterCIDR ?? '',
    ...(c.serviceCIDR ? { serviceCIDR: c.serviceCIDR } : {}),
    nodes: c.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR })),
    pods: c.pods.map((p) => ({
      name: p.name, node: p.node,
      containers: p.containers.map((k) => ({ name: k.name, workload: workloadFor(k.ports), ...(k.ports.length ? { port: k.ports[0] } : {}) })),
    })),
  };
}

/** The status a lab in the state of `s` would report: running, sandbox PID 0, started when the snapshot was taken. */
export function statusFromSnapshot(s: Snapshot): LabStatus {
  const wire = findNs(s, 'wire');
  const host = dockerHostInfo(s);
  return {
    lab: s.source.lab, state: 'running', rootless: s.source.rootless ?? false, sandboxPid: 0, startedAt: s.capturedAt,
    topology: topologyOf(s),
    nodes: s.cluster.nodes.map((n) => nodeInfo(s, n)),
    pods: s.cluster.pods.map((p) => podInfo(s, p)),
    wireBridge: wire?.links.find((l) => l.kind === 'bridge')?.name ?? '',
    ...(host ? { dockerHost: host } : {}),
    ...replayedV2Status(s),
  };
}
