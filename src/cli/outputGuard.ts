/** Keeps a long command alive when its output goes away (`| head -1`, a full disk), so it can still tear down what it built. */

/** What happened to the output streams while a command ran. */
export interface OutputGuard {
  /** The first error writing stdout (EPIPE, ENOSPC, ...), if any. */
  readonly stdoutError: NodeJS.ErrnoException | undefined;
  /** Aborted once stdout fails: nobody reads any more, so long work may stop early (and clean up). */
  readonly signal: AbortSignal;
  /** The exit code to use: `code` while stdout worked, else 1 (after one sentence on stderr unless the reader just left). */
  exitCode(code: number): number;
  /** Removes the listeners. */
  release(): void;
}

/**
 * Catches write errors on stdout and stderr instead of letting them crash the process. Without this, Node
 * throws the stream's 'error' event (EPIPE, ENOSPC) as an uncaught exception in the middle of the command,
 * skipping its teardown. Later writes to the dead stream are dropped.
 */
export function guardOutput(): OutputGuard {
  // A command with a guard of its own runs inside main's: it shares main's, which alone says what went wrong.
  if (active) return nested(active);
  const aborter = new AbortController();
  let stdoutError: NodeJS.ErrnoException | undefined;
  const onStdout = (e: NodeJS.ErrnoException) => {
    stdoutError ??= e;
    aborter.abort(e);
  };
  // stderr failing leaves no channel to report anything on: the exit code still says whether the command succeeded.
  const onStderr = () => undefined;
  process.stdout.on('error', onStdout);
  process.stderr.on('error', onStderr);
  const guard: OutputGuard = {
    get stdoutError() {
      return stdoutError;
    },
    signal: aborter.signal,
    exitCode(code: number): number {
      if (!stdoutError) return code;
      // A reader that left (EPIPE) is normal in a pipeline: exit non-zero quietly, like other Unix tools.
      if (stdoutError.code !== 'EPIPE') process.stderr.write(`podnet: could not write the output (${stdoutError.code ?? stdoutError.message})\n`);
      return 1;
    },
    release() {
      process.stdout.off('error', onStdout);
      process.stderr.off('error', onStderr);
      if (active === guard) active = undefined;
    },
  };
  active = guard;
  return guard;
}

let active: OutputGuard | undefined;

/** The outer guard seen from a nested command: same error and signal; exit code 1 without a second message. */
function nested(outer: OutputGuard): OutputGuard {
  return {
    get stdoutError() {
      return outer.stdoutError;
    },
    signal: outer.signal,
    exitCode: (code) => (outer.stdoutError ? 1 : code),
    release: () => undefined,
  };
}
