/** Named nft sets and maps from `nft -j list ruleset` (incl. concatenated and interval keys), and looking a key up in them. */
import { type ExprValue, valueMatches } from './nftExpr';

/** One element of a set or map: its key (a value, prefix, range or concatenation) and, for a map, its data. */
export interface NftElement {
  key: unknown;
  /** For a map: the data, e.g. `{ goto: { target: 'service-...' } }` for a verdict map. */
  value?: unknown;
  comment?: string;
}

/** A named set or map of one table. */
export interface NftSet {
  family: string;
  table: string;
  name: string;
  /** `map` for a map (incl. verdict maps), `set` otherwise. */
  kind: 'set' | 'map';
  /** The key's type(s), e.g. `['ipv4_addr', 'inet_proto', 'inet_service']`. */
  type?: string | string[];
  /** For a map: the data type, e.g. `verdict`. */
  dataType?: string;
  comment?: string;
  elements: NftElement[];
}

/** Key of a set in a ruleset: `family table name`. */
export const setKey = (family: string, table: string, name: string): string => `${family} ${table} ${name}`;

function unwrap(key: unknown): { key: unknown; comment?: string } {
  if (key && typeof key === 'object' && !Array.isArray(key) && (key as Record<string, unknown>).elem) {
    const e = (key as { elem: { val: unknown; comment?: string } }).elem;
    return { key: e.val, comment: e.comment };
  }
  return { key };
}

function readElement(raw: unknown, isMap: boolean): NftElement {
  if (isMap && Array.isArray(raw) && raw.length === 2) {
    const k = unwrap(raw[0]);
    return { key: k.key, value: raw[1], ...(k.comment ? { comment: k.comment } : {}) };
  }
  const k = unwrap(raw);
  return { key: k.key, ...(k.comment ? { comment: k.comment } : {}) };
}

/** Reads one `{"set": ...}` or `{"map": ...}` object of nft's JSON output. */
export function readSet(kind: 'set' | 'map', raw: Record<string, unknown>): NftSet | undefined {
  const { family, table, name } = raw as { family?: unknown; table?: unknown; name?: unknown };
  if (typeof family !== 'string' || typeof table !== 'string' || typeof name !== 'string') return undefined;
  const elems = Array.isArray(raw.elem) ? raw.elem : [];
  return {
    family, table, name, kind,
    type: raw.type as string | string[] | undefined,
    dataType: typeof raw.map === 'string' ? raw.map : undefined,
    comment: typeof raw.comment === 'string' ? raw.comment : undefined,
    elements: elems.map((e) => readElement(e, kind === 'map')),
  };
}

/** The elements of an anonymous set or map written inside a rule (`{"set": [...]}`). */
export function anonymousElements(set: unknown[], isMap: boolean): NftElement[] {
  return set.map((e) => readElement(e, isMap));
}

/**
 * The first element whose key holds `actual`; `undefined` when none does; `null` when an element's key cannot be
 * compared (then PodNet cannot say which one applies).
 */
export function lookupElement(elements: readonly NftElement[], actual: ExprValue): NftElement | undefined | null {
  let unknown = false;
  for (const el of elements) {
    const m = valueMatches(actual, el.key);
    if (m === true) return el;
    if (m === null) unknown = true;
  }
  return unknown ? null : undefined;
}
