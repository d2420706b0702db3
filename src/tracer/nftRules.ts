/** Reads `nft -j list ruleset` into base chains and rules, and renders a rule back to nft-like text. */
import type { SnapshotFilter } from '../snapshot/types';

/** One nft rule with its raw expressions. */
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle?: number;
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

/** All chains of one namespace's ruleset, by `family table chain`. */
export type NftRuleset = Map<string, NftChain>;

/** Key of a chain in a {@link NftRuleset}. */
export const chainKey = (family: string, table: string, name: string): string => `${family} ${table} ${name}`;

const PRIORITY_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

/** Builds the chains of a snapshot's filter section (empty when nft was not available). */
export function readRuleset(filter: SnapshotFilter): NftRuleset {
  const chains: NftRuleset = new Map();
  if (filter.tool !== 'nft' || !filter.nft) return chains;
  const listed = Array.isArray(filter.nft) ? filter.nft : ((filter.nft as { nftables?: unknown[] }).nftables ?? []);
  const items = listed as Record<string, Record<string, unknown>>[];
  for (const item of items) {
    if (item.chain) {
      const c = item.chain as { family: string; table: string; name: string; type?: string; hook?: string; prio?: number | string; policy?: string };
      const prio = typeof c.prio === 'string' ? (PRIORITY_NAMES[c.prio] ?? 0) : c.prio;
      chains.set(
        chainKey(c.family, c.table, c.name),
        { family: c.family, table: c.table, name: c.name, type: c.type, hook: c.hook, prio, policy: c.policy, rules: [] },
      );
    }
  }
  for (const item of items) {
    if (item.rule) {
      const r = item.rule as unknown as NftRule;
      chains.get(chainKey(r.family, r.table, r.chain))?.rules.push({ family: r.family, table: r.table, chain: r.chain, handle: r.handle, expr: r.expr ?? [] });
    }
  }
  return chains;
}

/** The base chains on `hook` for the given families, in the order the kernel runs them (by priority). */
export function baseChains(rules: NftRuleset, families: readonly string[], hook: string): NftChain[] {
  return [...rules.values()].filter((c) => c.hook === hook && families.includes(c.family)).sort((a, b) => (a.prio ?? 0) - (b.prio ?? 0));
}

function renderValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return typeof v === 'string' && !/^[\w./:-]+$/.test(v) ? `"${v}"` : String(v);
  const o = v as Record<string, unknown>;
  if (o.prefix) {
    const p = o.prefix as { addr: string; len: number };
    return `${p.addr}/${p.len}`;
  }
  if (o.set) return `{ ${(o.set as unknown[]).map(renderValue).join(', ')} }`;
  if (o.range) return (o.range as unknown[]).map(renderValue).join('-');
  if (o.payload) {
    const p = o.payload as { protocol: string; field: string };
    return `${p.protocol} ${p.field}`;
  }
  if (o.meta) return (o.meta as { key: string }).key;
  if (o.ct) return `ct ${(o.ct as { key: string }).key}`;
  return JSON.stringify(v);
}

/** Approximately how `nft list ruleset` prints a rule, e.g. `ip saddr 172.17.0.0/16 oifname != "docker0" masquerade`. */
export function renderRule(rule: NftRule): string {
  const parts: string[] = [];
  for (const e of rule.expr) {
    const [key, body] = Object.entries(e)[0] ?? [];
    if (key === 'match') {
      const m = body as { op: string; left: unknown; right: unknown };
      const op = m.op === '==' || m.op === 'in' ? '' : ` ${m.op}`;
      parts.push(`${renderValue(m.left)}${op} ${renderValue(m.right)}`);
    } else if (key === 'dnat' || key === 'snat') {
      const t = (body ?? {}) as { addr?: unknown; port?: unknown };
      parts.push(`${key} to ${renderValue(t.addr)}${t.port !== undefined ? `:${renderValue(t.port)}` : ''}`);
    } else if (key === 'jump' || key === 'goto') {
      parts.push(`${key} ${(body as { target: string }).target}`);
    } else if (key === 'mangle') {
      const m = body as { key: unknown; value: unknown };
      parts.push(`${renderValue(m.key)} set ${renderValue(m.value)}`);
    } else if (key) {
      parts.push(key);
    }
  }
  return parts.join(' ');
}
