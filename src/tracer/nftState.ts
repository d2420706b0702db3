/** The evaluator's running state for one packet at one hook, shared by the chain walker and the load-balancing probe. */
import type { ExprEnv } from './nftExpr';
import { type NftRule, type NftRuleset, renderRule } from './nftRules';
import type { FilterRuleRow, HeaderChange } from './types';

/** The DNAT a chain applied: where to, and which rule did it. */
export interface DnatTarget {
  chain: string;
  addr?: string;
  port?: number;
  comment?: string;
}

/** A `meta mark set ...` the packet met: the rule and the mark before and after. */
export interface MarkStep {
  family: string;
  table: string;
  chain: string;
  handle?: number;
  text: string;
  from: number;
  to: number;
}

/** A `numgen ... vmap` load-balancing rule: every branch's DNAT target, and the branch followed. */
export interface NftBalance {
  rule: FilterRuleRow;
  chain: string;
  comment?: string;
  candidates: { chain: string; addr?: string; port?: number; comment?: string }[];
  /** Index into `candidates` of the branch the evaluation followed. */
  chosen: number;
}

/** Everything one evaluation changes or learns. */
export interface EvalState {
  rules: NftRuleset;
  env: ExprEnv;
  rows: FilterRuleRow[];
  changes: HeaderChange[];
  unknown: string[];
  marks: MarkStep[];
  natDone: boolean;
  masqueradeAddress?: string;
  hook: string;
  depth: number;
  prefer?: string;
  balance?: NftBalance;
  dnat?: DnatTarget;
}

/** A row for a rule that decided something. */
export function row(rule: NftRule, st: EvalState, verdict: FilterRuleRow['verdict'], changes?: HeaderChange[]): FilterRuleRow {
  return {
    family: rule.family, table: rule.table, chain: rule.chain, hook: st.hook, handle: rule.handle, text: renderRule(rule), verdict,
    ...(changes ? { changes } : {}),
  };
}

/** Records a rule PodNet could not evaluate. */
export function unknownRule(rule: NftRule, st: EvalState, what: string): void {
  st.unknown.push(`${rule.family} ${rule.table} ${rule.chain} handle ${rule.handle ?? '?'}: "${renderRule(rule)}" (${what})`);
}

/** A copy of the state for trying one branch without touching the real packet, mark or rows. */
export function probeState(st: EvalState): EvalState {
  return {
    ...st,
    env: { ...st.env, packet: { ...st.env.packet }, ctStatus: [...st.env.ctStatus] },
    rows: [], changes: [], unknown: [], marks: [], dnat: undefined, balance: st.balance ?? PROBING,
  };
}

// Set as `balance` while probing branches, so a nested numgen does not record itself as the first balance met.
const PROBING: NftBalance = { rule: { family: '', table: '', chain: '', hook: '', text: '', verdict: 'nat' }, chain: '', candidates: [], chosen: 0 };
