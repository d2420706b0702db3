/** Reads `nft -j list ruleset` into chains, rules and named sets/maps, leaving out (and describing) kube-proxy's iptables-mode tables. */
import type { SnapshotFilter } from '../snapshot/types';
import { describeIptablesMode, describeIptablesTables, kubeProxyIptablesTables, nftItems } from './iptablesMode';
import { type NftSet, readSet, setKey } from './nftSets';

export { renderRule } from './nftRender';

/** One nft rule with its raw expressions. */
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle?: number;
  /** The rule's own comment (`comment "default/web:http"`). */
  comment?: string;
  expr: Record<string, unknown>[];
}

/** One nft chain; base chains have a hook, a priority and a policy. */
export interface NftChain {
  family: string;
  table: string;
  name: string;
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
  rules: NftRule[];
}

/** All chains of one namespace's ruleset, by `family table chain`, with its named sets and what was left out. */
export class NftRuleset extends Map<string, NftChain> {
  /** Named sets and maps by `family table name`. */
  readonly sets = new Map<string, NftSet>();
  /** Sentences about rules that are deliberately not evaluated (kube-proxy's iptables mode, iptables-save text). */
  readonly notEvaluated: string[] = [];

  /** The named set or map `name` of a table. */
  namedSet(family: string, table: string, name: string): NftSet | undefined {
    return this.sets.get(setKey(family, table, name));
  }
}

/** Key of a chain in a {@link NftRuleset}. */
export const chainKey = (family: string, table: string, name: string): string => `${family} ${table} ${name}`;

const PRIORITY_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

interface RawChain { family: string; table: string; name: string; type?: string; hook?: string; prio?: number | string; policy?: string }

function readChain(c: RawChain): NftChain {
  const prio = typeof c.prio === 'string' ? (PRIORITY_NAMES[c.prio] ?? 0) : c.prio;
  return { family: c.family, table: c.table, name: c.name, type: c.type, hook: c.hook, prio, policy: c.policy, rules: [] };
}

const isStr = (v: unknown): v is string => typeof v === 'string';

// One reading per filter section: a snapshot is plain data that is not changed once collected, and every trace on it reads the same rules.
const cache = new WeakMap<SnapshotFilter, { nft: unknown; rules: NftRuleset }>();

/**
 * The chains and sets of a snapshot's filter section (empty when nft was not available; then `notEvaluated` says why if it
 * matters). Read once per section object and shared: callers must not change the result.
 */
export function readRuleset(filter: SnapshotFilter): NftRuleset {
  const hit = cache.get(filter);
  if (hit && hit.nft === filter.nft) return hit.rules;
  const rules = buildRuleset(filter);
  cache.set(filter, { nft: filter.nft, rules });
  return rules;
}

function buildRuleset(filter: SnapshotFilter): NftRuleset {
  const rules = new NftRuleset();
  if (filter.tool === 'iptables') {
    const why = describeIptablesMode(filter);
    if (why) rules.notEvaluated.push(why);
  }
  if (filter.tool !== 'nft' || !filter.nft) return rules;
  const items = nftItems(filter);
  const iptables = kubeProxyIptablesTables(items);
  const skipped = new Set(iptables.map((t) => `${t.family} ${t.table}`));
  const why = describeIptablesTables(iptables);
  if (why) rules.notEvaluated.push(why);
  const keep = (o: { family?: unknown; table?: unknown; name?: unknown; chain?: unknown }) =>
    isStr(o.family) && isStr(o.table) && !skipped.has(`${o.family} ${o.table}`);
  for (const item of items) {
    const c = item.chain as unknown as RawChain | undefined;
    if (c && keep(c) && isStr(c.name)) rules.set(chainKey(c.family, c.table, c.name), readChain(c));
    for (const kind of ['set', 'map'] as const) {
      const s = item[kind] ? readSet(kind, item[kind]) : undefined;
      if (s && keep(s)) rules.sets.set(setKey(s.family, s.table, s.name), s);
    }
  }
  for (const item of items) {
    const r = item.rule as (Omit<NftRule, 'expr'> & { expr?: unknown }) | undefined;
    if (!r || !keep(r) || !isStr(r.chain)) continue;
    const expr = Array.isArray(r.expr) ? (r.expr as Record<string, unknown>[]) : [];
    const rule: NftRule = { family: r.family, table: r.table, chain: r.chain, handle: r.handle, expr, ...(isStr(r.comment) ? { comment: r.comment } : {}) };
    rules.get(chainKey(r.family, r.table, r.chain))?.rules.push(rule);
  }
  return rules;
}

/** The base chains on `hook` for the given families, in the order the kernel runs them (by priority). */
export function baseChains(rules: NftRuleset, families: readonly string[], hook: string): NftChain[] {
  return [...rules.values()].filter((c) => c.hook === hook && families.includes(c.family)).sort((a, b) => (a.prio ?? 0) - (b.prio ?? 0));
}
