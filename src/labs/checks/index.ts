/** Every check type and the one way to evaluate a check: never throws, never hangs, always a learner-facing sentence. */
import { CHECK_PLACEHOLDER_FIELDS, fillCheck, hasPlaceholder } from '../placeholders';
import type { LabCheck, LabCheckType } from '../types';
import { actionOutput } from './actionOutput';
import type { CheckContext, CheckEvaluator, CheckOutcome } from './context';
import { ipChangedAfterRecreate } from './ipChangedAfterRecreate';
import { podExists } from './podExists';
import { podIpInCidr } from './podIpInCidr';
import { httpAnswer } from './httpAnswer';
import { reachable } from './reachable';
import { receiverSawSender } from './receiverSawSender';
import { serviceEndpoints } from './serviceEndpoints';
import { serviceIpStable } from './serviceIpStable';
import { sharedNetns } from './sharedNetns';
import { trace } from './trace';
import { uniquePodIps } from './uniquePodIps';

/** The context a check gets and the verdict it gives. */
export type { CheckContext, CheckOutcome } from './context';

/** The evaluator of each check type. */
export const CHECK_EVALUATORS: { [T in LabCheckType]: CheckEvaluator<T> } = {
  podIpInCidr, uniquePodIps, sharedNetns, trace, receiverSawSender, ipChangedAfterRecreate, actionOutput, podExists, reachable,
  serviceEndpoints, serviceIpStable, httpAnswer,
};

/** Longest a check may take (a verified trace is the slowest: a snapshot, a probe and nft tracing). */
export const CHECK_TIMEOUT_MS = 90_000;

/** The check with its placeholders filled from the live lab (asked only when the check has one). */
async function filled(check: LabCheck, ctx: CheckContext): Promise<LabCheck> {
  const fields = check as unknown as Record<string, unknown>;
  if (!CHECK_PLACEHOLDER_FIELDS.some(({ key }) => typeof fields[key] === 'string' && hasPlaceholder(fields[key] as string))) return check;
  return fillCheck(check, await ctx.lab.status());
}

/** Evaluates `check` on the live lab; an error or a timeout is a failed check whose message says so. */
export async function evaluateCheck(check: LabCheck, ctx: CheckContext, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckOutcome> {
  const evaluate = CHECK_EVALUATORS[check.type] as CheckEvaluator<LabCheckType>;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ passed: false, message: `The check took longer than ${timeoutMs / 1000} s and was stopped; is the lab still running?` }), timeoutMs);
  });
  try {
    return await Promise.race([filled(check, ctx).then((c) => evaluate(c as never, ctx)), timeout]);
  } catch (e) {
    return { passed: false, message: `The check could not look at the lab: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
