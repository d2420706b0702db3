/** Evaluates nftables chains for one packet at one hook: which rule matches, and the verdict or NAT it applies. */
import { kernelPrefixContains } from './kernelCidr';
import { type NftChain, type NftRule, type NftRuleset, baseChains, chainKey, renderRule } from './nftRules';
import type { FilterRuleRow, HeaderChange, PacketHeaders } from './types';

/** The packet and where it is, as a rule sees it. */
export interface NftContext {
  packet: PacketHeaders;
  iifname?: string;
  oifname?: string;
}

/** What a hook did to the packet. */
export interface HookResult {
  verdict: 'accept' | 'drop';
  /** Rules that decided something (a drop, an accept, a NAT), in order. */
  rows: FilterRuleRow[];
  packet: PacketHeaders;
  changes: HeaderChange[];
  /** Rules the evaluator could not read, described for the user. */
  unknown: string[];
}

type Outcome = 'continue' | 'accept' | 'drop' | 'return';

const PROTO_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp' };

function fieldValue(left: Record<string, unknown>, ctx: NftContext): string | number | undefined | null {
  const p = ctx.packet;
  if (left.payload) {
    const { protocol, field } = left.payload as { protocol: string; field: string };
    if (protocol === 'ip' && field === 'saddr') return p.srcIP;
    if (protocol === 'ip' && field === 'daddr') return p.dstIP;
    if (protocol === 'ip' && field === 'protocol') return p.proto;
    if (protocol === 'ip' && field === 'ttl') return p.ttl;
    if (protocol === 'tcp' || protocol === 'udp' || protocol === 'th') {
      if (protocol !== 'th' && protocol !== p.proto) return undefined; // the rule needs another protocol: no match
      if (field === 'dport') return p.dstPort;
      if (field === 'sport') return p.srcPort;
    }
    if (protocol === 'icmp' && field === 'type') return p.proto === 'icmp' ? 'echo-request' : undefined;
    return null;
  }
  if (left.meta) {
    const key = (left.meta as { key: string }).key;
    if (key === 'iifname' || key === 'iif') return ctx.iifname ?? '';
    if (key === 'oifname' || key === 'oif') return ctx.oifname ?? '';
    if (key === 'l4proto' || key === 'protocol') return key === 'l4proto' ? p.proto : 'ip';
    if (key === 'nfproto') return 'ipv4';
    return null;
  }
  if (left.ct) {
    const key = (left.ct as { key: string }).key;
    if (key === 'state') return 'new'; // a traced probe opens a new connection
    return null;
  }
  return null;
}

function valueMatches(actual: string | number, right: unknown): boolean | null {
  if (right && typeof right === 'object') {
    const r = right as Record<string, unknown>;
    if (r.prefix) {
      const { addr, len } = r.prefix as { addr: string; len: number };
      return typeof actual === 'string' && kernelPrefixContains(`${addr}/${len}`, actual);
    }
    if (r.set) return (r.set as unknown[]).some((v) => valueMatches(actual, v) === true);
    if (r.range) {
      const [lo, hi] = r.range as number[];
      return typeof actual === 'number' && actual >= lo && actual <= hi;
    }
    return null;
  }
  if (Array.isArray(right)) return right.some((v) => valueMatches(actual, v) === true);
  if (typeof actual === 'string' && typeof right === 'string' && right.includes('/') && /^\d/.test(right)) return kernelPrefixContains(right, actual);
  if (typeof right === 'string' && PROTO_NUMBERS[right]) return actual === PROTO_NUMBERS[right];
  // interface names may use a trailing * wildcard
  if (typeof actual === 'string' && typeof right === 'string' && right.endsWith('*')) return actual.startsWith(right.slice(0, -1));
  return String(actual) === String(right);
}

function matches(m: { op: string; left: Record<string, unknown>; right: unknown }, ctx: NftContext): boolean | null {
  const actual = fieldValue(m.left, ctx);
  if (actual === null) return null;
  if (actual === undefined) return m.op === '!=' ? true : false;
  const eq = valueMatches(actual, m.right);
  if (eq === null) return null;
  switch (m.op) {
    case '==':
    case 'in':
      return eq;
    case '!=':
      return !eq;
    default:
      return null;
  }
}

function natTarget(body: unknown): { addr?: string; port?: number } {
  const t = (body ?? {}) as { addr?: unknown; port?: unknown };
  return { addr: typeof t.addr === 'string' ? t.addr : undefined, port: typeof t.port === 'number' ? t.port : undefined };
}

