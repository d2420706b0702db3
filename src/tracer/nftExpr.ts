/** Evaluates nft JSON expressions (payload, meta, ct, fib, bitwise, concat) for one packet and compares them with a rule's right-hand side. */
import { kernelPrefixContains } from './kernelCidr';
import type { PacketHeaders } from './types';

/** What a rule sees of the packet besides its headers. */
export interface ExprEnv {
  packet: PacketHeaders;
  iifname?: string;
  oifname?: string;
  /** The packet's mark (meta mark) as it stands now. */
  mark: number;
  /** The namespace's own addresses (for `fib ... type local`); absent: fib cannot be answered. */
  localAddresses?: string[];
  /** Connection tracking state of the packet's connection (`new` for a probe, `established` for its reply). */
  ctState: string;
  /** Connection tracking status flags (`dnat`, `snat`) set so far in this namespace. */
  ctStatus: string[];
}

/**
 * A field's value: a string or number; a list of flags (ct status); `undefined` when the packet has no such
 * field (th dport of a ping: the rule cannot match); `null` when PodNet cannot evaluate the expression.
 */
export type ExprValue = string | number | string[] | ExprValue[] | undefined | null;

const PROTO_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp' };
const PROTO_NAMES = new Set(['icmp', 'tcp', 'udp']);
const LOOPBACK = '127.0.0.0/8';

function payloadValue(body: { protocol: string; field: string }, p: PacketHeaders): ExprValue {
  const { protocol, field } = body;
  if (protocol === 'ip') {
    if (field === 'saddr') return p.srcIP;
    if (field === 'daddr') return p.dstIP;
    if (field === 'protocol') return p.proto;
    if (field === 'ttl') return p.ttl;
    return null;
  }
  if (protocol === 'tcp' || protocol === 'udp' || protocol === 'th') {
    if (protocol !== 'th' && protocol !== p.proto) return undefined; // the rule needs another protocol: no match
    if (p.proto === 'icmp') return undefined; // a ping has no ports
    if (field === 'dport') return p.dstPort;
    if (field === 'sport') return p.srcPort;
    return null;
  }
  if (protocol === 'icmp' && field === 'type') return p.proto === 'icmp' ? 'echo-request' : undefined;
  return null;
}

function metaValue(key: string, env: ExprEnv): ExprValue {
  if (key === 'iifname' || key === 'iif') return env.iifname ?? '';
  if (key === 'oifname' || key === 'oif') return env.oifname ?? '';
  if (key === 'l4proto') return env.packet.proto;
  if (key === 'protocol') return 'ip';
  if (key === 'nfproto') return 'ipv4';
  if (key === 'mark') return env.mark;
  return null;
}

/** True when `ip` is one of the namespace's own addresses (loopback included), undefined when they are not known. */
export function isLocalAddress(ip: string | undefined, env: ExprEnv): boolean | undefined {
  if (ip === undefined) return false;
  if (kernelPrefixContains(LOOPBACK, ip)) return true;
  if (!env.localAddresses) return undefined;
  return env.localAddresses.some((a) => a.split('/')[0] === ip);
}

function fibValue(body: { result?: string; flags?: string[] | string }, env: ExprEnv): ExprValue {
  const flags = Array.isArray(body.flags) ? body.flags : body.flags ? [body.flags] : [];
  // Only `fib saddr|daddr type` without iif/oif modifiers is answered; the rest needs the routing decision.
  if (body.result !== 'type' || flags.length !== 1) return null;
  const ip = flags[0] === 'daddr' ? env.packet.dstIP : flags[0] === 'saddr' ? env.packet.srcIP : undefined;
  if (flags[0] !== 'daddr' && flags[0] !== 'saddr') return null;
  const local = isLocalAddress(ip, env);
  if (local === undefined) return null;
  return local ? 'local' : 'unicast';
}

function bitwise(op: string, args: unknown[], env: ExprEnv): ExprValue {
  const [a, b] = args.map((x) => (typeof x === 'number' ? x : exprValue(x, env)));
  if (typeof a !== 'number' || typeof b !== 'number') return a === undefined || b === undefined ? undefined : null;
  if (op === '&') return (a & b) >>> 0;
  if (op === '|') return (a | b) >>> 0;
  if (op === '^') return (a ^ b) >>> 0;
  return null;
}

