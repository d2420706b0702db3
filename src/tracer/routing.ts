/** Policy routing as the kernel does it: rules by priority, then the longest matching prefix in the rule's table. */
import { kernelCidr, kernelPrefixContains } from './kernelCidr';
import type { NamespaceSnapshot, SnapshotRoute, SnapshotRule } from '../snapshot/types';

/** The outcome of a route lookup. */
export type RouteLookup =
  | { ok: true; route: SnapshotRoute; rule?: SnapshotRule; local: boolean }
  | { ok: false; route?: SnapshotRoute; rule?: SnapshotRule; why: string };

/** The kernel's default rules, used when a snapshot holds none. */
const DEFAULT_RULES: SnapshotRule[] = [
  { priority: 0, table: 'local' },
  { priority: 32766, table: 'main' },
  { priority: 32767, table: 'default' },
];

const TABLE_ALIASES: Record<string, string> = { '255': 'local', '254': 'main', '253': 'default', unspec: 'main' };

/** Canonical table name: main, local, default or the number/name as given. */
export function tableName(table: string | undefined): string {
  if (!table) return 'main';
  return TABLE_ALIASES[table] ?? table;
}

function prefixOf(dst: string): number {
  return kernelCidr(dst).prefix;
}

function ruleMatches(rule: SnapshotRule, dst: string, src: string | undefined, iif: string | undefined): boolean {
  // Kernel output, not user input: `from 10.244.1.5/24` (host bits set) is how the kernel prints such a rule.
  if (rule.src && rule.src !== 'all' && !(src && kernelPrefixContains(rule.src, src))) return false;
  if (rule.dst && rule.dst !== 'all' && !kernelPrefixContains(rule.dst, dst)) return false;
  if (rule.iif && rule.iif !== iif && !(rule.iif === 'lo' && iif === undefined)) return false;
  if (rule.fwmark) return false; // packets the tracer follows carry no mark
  return true;
}

/** The best route for `dst` in one table, or undefined. */
export function lookupTable(ns: NamespaceSnapshot, table: string, dst: string): SnapshotRoute | undefined {
  let best: SnapshotRoute | undefined;
  for (const r of ns.routes) {
    if (tableName(r.table) !== table) continue;
    if (r.type === 'broadcast' || r.type === 'multicast' || r.type === 'anycast') continue;
    if (!kernelPrefixContains(r.dst, dst)) continue;
    if (!best || prefixOf(r.dst) > prefixOf(best.dst) || (prefixOf(r.dst) === prefixOf(best.dst) && (r.metric ?? 0) < (best.metric ?? 0))) best = r;
  }
  return best;
}

/** Looks `dst` up as the kernel would for a packet from `src` arriving on `iif` (undefined: generated locally). */
export function routeLookup(ns: NamespaceSnapshot, dst: string, src: string | undefined, iif: string | undefined): RouteLookup {
  const rules = (ns.rules.length ? ns.rules : DEFAULT_RULES).slice().sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    if (!ruleMatches(rule, dst, src, iif)) continue;
    if (rule.action && rule.action !== 'lookup' && rule.action !== 'to_tbl') {
      return { ok: false, rule, why: `rule ${rule.priority} says ${rule.action}` };
    }
    const route = lookupTable(ns, tableName(rule.table), dst);
    if (!route) continue;
    const type = route.type ?? 'unicast';
    if (type === 'unreachable' || type === 'blackhole' || type === 'prohibit' || type === 'throw') {
      if (type === 'throw') continue;
      return { ok: false, route, rule, why: `the route ${route.dst} is a ${type} route` };
    }
    return { ok: true, route, rule, local: type === 'local' };
  }
  return { ok: false, why: `no route matches ${dst}` };
}
