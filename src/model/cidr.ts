/** Pure IPv4 and CIDR arithmetic on unsigned 32-bit numbers; no imports, so any layer (CLI, webview) can use it. */

/** A parsed CIDR block: `network` is the unsigned 32-bit base address, `prefix` 0..32. */
export interface Cidr {
  network: number;
  prefix: number;
}

// One octet: 0..255 without leading zeros, because tools like ping read "010" as octal (8).
const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;
const MAX_ADDRESS = 0xffffffff;

/** Parses a strict dotted quad such as `10.244.1.2` into an unsigned 32-bit number; throws on anything else. */
export function parseIPv4(s: string): number {
  const parts = typeof s === 'string' ? s.split('.') : [];
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) {
    throw new Error(`invalid IPv4 address '${String(s)}': expected four numbers 0-255 without leading zeros, such as 192.168.1.10`);
  }
  // Multiplying instead of shifting keeps the result unsigned (a << 24 would go negative for a >= 128).
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit number as a dotted quad; throws if it is not an integer in 0..2^32-1. */
export function formatIPv4(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ADDRESS) throw new Error(`not an IPv4 address number: ${n}`);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length as an unsigned number (/24 -> 255.255.255.0). */
export function prefixMask(prefix: number): number {
  // `x << 32` is `x << 0` in JavaScript, so /0 needs its own case.
  return prefix === 0 ? 0 : (MAX_ADDRESS << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/p`; throws if malformed or if host bits are set (the message names the CIDR to use instead). */
export function parseCIDR(s: string): Cidr {
  const parts = typeof s === 'string' ? s.split('/') : [];
  if (parts.length !== 2 || !PREFIX.test(parts[1]) || Number(parts[1]) > 32) {
    throw new Error(`invalid CIDR '${String(s)}': expected an address and a prefix length 0-32, such as 10.244.1.0/24`);
  }
  const prefix = Number(parts[1]);
  let ip: number;
  try {
    ip = parseIPv4(parts[0]);
  } catch {
    throw new Error(`invalid CIDR '${s}': '${parts[0]}' is not an IPv4 address`);
  }
  const network = (ip & prefixMask(prefix)) >>> 0;
  if (network !== ip) {
    const fixed = `${formatIPv4(network)}/${prefix}`;
    throw new Error(`invalid CIDR '${s}': host bits are set; use ${fixed}`);
  }
  return { network, prefix };
}

/** Formats a parsed CIDR back to `a.b.c.d/p`. */
export function formatCIDR(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefix}`;
}

function toCidr(c: Cidr | string): Cidr {
  return typeof c === 'string' ? parseCIDR(c) : c;
}

function toIp(ip: number | string): number {
  return typeof ip === 'string' ? parseIPv4(ip) : ip;
}

/** Number of addresses in the block, network and broadcast included (/24 -> 256). */
export function cidrSize(c: Cidr | string): number {
  return 2 ** (32 - toCidr(c).prefix);
}

/** The last address of the block (its broadcast address). */
export function broadcastAddress(c: Cidr | string): number {
  const cidr = toCidr(c);
  return cidr.network + cidrSize(cidr) - 1;
}

/** True if `ip` lies inside the block, network and broadcast addresses included. */
export function cidrContains(c: Cidr | string, ip: number | string): boolean {
  const cidr = toCidr(c);
  const n = toIp(ip);
  return n >= cidr.network && n <= broadcastAddress(cidr);
}

/** True if the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const ca = toCidr(a);
  const cb = toCidr(b);
  return ca.network <= broadcastAddress(cb) && cb.network <= broadcastAddress(ca);
}

/** True if every address of `inner` is also in `outer` (a block is within itself). */
export function cidrWithin(inner: Cidr | string, outer: Cidr | string): boolean {
  const ci = toCidr(inner);
  const co = toCidr(outer);
  return ci.prefix >= co.prefix && cidrContains(co, ci.network);
}

/**
 * How many Pods a node's bridge can address with CNI host-local: the network address, the
 * gateway (first address, held by the bridge) and the broadcast address are not handed out.
 */
export function hostCount(c: Cidr | string): number {
  return Math.max(0, cidrSize(c) - 3);
}

/** The n-th address after the network address (n=1 is the first); throws unless 1 <= n <= size-2. */
export function nthHost(c: Cidr | string, n: number): number {
  const cidr = toCidr(c);
  if (!Number.isInteger(n) || n < 1 || n > cidrSize(cidr) - 2) {
    throw new Error(`${formatCIDR(cidr)} has no host number ${n}`);
  }
  return cidr.network + n;
}

/** The first address after the network address: the gateway a node's bridge takes. */
export function firstAddress(c: Cidr | string): number {
  return nthHost(c, 1);
}

/** The last address before the broadcast address. */
export function lastAddress(c: Cidr | string): number {
  const cidr = toCidr(c);
  return nthHost(cidr, cidrSize(cidr) - 2);
}

/** The index-th block of length `prefix` inside `c` (subnet('10.244.0.0/16', 24, 2) is 10.244.2.0/24); throws if out of range. */
export function subnet(c: Cidr | string, prefix: number, index: number): Cidr {
  const cidr = toCidr(c);
  const count = 2 ** (prefix - cidr.prefix);
  if (!Number.isInteger(prefix) || prefix < cidr.prefix || prefix > 32 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${formatCIDR(cidr)} has no /${prefix} block number ${index}`);
  }
  return { network: cidr.network + index * 2 ** (32 - prefix), prefix };
}

/** Ranges no lab network, node or Pod can use: the kernel gives them special meaning, so routes through them break. */
export const UNUSABLE_RANGES: readonly { cidr: string; name: string }[] = [
  { cidr: '0.0.0.0/8', name: '"this network" range' },
  { cidr: '127.0.0.0/8', name: 'loopback range' },
  { cidr: '169.254.0.0/16', name: 'link-local range' },
  { cidr: '224.0.0.0/4', name: 'multicast range' },
  { cidr: '240.0.0.0/4', name: 'reserved range (with the broadcast address 255.255.255.255)' },
];

/** The first unusable range that shares an address with `c`, if any. */
export function unusableRangeIn(c: Cidr | string): { cidr: string; name: string } | undefined {
  return UNUSABLE_RANGES.find((r) => cidrsOverlap(r.cidr, c));
}
