/** Renders an nft JSON rule back to text close to what `nft list ruleset` prints. */
import type { NftRule } from './nftRules';

// nft prints these meta keys without the `meta` keyword
const UNQUALIFIED_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'iifgroup', 'oifgroup']);
const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function renderVerdict(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const [key, body] = Object.entries(v as Record<string, unknown>)[0] ?? [];
  if (key === 'goto' || key === 'jump') return `${key} ${(body as { target: string }).target}`;
  if (key === 'accept' || key === 'drop' || key === 'return' || key === 'continue') return key;
  return undefined;
}

function renderElements(set: unknown[]): string {
  const one = (e: unknown): string => {
    if (Array.isArray(e) && e.length === 2) return `${renderValue(e[0])} : ${renderVerdict(e[1]) ?? renderValue(e[1])}`;
    return renderValue(e);
  };
  return `{ ${set.map(one).join(', ')} }`;
}

function renderObject(o: Record<string, unknown>): string | undefined {
  if (o.prefix) {
    const p = o.prefix as { addr: string; len: number };
    return `${p.addr}/${p.len}`;
  }
  if (Array.isArray(o.set)) return renderElements(o.set);
  if (o.range) return (o.range as unknown[]).map(renderValue).join('-');
  if (Array.isArray(o.concat)) return (o.concat as unknown[]).map(renderValue).join(' . ');
  if (o.elem) return renderValue((o.elem as { val: unknown }).val);
  if (o.payload) {
    const p = o.payload as { protocol: string; field: string };
    return `${p.protocol} ${p.field}`;
  }
  if (o.meta) {
    const key = (o.meta as { key: string }).key;
    return UNQUALIFIED_META.has(key) ? key : `meta ${key}`;
  }
  if (o.ct) return `ct ${(o.ct as { key: string }).key}`;
  if (o.fib) {
    const f = o.fib as { result?: string; flags?: string[] | string };
    return `fib ${[f.flags ?? []].flat().join(' . ')} ${f.result ?? ''}`.trim();
  }
  if (o.numgen) {
    const n = o.numgen as { mode?: string; mod?: number; offset?: number };
    return `numgen ${n.mode ?? 'random'} mod ${n.mod ?? '?'}${n.offset ? ` offset ${n.offset}` : ''}`;
  }
  for (const op of ['&', '|', '^']) {
    if (Array.isArray(o[op])) return (o[op] as unknown[]).map((x) => (typeof x === 'number' ? hex(x) : renderValue(x))).join(` ${op} `);
  }
  return renderVerdict(o);
}

/** One value or expression of a rule as nft prints it (approximately). */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return typeof v === 'string' && !/^[\w./:@-]+$/.test(v) ? `"${v}"` : String(v);
  if (Array.isArray(v)) return `{ ${v.map(renderValue).join(', ')} }`;
  return renderObject(v as Record<string, unknown>) ?? JSON.stringify(v);
}

function renderNat(key: string, body: unknown): string {
  const t = (body ?? {}) as { addr?: unknown; port?: unknown; family?: unknown; flags?: unknown };
  const flags = t.flags ? ` ${[t.flags].flat().join(',')}` : '';
  if (key === 'masquerade') return `masquerade${flags}`;
  const family = typeof t.family === 'string' ? ` ${t.family}` : '';
  const port = t.port !== undefined ? `:${renderValue(t.port)}` : '';
  return `${key}${family} to ${renderValue(t.addr)}${port}${flags}`;
}

function renderExpr(key: string, body: unknown): string {
  if (key === 'match') {
    const m = body as { op: string; left: unknown; right: unknown };
    // nft leaves out an implicit `==`, except after a bitwise expression (`meta mark & 0x00004000 == 0`)
    const bitwise = !!m.left && typeof m.left === 'object' && ['&', '|', '^'].some((k) => k in (m.left as object));
    const op = (m.op === '==' || m.op === 'in') && !bitwise ? '' : ` ${m.op}`;
    return `${renderValue(m.left)}${op} ${renderValue(m.right)}`;
  }
  if (key === 'dnat' || key === 'snat' || key === 'masquerade') return renderNat(key, body);
  if (key === 'jump' || key === 'goto') return `${key} ${(body as { target: string }).target}`;
  if (key === 'vmap') {
    const v = body as { key: unknown; data: unknown };
    return `${renderValue(v.key)} vmap ${renderValue(v.data)}`;
  }
  if (key === 'mangle') {
    const m = body as { key: unknown; value: unknown };
    return `${renderValue(m.key)} set ${renderValue(m.value)}`;
  }
  if (key === 'reject') {
    const r = (body ?? {}) as { type?: string; expr?: string };
    return r.expr && r.expr !== 'port-unreachable' ? `reject with ${r.type ?? 'icmp'} ${r.expr}` : 'reject';
  }
  if (key === 'xt') {
    const x = (body ?? {}) as { type?: string; name?: string };
    return `xt ${x.type ?? ''} ${x.name ?? ''}`.replace(/\s+/g, ' ').trim();
  }
  return key;
}

/** Approximately how `nft list ruleset` prints a rule, e.g. `ip saddr 172.17.0.0/16 oifname != "docker0" masquerade`. */
export function renderRule(rule: NftRule): string {
  const parts = rule.expr.map((e) => {
    try {
      const [key, body] = Object.entries(e ?? {})[0] ?? [];
      return key ? renderExpr(key, body) : '';
    } catch {
      return '?'; // a malformed expression (untrusted snapshot): shown as unreadable, the evaluator reports it
    }
  });
  if (rule.comment) parts.push(`comment ${JSON.stringify(rule.comment)}`);
  return parts.filter(Boolean).join(' ');
}
