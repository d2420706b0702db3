/** How the CLI reports a failed command: one line on stderr, or one JSON object on stderr with --json / -o json. */
import { SpecError } from '../model/topology';
import { LabError } from '../providers/embedded/control/labError';
import { PreflightError } from '../providers/embedded/preflight';
import { KubeAccessError } from '../providers/kube/kubeAccessError';
import { RunError, ToolMissingError } from '../util/exec';
import { UsageError } from './cliError';
import { printable } from './table';

/** How a command wants its output: plain text, or JSON (errors too). */
export type OutputMode = 'text' | 'json';

/** What went wrong, in the form `--json` prints it: `{ "error": ErrorReport }` (see README, "Errors as JSON"). */
export interface ErrorReport {
  /** The one-line message the text form prints after "podnet: ". */
  message: string;
  /** A stable machine-readable code: USAGE, INVALID_TOPOLOGY, PREFLIGHT, TOOL_MISSING, COMMAND_FAILED, UNEXPECTED, or a lab/cluster code. */
  code: string;
  /** The process exit code (the same with or without --json). */
  exitCode: number;
  /** Where in a file, for a topology error. */
  location?: { file?: string; line?: number; column?: number; field?: string };
  /** The field of a lab request that was refused. */
  field?: string;
  /** What is missing on this machine, each with its fix. */
  problems?: { message: string; fix: string }[];
  /** The command that failed (argv). */
  command?: readonly string[];
}

/** Classifies any error into the report both output modes print. */
export function describeError(e: unknown): ErrorReport {
  if (e instanceof UsageError) return { message: e.message, code: 'USAGE', exitCode: 2 };
  if (e instanceof SpecError) return { message: `invalid topology: ${e.format()}`, code: 'INVALID_TOPOLOGY', exitCode: 1, location: { ...e.location } };
  if (e instanceof LabError) {
    return { message: `${e.field ? `${e.field}: ` : ''}${e.message}`, code: e.code, exitCode: 1, ...(e.field ? { field: e.field } : {}) };
  }
  if (e instanceof PreflightError) {
    const list = e.problems.map((p) => `  - ${p.message}\n    fix: ${p.fix}`).join('\n');
    return { message: `this machine cannot run the embedded lab yet:\n${list}`, code: 'PREFLIGHT', exitCode: 1, problems: e.problems.map(({ message, fix }) => ({ message, fix })) };
  }
  if (e instanceof ToolMissingError) return { message: e.message, code: 'TOOL_MISSING', exitCode: 1 };
  if (e instanceof RunError) return { message: e.message, code: 'COMMAND_FAILED', exitCode: 1, command: e.argv };
  // A cluster's error text may quote what its API server said: keep escape sequences off the terminal.
  if (e instanceof KubeAccessError) return { message: printable(e.message), code: e.code, exitCode: 1 };
  const text = e instanceof Error ? e.message : String(e);
  return { message: `unexpected error: ${text} (set PODNET_DEBUG=1 for details)`, code: 'UNEXPECTED', exitCode: 1 };
}

/** Prints `e` on stderr in the given mode and returns its exit code; stack traces only with PODNET_DEBUG=1. */
export function reportError(e: unknown, mode: OutputMode = 'text'): number {
  if (process.env.PODNET_DEBUG) console.error(e);
  const report = describeError(e);
  if (mode === 'json') {
    console.error(JSON.stringify({ error: report }));
  } else {
    const help = e instanceof UsageError && e.help ? `\n\n${e.help}` : '';
    console.error(`podnet: ${report.message}${help}`);
  }
  return report.exitCode;
}

/** Commands whose -o / --output names a file, not a format. */
const OUTPUT_IS_A_FILE = new Set(['snapshot']);

/** The output mode `argv` asks for (`--json`, `-o json`, `-ojson`, `-o=json`, `--output[=]json`), looking only before `--`. */
export function outputModeOf(command: string | undefined, argv: readonly string[]): OutputMode {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  const formatFlag = !OUTPUT_IS_A_FILE.has(command ?? '');
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') return 'json';
    if (!formatFlag) continue;
    if ((a === '-o' || a === '--output') && args[i + 1] === 'json') return 'json';
    if (a === '-ojson' || a === '-o=json' || a === '--output=json') return 'json';
  }
  return 'text';
}
