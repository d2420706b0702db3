/** kube-proxy's load balancing (`numgen random mod N vmap { 0 : goto endpoint-A, ... }`): learns every branch's DNAT target and picks one. */
import type { NftElement } from './nftSets';
import { type EvalState, type NftBalance, probeState, row } from './nftState';
import type { NftRule } from './nftRules';

/** Runs chain `target` of the rule's table on `st`; answers how the chain ended. */
export type ChainRunner = (rule: NftRule, target: string, st: EvalState) => 'accept' | 'drop' | 'return' | 'end';

const targetOf = (verdict: unknown): string | undefined => {
  const v = (verdict ?? {}) as { goto?: { target?: unknown }; jump?: { target?: unknown } };
  const t = (v.goto ?? v.jump)?.target;
  return typeof t === 'string' ? t : undefined;
};

const preferred = (c: { addr?: string; port?: number }, prefer: string): boolean =>
  c.addr === prefer || (c.addr !== undefined && `${c.addr}:${c.port}` === prefer);

/**
 * Tries every branch of a numgen verdict map on a copy of the state to learn its DNAT target, and answers the element
 * to follow: the one whose target address is `st.prefer`, else the first. Records the first balance met in `st.balance`.
 */
export function chooseBranch(rule: NftRule, elements: readonly NftElement[], st: EvalState, runChain: ChainRunner): NftElement | undefined {
  if (!elements.length) return undefined;
  const candidates: NftBalance['candidates'] = elements.map((el) => {
    const chain = targetOf(el.value) ?? '';
    if (!chain) return { chain };
    const probe = probeState(st);
    probe.depth++;
    runChain(rule, chain, probe);
    const d = probe.dnat;
    return { chain, ...(d?.addr ? { addr: d.addr } : {}), ...(d?.port !== undefined ? { port: d.port } : {}), ...(d?.comment ? { comment: d.comment } : {}) };
  });
  const found = st.prefer === undefined ? -1 : candidates.findIndex((c) => preferred(c, st.prefer as string));
  const chosen = Math.max(found, 0);
  if (!st.balance) {
    st.balance = { rule: row(rule, st, 'nat'), chain: rule.chain, ...(rule.comment ? { comment: rule.comment } : {}), candidates, chosen };
  }
  return elements[chosen];
}
