/** Collects a {@link Snapshot} of a lab through {@link LabProvider.exec} only, so the same code reads any provider's namespaces. */
import type { LabStatus, PodInfo } from '../providers/embedded/control/protocol';
import type { LabProvider } from '../providers/provider';
import { mapLimit } from '../util/concurrency';
import { clusterFacts, namespaceId, namespaceTargets } from './clusterFacts';
import { readIpBatch, readSysctlBatch } from './collectBatch';
import { collectFilter, execIn, readIn, type NamespaceTarget } from './collectExec';
import { parseFdb } from './parseFdb';
import { parseAddresses, parseJsonArray, parseLinks, parseNeighbors, parseRoutes, parseRules, type ParsedLink } from './parseIp';
import { resolvePeers, type PeerScope } from './resolvePeers';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type NamespaceSnapshot, type Snapshot, type SnapshotSource } from './types';

/** How many namespaces are read at once (each runs its commands concurrently). */
export const NAMESPACE_CONCURRENCY = 8;

/**
 * The read-only commands run in every namespace, one by one where their batches (./collectBatch.ts: addresses, routes,
 * rules and neighbours in one `ip -batch`, both sysctls in one `cat`) cannot run. Routes are IPv4 only; addresses keep inet6.
 */
export const COMMANDS = {
  links: ['ip', '-j', '-d', 'link', 'show'],
  addresses: ['ip', '-j', 'addr', 'show'],
  routes: ['ip', '-j', '-4', 'route', 'show', 'table', 'all'],
  rules: ['ip', '-j', 'rule', 'show'],
  neighbors: ['ip', '-j', 'neigh', 'show'],
  fdb: ['bridge', '-j', 'fdb', 'show'],
  forwarding: ['cat', '/proc/sys/net/ipv4/ip_forward'],
  bridgeNetfilter: ['cat', '/proc/sys/net/bridge/bridge-nf-call-iptables'],
} as const;

/** A namespace's tables before veth peers are resolved across namespaces. */
type Collected = Omit<NamespaceSnapshot, 'links'> & { parsedLinks: ParsedLink[] };

function parseForwarding(stdout: string): boolean {
  const v = stdout.trim();
  if (v !== '0' && v !== '1') throw new Error(`expected 0 or 1, got "${v}"`);
  return v === '1';
}

type IpTables = Pick<NamespaceSnapshot, 'addresses' | 'routes' | 'rules' | 'neighbors'>;

/** Addresses, routes, rules and neighbours: one `ip -batch` when it runs whole, else one command each. */
async function readIpTables(lab: LabProvider, ns: NamespaceTarget): Promise<IpTables> {
  const docs = await readIpBatch(lab, ns);
  if (docs) {
    try {
      const [a, r, ru, n] = docs.map(parseJsonArray);
      return { addresses: parseAddresses(a), routes: parseRoutes(r), rules: parseRules(ru), neighbors: parseNeighbors(n) };
    } catch {
      // A document ip printed is not what the parsers expect: the single commands below report which one and why.
    }
  }
  const read = <T>(argv: readonly string[], parse: (s: string) => T) => readIn(lab, ns, [...argv], parse);
  const [addresses, routes, rules, neighbors] = await Promise.all([
    read(COMMANDS.addresses, (s) => parseAddresses(parseJsonArray(s))),
    read(COMMANDS.routes, (s) => parseRoutes(parseJsonArray(s))),
    read(COMMANDS.rules, (s) => parseRules(parseJsonArray(s))),
    read(COMMANDS.neighbors, (s) => parseNeighbors(parseJsonArray(s))),
  ]);
  return { addresses, routes, rules, neighbors };
}

/** Forwarding and bridge-netfilter: one `cat` of both files when its output is clear, else one command each. */
async function readSysctls(lab: LabProvider, ns: NamespaceTarget): Promise<{ forwarding: boolean; bridgeNetfilter: boolean }> {
  const both = await readSysctlBatch(lab, ns);
  if (both) return { forwarding: parseForwarding(both.forwarding), bridgeNetfilter: both.bridgeNetfilter };
  const [forwarding, bnf] = await Promise.all([readIn(lab, ns, [...COMMANDS.forwarding], parseForwarding), execIn(lab, ns, [...COMMANDS.bridgeNetfilter])]);
  // The file exists only while the br_netfilter module is loaded: no file means bridged frames skip the IP hooks.
  return { forwarding, bridgeNetfilter: bnf.code === 0 && bnf.stdout.trim() === '1' };
}

