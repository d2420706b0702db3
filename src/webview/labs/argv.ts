/** Shows an action's argv the way a `run:` line is written, so what the learner reads is exactly what runs. */

// Characters that splitCommand (src/labs/commandLine.ts) would treat as quoting or shell syntax outside quotes.
const SPECIAL = /[\s'"\\|;&<>`$]/;

/** One word as it would be typed: bare when safe, else single-quoted, else double-quoted with \" and \\ escaped. */
export function quoteWord(word: string): string {
  if (word !== '' && !SPECIAL.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  return `"${word.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The argv joined with spaces, each word quoted when it needs to be (splitCommand reads it back unchanged). */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}
