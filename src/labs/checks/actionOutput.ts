/** `actionOutput`: the output of an action the learner ran matches a regular expression. */
import { firstMatch } from '../safeRegex';
import type { CheckEvaluator } from './context';

/** Matches the recorded output of the action (stdout unless `stream: stderr`) with a time-limited regex. */
export const actionOutput: CheckEvaluator<'actionOutput'> = async (check, { state }) => {
  const out = state.outputs.get(check.action);
  const name = out?.title ? `"${out.title}"` : `'${check.action}'`;
  if (!out) return { passed: false, message: `The action '${check.action}' has not run yet: run it first, then check again.` };
  const stream = check.stream ?? 'stdout';
  const found = firstMatch(check.matches, out[stream]);
  if (found !== undefined) return { passed: true, message: `The output of ${name} shows "${found.trim().slice(0, 200)}".` };
  const exit = out.timedOut ? ' (it was stopped because it took too long)' : out.code !== 0 ? ` (it exited with code ${out.code}${out.stderr.trim() ? `: ${out.stderr.trim().split('\n')[0].slice(0, 200)}` : ''})` : '';
  return { passed: false, message: `The ${stream === 'stdout' ? 'output' : 'error output'} of ${name} has nothing matching /${check.matches}/${exit}; look at it again, or run it again.` };
};