/** Reads every table of one namespace, its commands at once (5 processes: links, the ip batch, fdb, sysctls, filter). */
export async function collectNamespace(lab: LabProvider, ns: NamespaceTarget): Promise<Collected> {
  const [parsedLinks, tables, sysctls, fdb, filter] = await Promise.all([
    readIn(lab, ns, [...COMMANDS.links], (s) => parseLinks(parseJsonArray(s))),
    readIpTables(lab, ns),
    readSysctls(lab, ns),
    readIn(lab, ns, [...COMMANDS.fdb], (s) => parseFdb(parseJsonArray(s))),
    collectFilter(lab, ns),
  ]);
  return {
    id: ns.id, kind: ns.kind, name: ns.name, ...(ns.node !== undefined ? { node: ns.node } : {}),
    forwarding: sysctls.forwarding, bridgeNetfilter: sysctls.bridgeNetfilter, parsedLinks, ...tables, fdb, filter,
  };
}

/** One namespace's tables on their own (veth peers left unresolved: that needs the other namespaces). */
export async function collectOneNamespace(lab: LabProvider, ns: NamespaceTarget): Promise<NamespaceSnapshot> {
  const c = await collectNamespace(lab, ns);
  return finish(c, c.parsedLinks.map((p) => (p.linkIndex !== undefined && p.link.kind === 'veth' ? { ...p.link, peerIfindex: p.linkIndex } : p.link)));
}

/** Puts the resolved links back in place, keeping the format's key order. */
function finish(c: Collected, links: NamespaceSnapshot['links']): NamespaceSnapshot {
  return {
    id: c.id, kind: c.kind, name: c.name, ...(c.node !== undefined ? { node: c.node } : {}), forwarding: c.forwarding,
    ...(c.bridgeNetfilter !== undefined ? { bridgeNetfilter: c.bridgeNetfilter } : {}),
    links, addresses: c.addresses, routes: c.routes, rules: c.rules, neighbors: c.neighbors, fdb: c.fdb, filter: c.filter,
  };
}

/** The snapshot's source: provider and lab, plus the context, server and node access of a cluster. */
function sourceOf(lab: LabProvider, st: LabStatus): SnapshotSource {
  const c = st.cluster;
  if (!c) return { provider: lab.kind, lab: st.lab, rootless: st.rootless };
  return { provider: lab.kind, lab: st.lab, context: c.context, cluster: c.cluster, server: c.server, access: c.access };
}

/** Options of {@link collectSnapshot}. */
export interface CollectOptions {
  /** Collect only the Pods this accepts (the snapshot's cluster facts then list only those Pods); default all. */
  pods?: (pod: PodInfo) => boolean;
}

/**
 * Every namespace's tables; a Pod that failed to be read and is no longer Running when asked again (deleted meanwhile,
 * as Pods on a busy cluster are) is left out. Any other failure rejects.
 */
async function collectAll(lab: LabProvider, targets: NamespaceTarget[]): Promise<Collected[]> {
  const results = await mapLimit(targets, NAMESPACE_CONCURRENCY, (ns) => collectNamespace(lab, ns).then(
    (c) => ({ c }),
    (error: unknown) => ({ ns, error }),
  ));
  const failed = results.filter((r): r is { ns: NamespaceTarget; error: unknown } => 'error' in r);
  if (failed.length) {
    const running = new Set((await lab.status()).pods.filter((p) => p.status === 'Running').map((p) => p.name));
    const real = failed.find((f) => f.ns.kind !== 'pod' || running.has(f.ns.name));
    if (real) throw real.error;
  }
  return results.flatMap((r) => ('c' in r ? [r.c] : []));
}

/** Reads the status and every namespace of `lab` (bounded parallelism) into one deterministic snapshot. */
export async function collectSnapshot(lab: LabProvider, opts: CollectOptions = {}): Promise<Snapshot> {
  const full = await lab.status();
  const wanted = opts.pods ? { ...full, pods: full.pods.filter(opts.pods) } : full;
  const capturedAt = new Date().toISOString();
  const collected = await collectAll(lab, namespaceTargets(wanted));
  // Pods that vanished while being read are left out of the cluster facts too, so the file stays self-consistent.
  const read = new Set(collected.map((c) => c.id));
  const st = { ...wanted, pods: wanted.pods.filter((p) => p.status !== 'Running' || !p.ip || p.hostNetwork || read.has(namespaceId('pod', p.name))) };
  const scopes: PeerScope[] = collected.map((c) => ({ id: c.id, kind: c.kind, name: c.name, node: c.node, links: c.parsedLinks }));
  const links = resolvePeers(scopes);
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    capturedAt,
    source: sourceOf(lab, st),
    cluster: clusterFacts(st),
    namespaces: collected.map((c) => finish(c, links.get(c.id) ?? [])),
  };
}
