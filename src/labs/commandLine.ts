/** Turns an action's `run:` string into argv: words split on whitespace, simple quotes, and no shell features at all. */

/** The argv, or where and why the string cannot be split. */
export type SplitResult = { argv: string[] } | { problem: string; hint: string; offset: number };

// Outside quotes these would mean something to a shell; here they would silently become arguments.
const SHELL_OPERATORS: readonly string[] = ['|', ';', '&', '>', '<', '`', '$(', '${'];
const NO_SHELL_HINT = "actions run without a shell; to use one, ask for it explicitly: podnet exec POD -- sh -c '...'";

/**
 * Splits `text` like a very small shell that knows only words and quotes: '...' is literal, "..." is
 * literal except for \" and \\, a backslash outside quotes escapes the next character. There is no
 * expansion of any kind; an unquoted |, ;, &, <, >, `, $( or ${ is an error rather than a surprise.
 */
export function splitCommand(text: string): SplitResult {
  const argv: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (word !== undefined) argv.push(word);
      word = undefined;
      i++;
      continue;
    }
    const op = SHELL_OPERATORS.find((o) => text.startsWith(o, i));
    if (op) return { problem: `"${op}" outside quotes would be shell syntax, but this command runs without a shell`, hint: NO_SHELL_HINT, offset: i };
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { problem: 'a single quote is never closed', hint: "close it with ' or remove it", offset: i };
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      const read = readDoubleQuoted(text, i);
      if (read === undefined) return { problem: 'a double quote is never closed', hint: 'close it with " or remove it', offset: i };
      word = (word ?? '') + read.value;
      i = read.next;
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= text.length) return { problem: 'the command ends with a lone backslash', hint: 'remove it', offset: i };
      word = (word ?? '') + text[i + 1];
      i += 2;
      continue;
    }
    word = (word ?? '') + ch;
    i++;
  }
  if (word !== undefined) argv.push(word);
  return { argv };
}

function readDoubleQuoted(text: string, start: number): { value: string; next: number } | undefined {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return { value, next: i + 1 };
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i++;
    } else {
      value += ch;
    }
  }
  return undefined;
}
