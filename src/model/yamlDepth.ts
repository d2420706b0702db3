/** Finds YAML nested deeper than any topology or lab pack needs, before the (recursive) YAML parser overflows its stack on it. */

/** Deepest nesting a topology or lab.yaml may use; real files need fewer than 10 levels. */
export const MAX_YAML_NESTING = 64;

/** Where a YAML text first goes deeper than `limit` levels (1-based line and column), or undefined. */
export interface TooDeep {
  line: number;
  column: number;
}

/** Skips a quoted scalar starting at `i` (the quote); returns the index after its closing quote. */
function skipQuoted(line: string, i: number): number {
  const q = line[i];
  for (let j = i + 1; j < line.length; j++) {
    if (q === '"' && line[j] === '\\') j++;
    else if (line[j] === q) {
      if (q === "'" && line[j + 1] === "'") j++; // '' is an escaped quote
      else return j + 1;
    }
  }
  return line.length;
}

/**
 * Counts nesting without parsing: block levels from indentation and `- ` markers (a stack of indents),
 * plus flow levels from `[` and `{` outside quotes and comments. It may overcount a little (it does not
 * know block scalars), never undercount, so only absurd depths are reported.
 */
export function findTooDeep(text: string, limit = MAX_YAML_NESTING): TooDeep | undefined {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let i = 0;
    while (line[i] === ' ') i++;
    if (i === line.length || line[i] === '#') continue;
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1] >= i) indents.pop();
      indents.push(i);
      while (line[i] === '-' && line[i + 1] === ' ') {
        i += 2;
        while (line[i] === ' ') i++;
        indents.push(i);
      }
    }
    for (; i < line.length; i++) {
      const c = line[i];
      if (c === '"' || c === "'") i = skipQuoted(line, i) - 1;
      else if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
      else if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (indents.length + flow > limit) return { line: n + 1, column: i + 1 };
    }
    if (indents.length + flow > limit) return { line: n + 1, column: i + 1 };
  }
  return undefined;
}
