/** The things the PodNet trees show, as plain data with stable ids (so expansion survives refreshes). */
import type { LabStatus, NodeInfo, PodInfo } from '../../providers/embedded/control/protocol';
import { endpointLabel, serviceKey, serviceNamed } from './serviceText';

/** One row of a PodNet tree. */
export type NetElement =
  | { id: string; kind: 'lab' }
  | { id: string; kind: 'node'; node: string }
  | { id: string; kind: 'iface'; namespace: string; ifname: string; ip?: string; role: 'eth0' | 'wire' }
  | { id: string; kind: 'bridge'; namespace: string; bridge: string; ip: string }
  | { id: string; kind: 'veth'; namespace: string; ifname: string; pod: string }
  | { id: string; kind: 'pod'; pod: string }
  | { id: string; kind: 'container'; pod: string; container: string }
  | { id: string; kind: 'wire' }
  | { id: string; kind: 'dockerHost' }
  | { id: string; kind: 'dockerContainer'; container: string }
  | { id: string; kind: 'client' }
  | { id: string; kind: 'router' }
  | { id: string; kind: 'services' }
  | { id: string; kind: 'service'; service: string }
  | { id: string; kind: 'endpoint'; service: string; ip: string; pod?: string };

/** Hands out one object per id, so events can refresh exactly the element a view already holds. */
export class ElementCache {
  private readonly byId = new Map<string, NetElement>();

  /** The element with `e.id`, reusing the existing object when there is one. */
  get<T extends NetElement>(e: T): T {
    const old = this.byId.get(e.id);
    if (old && old.kind === e.kind) {
      Object.assign(old, e);
      return old as T;
    }
    this.byId.set(e.id, e);
    return e;
  }

  /** Forgets everything (a different lab is shown). */
  clear(): void {
    this.byId.clear();
  }
}

/** Pods by name and by node, built once per status object (statuses are replaced, never changed in place). */
const podIndexes = new WeakMap<LabStatus, { byName: Map<string, PodInfo>; byNode: Map<string, PodInfo[]> }>();

function podIndex(st: LabStatus): { byName: Map<string, PodInfo>; byNode: Map<string, PodInfo[]> } {
  let ix = podIndexes.get(st);
  if (!ix) {
    ix = { byName: new Map(), byNode: new Map() };
    for (const p of st.pods) {
      ix.byName.set(p.name, p);
      const list = ix.byNode.get(p.node);
      if (list) list.push(p);
      else ix.byNode.set(p.node, [p]);
    }
    podIndexes.set(st, ix);
  }
  return ix;
}

/** The Pods of one node, in the status' order. */
export function podsOn(st: LabStatus, node: string): PodInfo[] {
  return podIndex(st).byNode.get(node) ?? [];
}

/** A Pod of the status by name (an index lookup: a 1,000-Pod tree reads it for every row). */
export function podNamed(st: LabStatus, name: string): PodInfo | undefined {
  return podIndex(st).byName.get(name);
}

/** A node's info by name. */
export function nodeNamed(st: LabStatus, node: string): NodeInfo | undefined {
  return st.nodes.find((n) => n.name === node);
}

/** Children of an element in the network tree (lab -> nodes -> eth0, cbr0 -> veths -> Pod -> containers). */
export function networkChildren(st: LabStatus, el: NetElement | undefined, cache: ElementCache): NetElement[] {
  if (!el) return [cache.get({ id: 'lab', kind: 'lab' })];
  if (st.cluster && (el.kind === 'lab' || el.kind === 'node' || el.kind === 'bridge')) return clusterChildren(st, el, cache);
  const more = serviceChildren(st, el, cache);
  if (more) return more;
  switch (el.kind) {
    case 'lab':
      return [
        ...st.nodes.map((n) => cache.get({ id: `node:${n.name}`, kind: 'node', node: n.name })),
        cache.get({ id: 'wire', kind: 'wire' }),
        ...(st.dockerHost ? [cache.get({ id: 'docker-host', kind: 'dockerHost' })] : []),
        ...(st.client ? [cache.get({ id: 'client', kind: 'client' })] : []),
        ...(st.router ? [cache.get({ id: 'router', kind: 'router' })] : []),
        ...servicesGroup(st, cache),
      ];
    case 'node': {
      const n = nodeNamed(st, el.node);
      if (!n) return [];
      const ns = `node/${n.name}`;
      const eth0 = cache.get({ id: `node:${n.name}/eth0`, kind: 'iface', namespace: ns, ifname: 'eth0', ip: n.ip, role: 'eth0' });
      if (n.bridge) return [eth0, cache.get({ id: `node:${n.name}/bridge:${n.bridge}`, kind: 'bridge', namespace: ns, bridge: n.bridge, ip: n.bridgeIP })];
      return [eth0, ...vethsOf(st, n.name, cache)]; // ptp: each Pod's veth hangs off the node itself
    }
    case 'bridge':
      if (el.namespace.startsWith('host/')) {
        return (st.dockerHost?.containers ?? []).map((c) => cache.get({ id: `docker-host/ctr:${c.name}`, kind: 'dockerContainer', container: c.name }));
      }
      return vethsOf(st, el.namespace.slice('node/'.length), cache);
    case 'veth':
      return [cache.get({ id: `pod:${el.pod}`, kind: 'pod', pod: el.pod })];
    case 'pod': {
      const p = podNamed(st, el.pod);
      return (p?.containers ?? []).map((c) => cache.get({ id: `pod:${el.pod}/ctr:${c.name}`, kind: 'container', pod: el.pod, container: c.name }));
    }
    case 'dockerHost': {
      const h = st.dockerHost;
      if (!h) return [];
      return [
        cache.get({ id: 'docker-host/eth0', kind: 'iface', namespace: `host/${h.name}`, ifname: 'eth0', ip: h.ip, role: 'eth0' }),
        cache.get({ id: `docker-host/bridge:${h.bridge}`, kind: 'bridge', namespace: `host/${h.name}`, bridge: h.bridge, ip: h.bridgeIP }),
      ];
    }
    case 'wire':
      return wirePorts(st).map((port) => cache.get({ id: `wire/${port}`, kind: 'iface', namespace: 'wire', ifname: port, role: 'wire' }));
    default:
      return [];
  }
}

