/**
 * What kube-proxy (nftables mode) programs on one node for a set of Services, as plain data: the per-Service chains
 * with their rules, and the elements of the dispatch sets and maps. Rendering to nft text is kubeProxyRules.ts's job.
 */
import type { ServiceSpec } from '../../../../model/topology';
import { serviceChainNames, servicePortString, type ServicePortName } from './chainNames';

/** One endpoint of a Service as kube-proxy sees it in an EndpointSlice. */
export interface KubeProxyEndpoint {
  ip: string;
  /** The port traffic is DNAT'ed to (the Service's targetPort on this Pod). */
  port: number;
  pod?: string;
  /** The node the endpoint runs on: decides which endpoints are "local" for externalTrafficPolicy Local. */
  node?: string;
  /** Only ready endpoints receive traffic. */
  ready: boolean;
}

/** A Service with its endpoints; namespace defaults to `default` (the embedded lab has no other). */
export interface KubeProxyService {
  spec: ServiceSpec;
  endpoints: readonly KubeProxyEndpoint[];
  namespace?: string;
}

/** Everything the generator needs for one node. */
export interface KubeProxyInput {
  node: { name: string; ip: string };
  /** Pod range: traffic from outside it to a ClusterIP is masqueraded (kube-proxy's cluster-CIDR local detector). */
  clusterCIDR: string;
  /** ClusterIP range: traffic to an unallocated address in it is dropped. */
  serviceCIDR: string;
  services: readonly KubeProxyService[];
}

/** One element of a set or verdict map in the kube-proxy table. */
export interface NftElement {
  container: 'set' | 'map';
  name: string;
  /** nft key syntax, e.g. `10.96.0.100 . tcp . 80`. */
  key: string;
  /** For maps: the verdict, e.g. `goto service-...`. */
  value?: string;
  comment?: string;
}

/** The Service-dependent part of the table on one node: chains (name to rules) and set/map elements (by `name key`). */
export interface KubeProxyPlan {
  chains: Map<string, string[]>;
  elements: Map<string, NftElement>;
}

/** Chains shared by every Service, referenced from per-Service rules. */
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
/** Rejects a new connection to a Service without endpoints. */
export const REJECT_CHAIN = 'reject-chain';

function addElement(plan: KubeProxyPlan, e: NftElement): void {
  plan.elements.set(`${e.name} ${e.key}`, e);
}

/** An address as a number, for ordering only (the caller's addresses are valid dotted quads). */
function ipOrder(ip: string): number {
  let n = 0;
  for (const part of ip.split('.')) n = n * 256 + Number(part);
  return n;
}

/** The numgen rule that picks one of `chains` at random (kube-proxy's load balancing). */
function loadBalance(chains: string[]): string {
  return `numgen random mod ${chains.length} vmap { ${chains.map((c, i) => `${i} : goto ${c}`).join(', ')} }`;
}

/** Endpoints in address order (then port), so the numgen index of an endpoint does not depend on the order they were listed in. */
export const byEndpointAddress = (a: { ip: string; port: number }, b: { ip: string; port: number }): number =>
  ipOrder(a.ip) - ipOrder(b.ip) || a.port - b.port;

