/** YAML-tree helpers for topology files: typed reads with errors that point at a line, and where each field was written. */
import { Document, LineCounter, Node, YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { SpecError, SpecLocation } from './topology';

/** Adds `file` to a location when there is one, so errors from text without a file name carry none. */
export function withFile(loc: SpecLocation, file?: string): SpecLocation {
  return file === undefined ? loc : { file, ...loc };
}

/** The keys of one YAML mapping, with the field path they live under. */
export interface Fields {
  path: string;
  get(key: string): Node | undefined;
  /** True when `key` was written, even with no value (`dockerHost:`). */
  has(key: string): boolean;
}

/**
 * Walks the YAML tree, reporting type errors and unknown keys and remembering where every field
 * is, so later checks on the plain `Topology` can still point at a line. A string left '' in
 * the result means "missing or not computable, already reported".
 */
export class SpecReader {
  readonly errors: SpecError[] = [];
  private readonly locations = new Map<string, SpecLocation>();

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    readonly file?: string,
  ) {}

  /** Where `field` is; a defaulted field points at its nearest written parent. */
  where(field: string): SpecLocation {
    for (let f = field; ; f = parentPath(f)) {
      const loc = this.locations.get(f);
      if (loc || f === '') return { ...(loc ?? withFile({}, this.file)), field };
    }
  }

  /** Records an error at `field`'s place in the file. */
  fail(field: string, message: string, hint?: string): void {
    this.errors.push(new SpecError(message, this.where(field), hint));
  }

  /** Notes where `field` was written, so later errors about it can point there. */
  remember(field: string, node: Node | undefined): void {
    const offset = node?.range?.[0];
    if (offset === undefined) return;
    const { line, col } = this.lineCounter.linePos(offset);
    this.locations.set(field, withFile({ line, column: col }, this.file));
  }

  /** Aliases become their target; an empty value becomes undefined (use the default). */
  resolve(node: unknown): Node | undefined {
    const n = isAlias(node) ? node.resolve(this.doc) : node;
    if (isScalar(n) && n.value === null) return undefined;
    return isMap(n) || isSeq(n) || isScalar(n) ? n : undefined;
  }

  /** Reads a mapping with only `allowed` keys; undefined (already reported) when it is something else. */
  map(node: Node | undefined, path: string, allowed: readonly string[], what: string, example: string): Fields | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) {
      this.fail(path, `${what} must be a mapping of keys to values, got ${describe(node)}`, `write it like ${example}`);
      return undefined;
    }
    return this.fields(node, path, allowed);
  }

  /** Reads a list, remembering where each entry is; undefined (already reported) when it is something else. */
  list(node: Node | undefined, path: string, example: string): Node[] | undefined {
    if (node === undefined) return undefined;
    if (!isSeq(node)) {
      this.fail(path, `${path} must be a list, got ${describe(node)}`, `write each entry on its own line starting with "- ", e.g. ${example}`);
      return undefined;
    }
    return node.items.map((item, i) => {
      const resolved = this.resolve(item);
      this.remember(`${path}[${i}]`, (resolved ?? item) as Node);
      return resolved as Node;
    });
  }

  /** A non-empty string value, or undefined when absent or (reported) of another type. */
  str(fields: Fields, key: string): string | undefined {
    const node = fields.get(key);
    const path = join(fields.path, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    this.fail(path, `${path} must be a non-empty string, got ${describe(node)}`, 'quote the value if YAML reads it as a number or boolean');
    return undefined;
  }

  /** A whole-number value, or undefined when absent or (reported) of another type. */
  int(fields: Fields, key: string): number | undefined {
    const node = fields.get(key);
    const path = join(fields.path, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    this.fail(path, `${path} must be a whole number, got ${describe(node)}`, 'write it without quotes, e.g. port: 8080');
    return undefined;
  }

  private fields(node: YAMLMap, path: string, allowed: readonly string[]): Fields {
    const values = new Map<string, Node | undefined>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const keyNode = pair.key as Node | undefined;
      if (key === undefined || !allowed.includes(key)) {
        this.remember(join(path, key ?? '?'), keyNode);
        this.fail(join(path, key ?? '?'), `unknown key '${key ?? describe(keyNode)}'${path ? ` in ${path}` : ''}`, unknownKeyHint(key, allowed));
        continue;
      }
      const value = this.resolve(pair.value);
      // Point scalar errors at the value; for nested blocks and aliases (whose target is elsewhere) at the key.
      this.remember(join(path, key), isScalar(pair.value) ? pair.value : keyNode);
      values.set(key, value);
    }
    return { path, get: (k) => values.get(k), has: (k) => values.has(k) };
  }
}

function unknownKeyHint(key: string | undefined, allowed: readonly string[]): string {
  const near = allowed.find((a) => key !== undefined && a.toLowerCase() === key.toLowerCase());
  return `${near ? `did you mean '${near}'? ` : ''}allowed keys here: ${allowed.join(', ')}`;
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'nothing';
  const v = node.value;
  if (typeof v === 'string') return v === '' ? 'an empty string' : `the string '${v}'`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `'${String(v)}'`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function parentPath(field: string): string {
  const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
  return cut > 0 ? field.slice(0, cut) : '';
}