/** The value of a left-hand expression (`{"payload": ...}`, `{"concat": [...]}`, `{"&": [...]}`, ...) for the packet. */
export function exprValue(expr: unknown, env: ExprEnv): ExprValue {
  if (typeof expr === 'number' || typeof expr === 'string') return expr;
  if (!expr || typeof expr !== 'object') return null;
  const e = expr as Record<string, unknown>;
  if (e.payload) return payloadValue(e.payload as { protocol: string; field: string }, env.packet);
  if (e.meta) return metaValue((e.meta as { key: string }).key, env);
  if (e.ct) {
    const ct = e.ct as { key: string; dir?: string };
    if (ct.dir) return null;
    if (ct.key === 'state') return env.ctState;
    if (ct.key === 'status') return env.ctStatus;
    return null;
  }
  if (e.fib) return fibValue(e.fib as { result?: string; flags?: string[] }, env);
  if (e.concat) {
    const parts = (e.concat as unknown[]).map((x) => exprValue(x, env));
    if (parts.some((x) => x === null)) return null;
    if (parts.some((x) => x === undefined)) return undefined;
    return parts;
  }
  for (const op of ['&', '|', '^']) if (Array.isArray(e[op])) return bitwise(op, e[op] as unknown[], env);
  return null;
}

function scalarMatches(actual: string | number, right: unknown): boolean | null {
  if (right && typeof right === 'object') {
    const r = right as Record<string, unknown>;
    if (r.prefix) {
      const { addr, len } = r.prefix as { addr: string; len: number };
      return typeof actual === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(actual) && kernelPrefixContains(`${addr}/${len}`, actual);
    }
    if (r.range) {
      const [lo, hi] = r.range as unknown[];
      if (typeof actual === 'number') return actual >= Number(lo) && actual <= Number(hi);
      return null;
    }
    return null;
  }
  if (typeof right !== 'string' && typeof right !== 'number') return null;
  const r = String(right);
  if (typeof actual === 'string' && PROTO_NAMES.has(actual) && PROTO_NUMBERS[r]) return actual === PROTO_NUMBERS[r];
  if (typeof actual === 'string' && r.includes('/') && /^\d/.test(r)) return kernelPrefixContains(r, actual);
  // interface names may use a trailing * wildcard
  if (typeof actual === 'string' && r.endsWith('*')) return actual.startsWith(r.slice(0, -1));
  return String(actual) === r;
}

/**
 * True when `actual` equals (or lies in) one value of the right-hand side: a scalar, a prefix, a range, a concatenation
 * or an anonymous set of those; null when the right-hand side is something PodNet cannot compare.
 */
export function valueMatches(actual: ExprValue, right: unknown): boolean | null {
  if (actual === null) return null;
  if (actual === undefined) return false;
  if (right && typeof right === 'object' && !Array.isArray(right)) {
    const r = right as Record<string, unknown>;
    if (Array.isArray(r.set)) return anyMatches(actual, r.set);
    if (r.elem) return valueMatches(actual, (r.elem as { val: unknown }).val);
    if (Array.isArray(r.concat)) {
      const parts = r.concat as unknown[];
      if (!Array.isArray(actual) || actual.length !== parts.length) return false;
      let all: boolean | null = true;
      parts.forEach((p, i) => {
        const m = valueMatches(actual[i], p);
        if (m === null) all = null;
        else if (!m && all !== null) all = false;
      });
      return all;
    }
  }
  if (Array.isArray(right)) return anyMatches(actual, right);
  if (Array.isArray(actual)) {
    // a flag set (ct status) matches when it holds the flag
    if (actual.every((x) => typeof x === 'string') && typeof right === 'string') return (actual as string[]).includes(right);
    return null;
  }
  return scalarMatches(actual, right);
}

function anyMatches(actual: ExprValue, list: unknown[]): boolean | null {
  let unknown = false;
  for (const v of list) {
    const m = valueMatches(actual, v);
    if (m === true) return true;
    if (m === null) unknown = true;
  }
  return unknown ? null : false;
}