/** Adds one Service's chains and elements for the node in `input` to `plan`. */
function planService(input: KubeProxyInput, svc: KubeProxyService, plan: KubeProxyPlan): void {
  const { spec } = svc;
  const p: ServicePortName = { namespace: svc.namespace ?? 'default', name: spec.name, protocol: spec.protocol, portName: '' };
  const names = serviceChainNames(p);
  const comment = servicePortString(p);
  const ready = svc.endpoints.filter((e) => e.ready).sort(byEndpointAddress);
  const local = ready.filter((e) => e.node === input.node.name);
  const nodePort = spec.type === 'NodePort' && spec.nodePort !== undefined ? spec.nodePort : undefined;
  const externalLocal = nodePort !== undefined && spec.externalTrafficPolicy === 'Local';
  const hasEndpoints = ready.length > 0;
  const hasExternalEndpoints = externalLocal ? local.length > 0 : hasEndpoints;
  const endpointChain = (e: KubeProxyEndpoint) => names.endpoint(e.ip, e.port);
  const sig = `${spec.clusterIP} . ${spec.protocol} . ${spec.port}`;

  addElement(plan, { container: 'set', name: 'cluster-ips', key: spec.clusterIP });
  if (hasEndpoints) addElement(plan, { container: 'map', name: 'service-ips', key: sig, value: `goto ${names.cluster}` });
  else addElement(plan, { container: 'map', name: 'no-endpoint-services', key: sig, value: `goto ${REJECT_CHAIN}`, comment });
  if (nodePort !== undefined) {
    const npKey = `${spec.protocol} . ${nodePort}`;
    if (hasEndpoints) addElement(plan, { container: 'map', name: 'service-nodeports', key: npKey, value: `goto ${names.external}` });
    // No endpoints at all: reject; endpoints elsewhere but none here under Local: drop (what got past the short-circuits).
    if (!hasExternalEndpoints) addElement(plan, { container: 'map', name: 'no-endpoint-nodeports', key: npKey, value: hasEndpoints ? 'drop' : `goto ${REJECT_CHAIN}`, comment });
  }
  if (!hasEndpoints) return; // kube-proxy writes no nat chains for a Service without endpoints

  plan.chains.set(names.cluster, [
    `ip daddr ${spec.clusterIP} ${spec.protocol} dport ${spec.port} ip saddr != ${input.clusterCIDR} jump ${MARK_MASQ_CHAIN}`,
    loadBalance(ready.map(endpointChain)),
  ]);
  if (externalLocal && local.length > 0) plan.chains.set(names.local, [loadBalance(local.map(endpointChain))]);
  if (nodePort !== undefined) {
    const policyChain = externalLocal ? (local.length ? names.local : undefined) : names.cluster;
    plan.chains.set(names.external, externalRules(input, names.cluster, policyChain, externalLocal));
  }
  for (const e of ready) {
    plan.chains.set(endpointChain(e), [`ip saddr ${e.ip} jump ${MARK_MASQ_CHAIN}`, `meta l4proto ${spec.protocol} dnat to ${e.ip}:${e.port}`]);
  }
}

/** The NodePort entry chain: Cluster masquerades everything; Local keeps the client's source and only short-circuits Pods and the node itself. */
function externalRules(input: KubeProxyInput, clusterChain: string, policyChain: string | undefined, externalLocal: boolean): string[] {
  const rules = externalLocal
    ? [
      `ip saddr ${input.clusterCIDR} goto ${clusterChain} comment "short-circuit pod traffic"`,
      `fib saddr type local jump ${MARK_MASQ_CHAIN} comment "masquerade local traffic"`,
      `fib saddr type local goto ${clusterChain} comment "short-circuit local traffic"`,
    ]
    : [`jump ${MARK_MASQ_CHAIN}`];
  if (policyChain) rules.push(`goto ${policyChain}`);
  return rules;
}

/**
 * One Service's part of a plan, by everything it depends on: a sync re-plans every Service of every node, and most of them have not
 * changed since the last one (kube-proxy likewise skips unchanged Services in a partial sync). Fragments are shared: never mutate a plan.
 */
const fragments = new Map<string, KubeProxyPlan>();
const FRAGMENTS_MAX = 5_000;

function fragmentKey(input: KubeProxyInput, svc: KubeProxyService): string {
  const s = svc.spec;
  const eps = svc.endpoints.map((e) => `${e.ip}:${e.port}:${e.node ?? ''}:${e.ready ? 1 : 0}`).join(',');
  return `${input.node.name}|${input.clusterCIDR}|${svc.namespace ?? ''}|${s.name}|${s.type}|${s.clusterIP}|${s.protocol}|${s.port}|${s.nodePort ?? ''}|`
    + `${s.externalTrafficPolicy}|${eps}`;
}

function serviceFragment(input: KubeProxyInput, svc: KubeProxyService): KubeProxyPlan {
  const key = fragmentKey(input, svc);
  let fragment = fragments.get(key);
  if (!fragment) {
    fragment = { chains: new Map(), elements: new Map() };
    planService(input, svc, fragment);
    if (fragments.size >= FRAGMENTS_MAX) fragments.clear(); // bounded: old endpoint sets must not pile up forever
    fragments.set(key, fragment);
  }
  return fragment;
}

/** The per-Service chains and elements kube-proxy would program on `input.node`. */
export function kubeProxyPlan(input: KubeProxyInput): KubeProxyPlan {
  const plan: KubeProxyPlan = { chains: new Map(), elements: new Map() };
  for (const svc of input.services) {
    const fragment = serviceFragment(input, svc);
    for (const [name, rules] of fragment.chains) plan.chains.set(name, rules);
    for (const [id, e] of fragment.elements) plan.elements.set(id, e);
  }
  return plan;
}
