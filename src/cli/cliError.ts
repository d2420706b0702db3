/** Errors the CLI shows as one line with an exit code, instead of a stack trace. */

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string, readonly help?: string) {
    super(message);
    this.name = 'UsageError';
  }
}
