/** Reads and writes snapshot files (versions 1 and 2): JSON syntax with line/column, version, structure and references, each error naming its JSON path. */
import { LabError } from '../providers/embedded/control/labError';
import { jsonSyntaxProblem } from './jsonPosition';
import { SNAPSHOT_SCHEMA, type JsonSchema } from './schema';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from './types';
import { v2Problem } from './validateV2';

/** A snapshot file that cannot be read; `path` is the JSON path of the bad field (`$.namespaces[2].links[0].ifindex`). */
export class SnapshotFormatError extends LabError {
  constructor(message: string, readonly path?: string, readonly file?: string) {
    super(`${file ? `${file}: ` : ''}${path ? `${path}: ` : ''}${message}`, 'SPEC');
    this.name = 'SnapshotFormatError';
  }
}

/** `value` as an error message shows it: strings quoted, long values cut. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const key = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', integer: 'a number', number: 'a number', boolean: 'a boolean' };

/** The first way `value` breaks `schema`, as `[path, message]`, or undefined when it conforms. */
export function schemaProblem(value: unknown, schema: JsonSchema, path = '$'): [string, string] | undefined {
  const t = schema.type;
  const typeOk = t === undefined
    || (t === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value))
    || (t === 'array' && Array.isArray(value))
    || ((t === 'integer' || t === 'number') && typeof value === 'number' && Number.isFinite(value))
    || (t === 'string' && typeof value === 'string')
    || (t === 'boolean' && typeof value === 'boolean');
  if (!typeOk) return [path, `expected ${ARTICLE[t!]}, got ${describe(value)}`];
  if (t === 'integer' && !Number.isInteger(value)) return [path, `expected an integer, got ${describe(value)}`];
  if (schema.minimum !== undefined && (value as number) < schema.minimum) return [path, `expected at least ${schema.minimum}, got ${describe(value)}`];
  if (schema.maximum !== undefined && (value as number) > schema.maximum) return [path, `expected at most ${schema.maximum}, got ${describe(value)}`];
  if (schema.const !== undefined && value !== schema.const) return [path, `expected ${JSON.stringify(schema.const)}, got ${describe(value)}`];
  if (schema.enum && !schema.enum.includes(value as string)) return [path, `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${describe(value)}`];
  if (t === 'array' && schema.items) {
    for (let i = 0; i < (value as unknown[]).length; i++) {
      const p = schemaProblem((value as unknown[])[i], schema.items, `${path}[${i}]`);
      if (p) return p;
    }
  }
  if (t === 'object' && schema.properties) {
    const o = value as Record<string, unknown>;
    // Own properties only: a key such as "constructor" or "__proto__" must not be found through a prototype.
    for (const k of schema.required ?? []) if (!Object.hasOwn(o, k) || o[k] === undefined) return [key(path, k), 'required field is missing'];
    for (const k of Object.keys(o)) {
      const sub = Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
      if (!sub) {
        if (schema.additionalProperties === false) return [key(path, k), `unknown field (expected one of ${Object.keys(schema.properties).join(', ')})`];
        continue;
      }
      const p = schemaProblem(o[k], sub, key(path, k));
      if (p) return p;
    }
  }
  return undefined;
}

