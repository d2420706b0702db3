/** Parsing of the values the Service and Pod commands take: labels (`k=v,k2=v2`, by the model's label rules), name lists and port numbers. */
import { labelKeyProblem, labelValueProblem } from '../model/labels';
import { UsageError } from './cliError';

/**
 * Parses `k=v[,k=v...]` given to `option` into labels (merged into `into` when given, for a repeatable option);
 * anything else is one UsageError naming the option.
 */
export function parseLabels(text: string, option: string, help?: string, into: Record<string, string> = {}): Record<string, string> {
  const labels = into;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new UsageError(`${option} "${text}": "${pair}" should look like KEY=VALUE (several joined by commas)`, help);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) throw new UsageError(`${option} "${text}": ${problem}`, help);
    if (Object.hasOwn(labels, key)) throw new UsageError(`${option} "${text}": key "${key}" is given twice; give each label once`, help);
    labels[key] = value;
  }
  return labels;
}

/** Parses `a,b,c` given to `option` into distinct non-empty names. */
export function parseNameList(text: string, option: string, help?: string): string[] {
  const names = text.split(',');
  if (names.some((n) => n === '')) throw new UsageError(`${option} "${text}" has an empty name: write names joined by commas, like pod-a,pod-c`, help);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`${option} "${text}" names ${twice} twice; name each Pod once`, help);
  return names;
}

/** Parses the whole number `text` given to `option`, from `min` to `max`. */
export function parsePortNumber(text: string, option: string, help?: string, min = 1, max = 65535): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${option} "${text}" must be a whole number from ${min} to ${max}`, help);
  return n;
}

/** `labels` as kubectl prints them: `k=v` sorted by key and joined by commas, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
