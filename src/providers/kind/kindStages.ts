/** Reads kind's own progress lines (" • Preparing nodes ...", " ✓ Preparing nodes", " ✗ ...") so callers can show its stages. */

/** One stage line: a stage that started, finished or failed. */
export interface KindStage {
  stage: string;
  state: 'started' | 'done' | 'failed';
}

// kind prints " • STAGE  ..." when a stage starts (without a terminal), " ✓ STAGE" when it ends, " ✗ STAGE" when it fails;
// STAGE may end with emoji. ANSI colours appear when kind thinks it writes to a terminal.
// eslint-disable-next-line no-control-regex -- ESC starts the colour codes this removes
const ANSI = /\x1b\[[0-9;]*m/g;
const LINE = /^\s*([•✓✗])\s+(.*?)\s*(?:\.\.\.)?\s*$/u;

/** Strips the trailing emoji and spaces kind decorates stage names with. */
function stageName(text: string): string {
  // eslint-disable-next-line no-misleading-character-class -- the variation selector and skin tones are stripped one by one on purpose
  return text.replace(/[\s\p{Extended_Pictographic}\u{FE0F}\u{1F3FB}-\u{1F3FF}]+$/u, '').trim();
}

/** The stage a line of kind's output reports, or undefined for any other line. */
export function parseKindStage(line: string): KindStage | undefined {
  const m = LINE.exec(line.replace(ANSI, '').replace(/\r/g, ''));
  if (!m) return undefined;
  const stage = stageName(m[2]);
  if (!stage) return undefined;
  return { stage, state: m[1] === '•' ? 'started' : m[1] === '✓' ? 'done' : 'failed' };
}
