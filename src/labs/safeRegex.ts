/** Regular expressions from untrusted packs: compiled with a length limit and run with a time limit, so a bad one cannot hang a run. */
import { runInNewContext } from 'node:vm';

/** Longest pattern a pack may use. */
export const MAX_PATTERN_LENGTH = 1000;
/** Longest output a pattern is matched against (the rest is cut off). */
export const MAX_SUBJECT_LENGTH = 256 * 1024;
const FLAGS = 'm';

/** The compiled pattern (multiline: ^ and $ match at every line), or why it does not compile. */
export function compileCheckRegex(pattern: string): RegExp | string {
  if (pattern.length > MAX_PATTERN_LENGTH) return `it is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`;
  try {
    return new RegExp(pattern, FLAGS);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/** The first match of `pattern` in `text` (undefined when none); throws when matching takes longer than `timeoutMs`. */
export function firstMatch(pattern: string, text: string, timeoutMs = 1000): string | undefined {
  const subject = text.slice(0, MAX_SUBJECT_LENGTH);
  try {
    // A separate context with a timeout is the only way to interrupt a backtracking regex in Node.
    const found = runInNewContext('(() => { const m = new RegExp(p, f).exec(s); return m ? m[0] : null; })()', { p: pattern, f: FLAGS, s: subject }, { timeout: timeoutMs }) as string | null;
    return found ?? undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error(`matching /${pattern}/ took longer than ${timeoutMs} ms, so it was stopped; simplify the pattern (nested repetition such as (a+)+ backtracks without end)`);
    throw e;
  }
}
