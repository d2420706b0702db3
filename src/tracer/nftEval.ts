/** Evaluates nftables chains for one packet at one hook: which rule matches, and the verdict, NAT, mark or load-balancing choice it applies. */
import { chooseBranch } from './nftBalance';
import { type ExprEnv, exprValue, valueMatches } from './nftExpr';
import { type NftChain, type NftRule, type NftRuleset, baseChains, chainKey } from './nftRules';
import { anonymousElements, lookupElement, type NftElement } from './nftSets';
import { type EvalState, type MarkStep, type NftBalance, row, unknownRule } from './nftState';
import type { FilterRuleRow, HeaderChange, PacketHeaders } from './types';

export type { MarkStep, NftBalance } from './nftState';

/** The packet and where it is, as a rule sees it. */
export interface NftContext {
  packet: PacketHeaders;
  iifname?: string;
  oifname?: string;
  /** The packet's mark on entry (kube-proxy's 0x4000 masquerade bit travels from prerouting/output to postrouting). */
  mark?: number;
  /** The namespace's own addresses, for `fib daddr|saddr type local` (127.0.0.0/8 is always local). */
  localAddresses?: string[];
  /** Follow the load-balancing branch whose DNAT address (or `address:port`) is this one, if there is one. */
  prefer?: string;
  /** Connection tracking state: `new` (default; a probe's first packet) or `established` (its reply). */
  ctState?: string;
  /** Connection tracking status flags already set in this namespace, e.g. `['dnat']` after a DNAT at prerouting. */
  ctStatus?: string[];
}

/** What a hook did to the packet. */
export interface HookResult {
  verdict: 'accept' | 'drop';
  /** Rules that decided something (a drop, a reject, an accept, a NAT), in order. */
  rows: FilterRuleRow[];
  packet: PacketHeaders;
  changes: HeaderChange[];
  /** Rules the evaluator could not read, described for the user. */
  unknown: string[];
  /** The packet's mark on leaving the hook. */
  mark: number;
  /** Rules that set the mark, in order. */
  marks: MarkStep[];
  /** The first load-balancing rule met (kube-proxy's numgen vmap), with every candidate. */
  balance?: NftBalance;
  /** The chain whose rule did the DNAT (kube-proxy's `endpoint-...` chain, whose name holds the Service key). */
  dnatChain?: string;
}

type ChainEnd = 'accept' | 'drop' | 'return' | 'end';
/** After one expression: go on with the rule, skip to the next rule, or leave the chain. */
type Step = 'continue' | 'next' | 'accept' | 'drop' | 'return';

const MAX_DEPTH = 16;
const NO_EFFECT = new Set(['counter', 'log', 'limit', 'notrack', 'quota', 'comment']);

function applyNat(rule: NftRule, kind: string, body: unknown, st: EvalState): Step {
  const t = (body ?? {}) as { addr?: unknown; port?: unknown };
  if ((t.addr !== undefined && typeof t.addr !== 'string') || (t.port !== undefined && typeof t.port !== 'number')) {
    unknownRule(rule, st, 'a NAT target PodNet cannot read; not applied');
    return 'next';
  }
  if (st.natDone) return 'accept';
  const p = st.env.packet;
  const changes: HeaderChange[] = [];
  const set = (field: HeaderChange['field'], to: string | number | undefined) => {
    if (to === undefined || p[field] === to) return;
    changes.push({ field, from: p[field], to });
    (p as unknown as Record<string, unknown>)[field] = to;
  };
  const addr = t.addr as string | undefined;
  const port = t.port as number | undefined;
  if (kind === 'dnat') {
    set('dstIP', addr);
    set('dstPort', port);
    st.dnat = { chain: rule.chain, addr: addr ?? p.dstIP, port: port ?? p.dstPort, ...(rule.comment ? { comment: rule.comment } : {}) };
  } else {
    set('srcIP', kind === 'snat' ? addr : st.masqueradeAddress);
    if (kind === 'snat') set('srcPort', port);
  }
  st.env.ctStatus.push(kind === 'dnat' ? 'dnat' : 'snat');
  st.natDone = true;
  st.changes.push(...changes);
  st.rows.push(row(rule, st, 'nat', changes));
  return 'accept';
}