/** Ids, kinds and references that must agree across the file: `[path, message]` of the first that does not. */
export function referenceProblem(s: Snapshot): [string, string] | undefined {
  const links = new Map<string, Set<string>>();
  for (const [i, ns] of s.namespaces.entries()) {
    const expected = ns.kind === 'wire' ? 'wire' : `${ns.kind}/${ns.name}`;
    if (ns.id !== expected) return [`$.namespaces[${i}].id`, `expected ${JSON.stringify(expected)} for a ${ns.kind} named ${JSON.stringify(ns.name)}, got ${describe(ns.id)}`];
    if (links.has(ns.id)) return [`$.namespaces[${i}].id`, `duplicate namespace id ${JSON.stringify(ns.id)}`];
    links.set(ns.id, new Set(ns.links.map((l) => l.name)));
  }
  const need = (path: string, id: string, what: string): [string, string] | undefined =>
    links.has(id) ? undefined : [path, `${what} has no namespace ${JSON.stringify(id)} in this snapshot`];
  const c = s.cluster;
  const missing = [
    ...c.nodes.map((n, i) => need(`$.cluster.nodes[${i}]`, `node/${n.name}`, `node ${JSON.stringify(n.name)}`)),
    ...c.pods.map((p, i) => need(`$.cluster.pods[${i}]`, `pod/${p.name}`, `pod ${JSON.stringify(p.name)}`)),
    c.dockerHost && need('$.cluster.dockerHost', `host/${c.dockerHost.name}`, `host ${JSON.stringify(c.dockerHost.name)}`),
    ...(c.dockerHost?.containers ?? []).map((k, i) => need(`$.cluster.dockerHost.containers[${i}]`, `container/${k.name}`, `container ${JSON.stringify(k.name)}`)),
    c.client && need('$.cluster.client', `client/${c.client.name}`, `client ${JSON.stringify(c.client.name)}`),
    c.router && need('$.cluster.router', `router/${c.router.name}`, `router ${JSON.stringify(c.router.name)}`),
  ].find((p) => p);
  if (missing) return missing;
  for (const [i, ns] of s.namespaces.entries()) {
    for (const [j, l] of ns.links.entries()) {
      if (!l.peer) continue;
      const path = `$.namespaces[${i}].links[${j}].peer`;
      const peerLinks = links.get(l.peer.namespace);
      if (!peerLinks) return [`${path}.namespace`, `no namespace ${JSON.stringify(l.peer.namespace)} in this snapshot`];
      if (!peerLinks.has(l.peer.ifname)) return [`${path}.ifname`, `namespace ${JSON.stringify(l.peer.namespace)} has no link ${JSON.stringify(l.peer.ifname)}`];
    }
  }
  return undefined;
}

/** Parses and validates a snapshot file's text; every error names the file and the line/column or JSON path. */
export function parseSnapshot(text: string, file?: string): Snapshot {
  const syntax = jsonSyntaxProblem(text);
  if (syntax) throw new SnapshotFormatError(`invalid JSON: ${syntax.message}`, undefined, `${file ?? '<snapshot>'}:${syntax.line}:${syntax.column}`);
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SnapshotFormatError(`expected a snapshot object, got ${describe(data)}`, '$', file);
  const head = data as Record<string, unknown>;
  if (head.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(`expected "${SNAPSHOT_FORMAT}", got ${head.format === undefined ? 'nothing' : describe(head.format)}: this is not a PodNet Lab snapshot`, '$.format', file);
  }
  if (typeof head.version === 'number' && Number.isInteger(head.version) && head.version > SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(`this snapshot is version ${head.version}, this PodNet Lab reads up to version ${SNAPSHOT_VERSION}: update PodNet Lab`, '$.version', file);
  }
  const problem = schemaProblem(data, SNAPSHOT_SCHEMA) ?? v2Problem(data as Snapshot) ?? referenceProblem(data as Snapshot);
  if (problem) throw new SnapshotFormatError(problem[1], problem[0], file);
  return data as Snapshot;
}

/** `value` with object keys in schema order and undefined fields dropped; free-form parts (the nft ruleset) kept as they are. */
function canonical(value: unknown, schema: JsonSchema | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, schema?.items));
  if (typeof value !== 'object' || value === null || !schema?.properties) return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(schema.properties)) if (o[k] !== undefined) out[k] = canonical(o[k], sub);
  return out;
}

/** The snapshot as stable text: keys in format order, 2-space indent, newline at the end. */
export function serializeSnapshot(s: Snapshot): string {
  return `${JSON.stringify(canonical(s, SNAPSHOT_SCHEMA), null, 2)}\n`;
}