interface EvalState {
  ctx: NftContext;
  rows: FilterRuleRow[];
  changes: HeaderChange[];
  unknown: string[];
  natDone: boolean;
  masqueradeAddress?: string;
  hook: string;
  depth: number;
}

function row(rule: NftRule, st: EvalState, verdict: FilterRuleRow['verdict'], changes?: HeaderChange[]): FilterRuleRow {
  return {
    family: rule.family, table: rule.table, chain: rule.chain, hook: st.hook, handle: rule.handle, text: renderRule(rule), verdict,
    ...(changes ? { changes } : {}),
  };
}

function applyNat(rule: NftRule, kind: string, body: unknown, st: EvalState): void {
  if (st.natDone) return;
  const p = st.ctx.packet;
  const changes: HeaderChange[] = [];
  const set = (field: HeaderChange['field'], to: string | number | undefined) => {
    if (to === undefined || p[field] === to) return;
    changes.push({ field, from: p[field], to });
    (p as unknown as Record<string, unknown>)[field] = to;
  };
  if (kind === 'dnat') {
    const t = natTarget(body);
    set('dstIP', t.addr);
    set('dstPort', t.port);
  } else if (kind === 'snat') {
    const t = natTarget(body);
    set('srcIP', t.addr);
    set('srcPort', t.port);
  } else {
    set('srcIP', st.masqueradeAddress);
  }
  st.natDone = true;
  st.changes.push(...changes);
  st.rows.push(row(rule, st, 'nat', changes));
}

function runChain(chain: NftChain, rules: NftRuleset, st: EvalState): Outcome {
  if (st.depth > 16) return 'continue';
  for (const rule of chain.rules) {
    let matched = true;
    let outcome: Outcome = 'continue';
    for (const e of rule.expr) {
      const [key, body] = Object.entries(e)[0] ?? [];
      if (key === 'match') {
        const m = matches(body as { op: string; left: Record<string, unknown>; right: unknown }, st.ctx);
        if (m === null) {
          st.unknown.push(`${rule.family} ${rule.table} ${rule.chain} handle ${rule.handle}: "${renderRule(rule)}" (assumed not to match)`);
          matched = false;
        } else if (!m) matched = false;
        if (!matched) break;
      } else if (key === 'accept' || key === 'drop' || key === 'reject') {
        st.rows.push(row(rule, st, key === 'accept' ? 'accept' : key));
        outcome = key === 'accept' ? 'accept' : 'drop';
        break;
      } else if (key === 'dnat' || key === 'snat' || key === 'masquerade') {
        applyNat(rule, key, body, st);
        outcome = 'accept';
        break;
      } else if (key === 'jump' || key === 'goto') {
        const target = rules.get(chainKey(rule.family, rule.table, (body as { target: string }).target));
        if (target) {
          st.depth++;
          const sub = runChain(target, rules, st);
          st.depth--;
          if (sub === 'accept' || sub === 'drop') {
            outcome = sub;
            break;
          }
          if (key === 'goto') {
            outcome = 'return';
            break;
          }
        }
      } else if (key === 'return') {
        outcome = 'return';
        break;
      }
      // counter, log, limit, mangle (nftrace), notrack: no effect on the path
    }
    if (matched && outcome !== 'continue') return outcome;
  }
  return 'continue';
}

/** Runs every base chain of `families` on `hook` for the packet; `masqueradeAddress` is the out-interface address. */
export function evaluateHook(rules: NftRuleset, families: readonly string[], hook: string, ctx: NftContext, masqueradeAddress?: string): HookResult {
  const packet = { ...ctx.packet };
  const st: EvalState = { ctx: { ...ctx, packet }, rows: [], changes: [], unknown: [], natDone: false, masqueradeAddress, hook, depth: 0 };
  for (const chain of baseChains(rules, families, hook)) {
    const outcome = runChain(chain, rules, st);
    const final = outcome === 'continue' || outcome === 'return' ? (chain.policy === 'drop' ? 'drop' : 'accept') : outcome;
    if (final === 'drop') {
      if (outcome !== 'drop') st.rows.push({ family: chain.family, table: chain.table, chain: chain.name, hook, text: `policy drop`, verdict: 'policy' });
      return { verdict: 'drop', rows: st.rows, packet, changes: st.changes, unknown: st.unknown };
    }
  }
  return { verdict: 'accept', rows: st.rows, packet, changes: st.changes, unknown: st.unknown };
}