/** The wire's ports: the nodes', the Docker-style host's, the outside client's and the router's (one per subnet). */
function wirePorts(st: LabStatus): string[] {
  return [
    ...st.nodes.map((n) => n.wirePort),
    ...(st.dockerHost ? [st.dockerHost.wirePort] : []),
    ...(st.client ? [st.client.wirePort] : []),
    ...(st.router?.interfaces.map((i) => i.wirePort) ?? []),
  ].filter(Boolean);
}

/** The Services group row, when the backend reports Services (an empty list still shows the group). */
function servicesGroup(st: LabStatus, cache: ElementCache): NetElement[] {
  return st.services ? [cache.get({ id: 'services', kind: 'services' })] : [];
}

/** Children of the rows Services and issue 12 add (Services, a Service, the outside client, the router); undefined for the others. */
function serviceChildren(st: LabStatus, el: NetElement, cache: ElementCache): NetElement[] | undefined {
  switch (el.kind) {
    case 'services':
      return (st.services ?? []).map((s) => cache.get({ id: `svc:${serviceKey(s)}`, kind: 'service', service: serviceKey(s) }));
    case 'service': {
      const s = serviceNamed(st, el.service);
      return (s?.endpoints ?? []).map((e) => cache.get({ id: `svc:${el.service}/ep:${endpointLabel(s!, e)}`, kind: 'endpoint', service: el.service, ip: e.ip, pod: e.pod }));
    }
    case 'client': {
      const c = st.client;
      return c ? [cache.get({ id: 'client/eth0', kind: 'iface', namespace: `client/${c.name}`, ifname: 'eth0', ip: c.ip, role: 'eth0' })] : [];
    }
    case 'router': {
      const r = st.router;
      const ns = `router/${r?.name ?? ''}`;
      return (r?.interfaces ?? []).map((i) => cache.get({ id: `router/${i.ifname}`, kind: 'iface', namespace: ns, ifname: i.ifname, ip: i.ip, role: 'eth0' }));
    }
    default:
      return undefined;
  }
}

function vethsOf(st: LabStatus, node: string, cache: ElementCache): NetElement[] {
  return podsOn(st, node)
    .filter((p) => p.hostVeth)
    .map((p) => cache.get({ id: `node:${node}/veth:${p.name}`, kind: 'veth', namespace: `node/${node}`, ifname: p.hostVeth, pod: p.name }));
}

const podElement = (cache: ElementCache, pod: string): NetElement => cache.get({ id: `pod:${pod}`, kind: 'pod', pod });

/** A Pod's row under its node or bridge: through its host veth when one is known, else the Pod itself. */
const podOrVeth = (cache: ElementCache, node: string, p: PodInfo): NetElement =>
  p.hostVeth ? cache.get({ id: `node:${node}/veth:${p.name}`, kind: 'veth', namespace: `node/${node}`, ifname: p.hostVeth, pod: p.name }) : podElement(cache, p.name);

/**
 * A cluster's root, node and bridge rows. Root: the nodes, then Pods not (yet) on a known node; no wire, since the
 * cluster's own network is not PodNet's to show. Node with node access: eth0, then cbr0 with the node's Pods under it,
 * or (ptp) each Pod through its veth; hostNetwork Pods hang off the node itself. Without node access: the node's Pods.
 */
function clusterChildren(st: LabStatus, el: NetElement, cache: ElementCache): NetElement[] {
  if (el.kind === 'lab') {
    const nodes = new Set(st.nodes.map((n) => n.name));
    return [
      ...st.nodes.map((n) => cache.get({ id: `node:${n.name}`, kind: 'node', node: n.name })),
      ...st.pods.filter((p) => !nodes.has(p.node)).map((p) => podElement(cache, p.name)),
      ...servicesGroup(st, cache),
    ];
  }
  const node = el.kind === 'node' ? el.node : el.kind === 'bridge' ? el.namespace.slice('node/'.length) : '';
  const n = nodeNamed(st, node);
  if (!n) return [];
  const pods = podsOn(st, n.name);
  if (el.kind === 'bridge') return pods.filter((p) => !p.hostNetwork).map((p) => podOrVeth(cache, n.name, p));
  if (st.cluster?.access === 'none') return pods.map((p) => podElement(cache, p.name));
  const ns = `node/${n.name}`;
  const out: NetElement[] = n.ip ? [cache.get({ id: `node:${n.name}/eth0`, kind: 'iface', namespace: ns, ifname: 'eth0', ip: n.ip, role: 'eth0' })] : [];
  if (n.bridge) out.push(cache.get({ id: `node:${n.name}/bridge:${n.bridge}`, kind: 'bridge', namespace: ns, bridge: n.bridge, ip: n.bridgeIP }));
  for (const p of pods) if (p.hostNetwork || !n.bridge) out.push(podOrVeth(cache, n.name, p));
  return out;
}
