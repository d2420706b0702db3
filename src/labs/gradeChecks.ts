/** Grading a step's checks: the one loop `podnet lab run` and the VS Code lab panel both use. */
import { type CheckContext, evaluateCheck } from './checks';
import { describeCheck } from './describe';
import type { LabCheck } from './types';

/** One graded check, with its place in the step. */
export interface GradedCheck {
  index: number;
  type: string;
  /** The check's title, or a description of it when the pack gave none. */
  title: string;
  passed: boolean;
  message: string;
}

/** Grades `checks` in order on the live lab; `beforeEach` may throw to stop (a cancelled run), `onResult` sees each as it is graded. */
export async function gradeChecks(
  checks: readonly LabCheck[], ctx: CheckContext, opts: { beforeEach?: () => void; onResult?: (r: GradedCheck) => void } = {},
): Promise<GradedCheck[]> {
  const results: GradedCheck[] = [];
  for (const [index, check] of checks.entries()) {
    opts.beforeEach?.();
    const outcome = await evaluateCheck(check, ctx);
    const graded: GradedCheck = { index, type: check.type, title: describeCheck(check), passed: outcome.passed, message: outcome.message };
    results.push(graded);
    opts.onResult?.(graded);
  }
  return results;
}
