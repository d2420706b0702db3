/** Typed reads of lab.yaml fields on top of the topology's SpecReader: every problem is recorded with its line and field path. */
import { isScalar, isSeq, type Node } from 'yaml';
import type { Fields, SpecReader } from '../model/topologyYaml';

/** `fields.path` + `key`, the way SpecReader names fields. */
export function fieldPath(fields: Fields, key: string): string {
  return fields.path ? `${fields.path}.${key}` : key;
}

/** Reports `key` as missing (pointing at its parent) and returns false when it was not written. */
export function requireKey(r: SpecReader, fields: Fields, key: string, what: string, hint: string): boolean {
  if (fields.get(key) !== undefined) return true;
  r.fail(fieldPath(fields, key), `${what} has no ${key}`, hint);
  return false;
}

/** A required non-empty string; reports it missing with `hint`. */
export function requiredStr(r: SpecReader, fields: Fields, key: string, what: string, hint: string): string | undefined {
  return requireKey(r, fields, key, what, hint) ? r.str(fields, key) : undefined;
}

/** A whole number within [min, max], or undefined (reported when written but wrong). */
export function intIn(r: SpecReader, fields: Fields, key: string, min: number, max: number, hint: string): number | undefined {
  const n = r.int(fields, key);
  if (n === undefined) return undefined;
  if (n < min || n > max) {
    r.fail(fieldPath(fields, key), `${fieldPath(fields, key)} is ${n}; it must be from ${min} to ${max}`, hint);
    return undefined;
  }
  return n;
}

/** true/false, or undefined (reported when written but not a boolean). */
export function bool(r: SpecReader, fields: Fields, key: string): boolean | undefined {
  const node = fields.get(key);
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  r.fail(fieldPath(fields, key), `${fieldPath(fields, key)} must be true or false`, 'write it without quotes, e.g. expect: false');
  return undefined;
}

/** One of `allowed`, or undefined (reported with the list when written but not one of them). */
export function oneOf<T extends string>(r: SpecReader, fields: Fields, key: string, allowed: readonly T[]): T | undefined {
  const v = r.str(fields, key);
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  r.fail(fieldPath(fields, key), `${fieldPath(fields, key)} '${v}' is not one of the allowed values`, `use one of: ${allowed.join(', ')}`);
  return undefined;
}

/** A list of non-empty strings (each remembered at its own line), or undefined when absent or reported. */
export function strList(r: SpecReader, node: Node | undefined, path: string, example: string): string[] | undefined {
  const items = r.list(node, path, example);
  if (!items) return undefined;
  const out: string[] = [];
  items.forEach((item, i) => {
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value) !== '') out.push(String(item.value));
    else r.fail(`${path}[${i}]`, `${path}[${i}] must be a non-empty string`, `write each entry as text, e.g. ${example}`);
  });
  return out.length === items.length ? out : undefined;
}

/** True when `node` is a YAML list (for fields that may be a string or a list). */
export function isList(node: Node | undefined): boolean {
  return isSeq(node);
}
