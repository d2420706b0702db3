/**
 * Recognises rules PodNet does not evaluate: kube-proxy's iptables mode (as iptables-save text or as iptables-nft tables
 * with `xt` expressions) and other iptables-save text, and says so in one sentence instead of guessing.
 */
import type { SnapshotFilter } from '../snapshot/types';

/** One table that kube-proxy's iptables mode wrote (through iptables-nft), skipped by the evaluator. */
export interface IptablesTable {
  family: string;
  table: string;
  rules: number;
  chains: string[];
}

const KUBE_PROXY_CHAIN = /^KUBE-(SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|MARK-DROP|FORWARD|PROXY-FIREWALL|EXTERNAL-SERVICES|SVC-|SEP-|EXT-|FW-|XLB-)/;

/** True for a chain name of kube-proxy's iptables mode (KUBE-SERVICES, KUBE-SVC-..., KUBE-SEP-...). */
export const isKubeProxyIptablesChain = (name: string): boolean => KUBE_PROXY_CHAIN.test(name);

type Items = Record<string, Record<string, unknown>>[];

/** The tables of an nft JSON listing that hold kube-proxy iptables-mode chains, with their rule counts. */
export function kubeProxyIptablesTables(items: Items): IptablesTable[] {
  const tables = new Map<string, IptablesTable>();
  const tableOf = (family: string, table: string): IptablesTable => {
    const key = `${family} ${table}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { family, table, rules: 0, chains: [] }));
    return t;
  };
  for (const item of items) {
    const c = item.chain as { family?: string; table?: string; name?: string } | undefined;
    if (c?.family && c.table && c.name) tableOf(c.family, c.table).chains.push(c.name);
  }
  for (const item of items) {
    const r = item.rule as { family?: string; table?: string } | undefined;
    if (r?.family && r.table) tableOf(r.family, r.table).rules++;
  }
  return [...tables.values()].filter((t) => t.chains.some(isKubeProxyIptablesChain));
}

/** `KUBE-SERVICES, KUBE-NODEPORTS, 2 KUBE-SVC-* and 5 KUBE-SEP-* chains`: the chain names, per-Service ones counted. */
export function summariseChains(chains: readonly string[]): string {
  const kube = [...new Set(chains.filter(isKubeProxyIptablesChain))];
  // KUBE-SERVICES (where every Service starts) first, the other fixed chains by name
  const fixed = kube.filter((c) => !/^KUBE-(SVC|SEP|EXT|FW|XLB)-/.test(c)).sort((a, b) => Number(b === 'KUBE-SERVICES') - Number(a === 'KUBE-SERVICES') || a.localeCompare(b));
  const counted = ['SVC', 'SEP', 'EXT', 'FW', 'XLB']
    .map((p) => [p, kube.filter((c) => c.startsWith(`KUBE-${p}-`)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} KUBE-${p}-*`);
  return [...fixed, ...counted].join(', ');
}

function kubeSentence(rules: number, chains: readonly string[], where?: string): string {
  const prefix = where ? `${where}: ` : '';
  return `${prefix}${rules} kube-proxy iptables-mode rule${rules === 1 ? '' : 's'} (chains ${summariseChains(chains)}) were not evaluated: ` +
    "PodNet reads kube-proxy's nftables mode only; the trace stops trusting Service hops here";
}

/** The sentence for iptables-nft tables of kube-proxy's iptables mode found in an nft listing, or undefined. */
export function describeIptablesTables(tables: readonly IptablesTable[], where?: string): string | undefined {
  if (!tables.length) return undefined;
  const rules = tables.reduce((n, t) => n + t.rules, 0);
  return kubeSentence(rules, tables.flatMap((t) => t.chains), where);
}

function describeSave(text: string, where?: string): string | undefined {
  const tables = new Map<string, IptablesTable>();
  let current: IptablesTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      const name = line.slice(1).trim();
      current = tables.get(name) ?? { family: 'ip', table: name, rules: 0, chains: [] };
      tables.set(name, current);
    } else if (line.startsWith(':')) current?.chains.push(line.slice(1).split(/\s/)[0]);
    else if (line.startsWith('-A ') && current) current.rules++;
  }
  // like the nft listing: only the tables that hold kube-proxy's chains are counted as its rules
  const kube = [...tables.values()].filter((t) => t.chains.some(isKubeProxyIptablesChain));
  if (kube.length) return describeIptablesTables(kube, where);
  const used = [...tables.values()].filter((t) => t.rules > 0);
  const rules = used.reduce((n, t) => n + t.rules, 0);
  if (!rules) return undefined;
  const prefix = where ? `${where}: ` : '';
  return `${prefix}${rules} iptables rule${rules === 1 ? '' : 's'} (tables ${used.map((t) => t.table).join(', ')}) were not evaluated: ` +
    'nft is not installed in this namespace and PodNet evaluates nftables rulesets only';
}

/**
 * One sentence about rules the tracer leaves unevaluated in a namespace's filter section (kube-proxy's iptables mode,
 * or iptables-save text), prefixed with `where` (e.g. `node1`) when given; undefined when everything can be read.
 */
export function describeIptablesMode(filter: SnapshotFilter, where?: string): string | undefined {
  if (filter.tool === 'iptables') return describeSave(filter.iptablesSave ?? '', where);
  if (filter.tool !== 'nft' || !filter.nft) return undefined;
  return describeIptablesTables(kubeProxyIptablesTables(nftItems(filter)), where);
}

/** The objects of a filter section's nft listing (`[...]` or `{ nftables: [...] }`). */
export function nftItems(filter: SnapshotFilter): Items {
  const listed = Array.isArray(filter.nft) ? filter.nft : ((filter.nft as { nftables?: unknown[] } | undefined)?.nftables ?? []);
  return (listed as unknown[]).filter((x): x is Record<string, Record<string, unknown>> => !!x && typeof x === 'object');
}
