/** The exit code of `podnet trace`, from the verdict: what the probe saw when it was sent, the prediction otherwise. */
import type { TraceResult } from './types';
import { outcomeFailed } from './verify/outcome';

/** Exit codes of a trace (the CLI's help lists them). */
export const TRACE_EXIT = { ok: 0, notDelivered: 4, differs: 5 } as const;

/** 0 delivered and answered (or, unverified, predicted to go there and back), 4 not delivered or not answered, 5 observation differs. */
export function traceExitCode(r: TraceResult): number {
  const v = r.verification;
  if (v && !v.matches) return TRACE_EXIT.differs;
  if (r.disposition !== 'DELIVERED') return TRACE_EXIT.notDelivered;
  if (v) return outcomeFailed(v.outcome.kind) ? TRACE_EXIT.notDelivered : TRACE_EXIT.ok;
  const back = r.returnPath;
  return back && !back.notPredicted && back.disposition !== 'DELIVERED' ? TRACE_EXIT.notDelivered : TRACE_EXIT.ok;
}