function setMark(rule: NftRule, body: unknown, st: EvalState): Step {
  const m = body as { key?: Record<string, unknown>; value?: unknown };
  const key = (m.key?.meta as { key?: string } | undefined)?.key;
  if (key === 'nftrace') return 'continue'; // tracing switch: no effect on the path
  if (key !== 'mark') {
    unknownRule(rule, st, 'sets something PodNet does not follow; assumed to have no effect on the path');
    return 'continue';
  }
  const to = exprValue(m.value, st.env);
  if (typeof to !== 'number') {
    unknownRule(rule, st, 'a mark PodNet cannot compute; the mark is left unchanged');
    return 'next';
  }
  st.marks.push({ family: rule.family, table: rule.table, chain: rule.chain, handle: rule.handle, text: row(rule, st, 'accept').text, from: st.env.mark, to });
  st.env.mark = to;
  return 'continue';
}

function callChain(rule: NftRule, target: string, st: EvalState): ChainEnd {
  const chain = st.rules.get(chainKey(rule.family, rule.table, target));
  if (!chain) {
    unknownRule(rule, st, `chain ${target} is not in the ruleset; treated as empty`);
    return 'end';
  }
  if (st.depth >= MAX_DEPTH) {
    unknownRule(rule, st, `jumps nest deeper than ${MAX_DEPTH}; ${target} not evaluated`);
    return 'end';
  }
  st.depth++;
  try {
    return runChain(chain, st);
  } finally {
    st.depth--;
  }
}

function applyVerdict(rule: NftRule, verdict: unknown, st: EvalState): Step {
  const [key, body] = Object.entries((verdict ?? {}) as Record<string, unknown>)[0] ?? [];
  if (key === 'accept' || key === 'drop' || key === 'reject') {
    st.rows.push(row(rule, st, key));
    return key === 'accept' ? 'accept' : 'drop';
  }
  if (key === 'return') return 'return';
  if (key === 'continue') return 'next';
  if (key === 'jump' || key === 'goto') {
    const end = callChain(rule, (body as { target: string }).target, st);
    if (end === 'accept' || end === 'drop') return end;
    return key === 'goto' ? 'return' : 'continue';
  }
  unknownRule(rule, st, `verdict ${key ?? '?'} PodNet cannot follow; assumed to continue`);
  return 'next';
}

function mapElements(rule: NftRule, data: unknown, st: EvalState): readonly NftElement[] | undefined {
  if (typeof data === 'string' && data.startsWith('@')) {
    const set = st.rules.namedSet(rule.family, rule.table, data.slice(1));
    if (!set) unknownRule(rule, st, `map ${data} is not in the ruleset`);
    return set?.elements;
  }
  if (data && typeof data === 'object' && Array.isArray((data as { set?: unknown }).set)) return anonymousElements((data as { set: unknown[] }).set, true);
  unknownRule(rule, st, 'a verdict map PodNet cannot read');
  return undefined;
}

function verdictMap(rule: NftRule, body: unknown, st: EvalState): Step {
  const v = (body ?? {}) as { key?: Record<string, unknown>; data?: unknown };
  const elements = mapElements(rule, v.data, st);
  if (!elements) return 'next';
  if (v.key?.numgen) {
    const el = chooseBranch(rule, elements, st, callChain);
    return el ? applyVerdict(rule, el.value, st) : 'next';
  }
  const key = exprValue(v.key, st.env);
  if (key === undefined) return 'next';
  const el = key === null ? null : lookupElement(elements, key);
  if (el === null) {
    unknownRule(rule, st, 'a verdict map key PodNet cannot evaluate; assumed not to match');
    return 'next';
  }
  return el ? applyVerdict(rule, el.value, st) : 'next';
}

function match(rule: NftRule, body: unknown, st: EvalState): Step {
  const m = body as { op: string; left: unknown; right: unknown };
  const actual = exprValue(m.left, st.env);
  let right = m.right;
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = st.rules.namedSet(rule.family, rule.table, right.slice(1));
    right = set ? { set: set.elements.map((e) => e.key) } : undefined;
  }
  const eq = actual === undefined ? false : right === undefined ? null : valueMatches(actual, right);
  if (eq === null) {
    unknownRule(rule, st, 'assumed not to match');
    return 'next';
  }
  const ok = m.op === '==' || m.op === 'in' ? eq : m.op === '!=' ? !eq : null;
  if (ok === null) unknownRule(rule, st, `operator ${m.op} PodNet cannot evaluate; assumed not to match`);
  return ok ? 'continue' : 'next';
}

