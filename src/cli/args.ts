/** Argument parsing shared by every command: node's util.parseArgs with strict checking, plus `--` handling. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_LAB_NAME, isValidLabName } from '../providers/embedded/labPaths';
import { UsageError } from './cliError';

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  lab: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `argv` with the given options (plus the global ones); unknown options are a UsageError. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, help: string) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs' messages carry no prefix; strip only a Node-style "TypeError [ERR_X]: " one, never text of the user's own.
    throw new UsageError((e as Error).message.replace(/^\w*Error \[ERR_\w+\]: /, ''), help);
  }
}

/** Splits argv at the first `--`: options before, the command to run after. */
export function splitAtDoubleDash(argv: string[]): { before: string[]; after: string[] | undefined } {
  const i = argv.indexOf('--');
  return i < 0 ? { before: argv, after: undefined } : { before: argv.slice(0, i), after: argv.slice(i + 1) };
}

/** The lab name from --lab, PODNET_LAB or the default, validated. */
export function labName(value: string | undefined): string {
  const lab = value ?? process.env.PODNET_LAB ?? DEFAULT_LAB_NAME;
  if (!isValidLabName(lab)) throw new UsageError(`--lab "${lab}" is not a valid lab name (lowercase letters, digits and "-", at most 32)`);
  return lab;
}

/** Validates an `-o` output format against the allowed ones. */
export function outputFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`-o ${value} is not supported (use ${allowed.join(', ')})`);
  return value as T;
}
