/** Every check type and the one way to evaluate a check: never throws, never hangs, always a learner-facing sentence. */
import type { LabCheck, LabCheckType } from '../types';
import { actionOutput } from './actionOutput';
import type { CheckContext, CheckEvaluator, CheckOutcome } from './context';
import { ipChangedAfterRecreate } from './ipChangedAfterRecreate';
import { podExists } from './podExists';
import { podIpInCidr } from './podIpInCidr';
import { reachable } from './reachable';
import { receiverSawSender } from './receiverSawSender';
import { sharedNetns } from './sharedNetns';
import { trace } from './trace';
import { uniquePodIps } from './uniquePodIps';

/** The context a check gets and the verdict it gives. */
export type { CheckContext, CheckOutcome } from './context';

/** The evaluator of each check type. */
export const CHECK_EVALUATORS: { [T in LabCheckType]: CheckEvaluator<T> } = {
  podIpInCidr, uniquePodIps, sharedNetns, trace, receiverSawSender, ipChangedAfterRecreate, actionOutput, podExists, reachable,
};

/** Longest a check may take (a verified trace is the slowest: a snapshot, a probe and nft tracing). */
export const CHECK_TIMEOUT_MS = 90_000;

/** Evaluates `check` on the live lab; an error or a timeout is a failed check whose message says so. */
export async function evaluateCheck(check: LabCheck, ctx: CheckContext, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckOutcome> {
  const evaluate = CHECK_EVALUATORS[check.type] as CheckEvaluator<LabCheckType>;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ passed: false, message: `The check took longer than ${timeoutMs / 1000} s and was stopped; is the lab still running?` }), timeoutMs);
  });
  try {
    return await Promise.race([evaluate(check as never, ctx), timeout]);
  } catch (e) {
    return { passed: false, message: `The check could not look at the lab: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