function step(rule: NftRule, e: Record<string, unknown>, st: EvalState): Step {
  const [key, body] = Object.entries(e)[0] ?? [];
  if (key === 'match') return match(rule, body, st);
  if (key === 'vmap') return verdictMap(rule, body, st);
  if (key === 'dnat' || key === 'snat' || key === 'masquerade') return applyNat(rule, key, body, st);
  if (key === 'mangle') return setMark(rule, body, st);
  if (key === 'accept' || key === 'drop' || key === 'reject' || key === 'return' || key === 'continue' || key === 'jump' || key === 'goto') {
    return applyVerdict(rule, { [key]: body }, st);
  }
  if (key === undefined || NO_EFFECT.has(key)) return 'continue';
  // `update @affinity-... { ip saddr }` remembers the client for session affinity: the snapshot's set elements already hold what it wrote
  if (key === 'set' && ['add', 'update'].includes((body as { op?: string } | null)?.op ?? '')) return 'continue';
  if (key === 'xt' && (body as { type?: string; name?: string } | null)?.name === 'comment' && (body as { type?: string }).type === 'match') return 'continue';
  unknownRule(rule, st, `${key === 'xt' ? 'an iptables extension' : `the ${key} statement`} PodNet cannot evaluate; rule skipped`);
  return 'next';
}

function safeStep(rule: NftRule, e: unknown, st: EvalState): Step {
  if (!e || typeof e !== 'object') {
    unknownRule(rule, st, 'an expression that is not an object; rule skipped');
    return 'next';
  }
  try {
    return step(rule, e as Record<string, unknown>, st);
  } catch (cause) {
    // a snapshot is untrusted input: a malformed rule is reported and skipped, the trace goes on
    unknownRule(rule, st, `could not be read (${(cause as Error).message}); rule skipped`);
    return 'next';
  }
}

function runChain(chain: NftChain, st: EvalState): ChainEnd {
  for (const rule of chain.rules) {
    for (const e of rule.expr) {
      const s = safeStep(rule, e, st);
      if (s === 'continue') continue;
      if (s !== 'next') return s;
      break;
    }
  }
  return 'end';
}

function initialState(rules: NftRuleset, hook: string, ctx: NftContext, packet: PacketHeaders, masqueradeAddress?: string): EvalState {
  const env: ExprEnv = {
    packet, iifname: ctx.iifname, oifname: ctx.oifname, mark: ctx.mark ?? 0, localAddresses: ctx.localAddresses,
    ctState: ctx.ctState ?? 'new', ctStatus: [...(ctx.ctStatus ?? [])],
  };
  return {
    rules, env, rows: [], changes: [], unknown: [...rules.notEvaluated], marks: [], natDone: false, masqueradeAddress, hook, depth: 0, prefer: ctx.prefer,
  };
}

function result(st: EvalState, verdict: HookResult['verdict']): HookResult {
  return {
    verdict, rows: st.rows, packet: st.env.packet, changes: st.changes, unknown: st.unknown, mark: st.env.mark, marks: st.marks,
    ...(st.balance ? { balance: st.balance } : {}), ...(st.dnat ? { dnatChain: st.dnat.chain } : {}),
  };
}

/** Runs every base chain of `families` on `hook` for the packet; `masqueradeAddress` is the out-interface address. */
export function evaluateHook(rules: NftRuleset, families: readonly string[], hook: string, ctx: NftContext, masqueradeAddress?: string): HookResult {
  const st = initialState(rules, hook, ctx, { ...ctx.packet }, masqueradeAddress);
  for (const chain of baseChains(rules, families, hook)) {
    // like the kernel, NAT chains see only a connection's first packet; later ones (a reply) are rewritten by conntrack
    if (chain.type === 'nat' && st.env.ctState !== 'new') continue;
    const before = st.changes.length;
    const outcome = runChain(chain, st);
    if (st.balance && st.balance.rule.changes === undefined && st.changes.length > before) st.balance.rule.changes = st.changes.slice(before);
    const final = outcome === 'end' || outcome === 'return' ? (chain.policy === 'drop' ? 'drop' : 'accept') : outcome;
    if (final === 'drop') {
      if (outcome !== 'drop') st.rows.push({ family: chain.family, table: chain.table, chain: chain.name, hook, text: `policy drop`, verdict: 'policy' });
      return result(st, 'drop');
    }
  }
  return result(st, 'accept');
}
