/** Finds where a JSON text stops being valid, as line and column, because V8's JSON.parse does not always say. */

/** Where a JSON text is invalid and what was found there. */
export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  column: number;
  /** `unexpected "}"` or `unexpected end of input`. */
  message: string;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** A recursive-descent reader of RFC 8259 JSON that only finds where the text stops being valid. */
class JsonScanner {
  i = 0;
  constructor(private readonly text: string) {}

  fail(): never {
    throw new SyntaxAt(this.i);
  }

  ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
  }

  string(): void {
    const text = this.text;
    this.i++; // opening quote
    while (this.i < text.length) {
      const ch = text[this.i];
      if (ch === '"') return void this.i++;
      if (ch === '\\') {
        const next = text[this.i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) this.i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) this.i += 6;
        else return void (this.i++, this.fail());
        continue;
      }
      if (ch < ' ') this.fail();
      this.i++;
    }
    this.fail();
  }

  container(close: string, member: () => void): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === close) return void this.i++;
    for (;;) {
      member();
      this.ws();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] === close) return void this.i++;
      else this.fail();
    }
  }

  member = (): void => {
    this.ws();
    if (this.text[this.i] !== '"') this.fail();
    this.string();
    this.ws();
    if (this.text[this.i] !== ':') this.fail();
    this.i++;
    this.value();
  };

  value = (): void => {
    this.ws();
    const c = this.text[this.i];
    if (c === '{') return this.container('}', this.member);
    if (c === '[') return this.container(']', this.value);
    if (c === '"') return this.string();
    NUMBER.lastIndex = this.i;
    if (NUMBER.test(this.text)) return void (this.i = NUMBER.lastIndex);
    for (const lit of ['true', 'false', 'null']) if (this.text.startsWith(lit, this.i)) return void (this.i += lit.length);
    this.fail();
  };
}

/** Offset of the first syntax error in `text`, or undefined when it is valid JSON (RFC 8259). */
export function jsonErrorOffset(text: string): number | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.value();
    scanner.ws();
    if (scanner.i < text.length) scanner.fail();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxAt) return e.offset;
    throw e;
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/** The first syntax problem of `text` with its 1-based line and column, or undefined when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const found = offset >= text.length ? 'end of input' : JSON.stringify(text[offset]);
  return { offset, line, column, message: `unexpected ${found}` };
}
