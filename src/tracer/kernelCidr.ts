/** Reads prefixes as the kernel prints them (`ip rule`, `ip route`, nft): host bits allowed, bare addresses and `default`/`all` too. */
import { type Cidr, formatIPv4, parseIPv4, prefixMask } from '../model/cidr';

/**
 * Parses a prefix from kernel output; unlike the user-input `parseCIDR` it masks host bits
 * (`from 10.244.1.5/24` is the kernel's own way of printing a rule) instead of refusing them.
 */
export function kernelCidr(text: string): Cidr {
  if (text === 'default' || text === 'all') return { network: 0, prefix: 0 };
  const [addr, len, ...rest] = text.split('/');
  const prefix = len === undefined ? 32 : Number(len);
  if (rest.length || !/^\d{1,2}$/.test(len ?? '32') || prefix > 32) throw new Error(`the kernel printed a prefix PodNet cannot read: '${text}' (expected a.b.c.d/0-32)`);
  let ip: number;
  try {
    ip = parseIPv4(addr);
  } catch (cause) {
    throw new Error(`the kernel printed a prefix PodNet cannot read: '${text}' (its address is not IPv4)`, { cause });
  }
  return { network: (ip & prefixMask(prefix)) >>> 0, prefix };
}

/** True when `ip` (a dotted quad) lies in the kernel-printed prefix `prefix`. */
export function kernelPrefixContains(prefix: string, ip: string): boolean {
  const c = kernelCidr(prefix);
  const n = parseIPv4(ip);
  return ((n & prefixMask(c.prefix)) >>> 0) === c.network;
}

/** The kernel-printed prefix in canonical form (`10.244.1.5/24` -> `10.244.1.0/24`). */
export function canonicalPrefix(prefix: string): string {
  const c = kernelCidr(prefix);
  return `${formatIPv4(c.network)}/${c.prefix}`;
}
