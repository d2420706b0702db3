/** The smallest IPv4 CIDR block that covers a set of addresses or blocks (a cluster's Pod range, its node network). */
import { broadcastAddress, formatCIDR, parseCIDR, parseIPv4, prefixMask } from '../../model/cidr';

/** `[first, last]` address numbers of an address or CIDR; undefined when the text is neither (API data is untrusted). */
function range(text: string): [number, number] | undefined {
  try {
    if (text.includes('/')) {
      const c = parseCIDR(text);
      return [c.network, broadcastAddress(c)];
    }
    const ip = parseIPv4(text);
    return [ip, ip];
  } catch {
    return undefined; // not an IPv4 address or block (IPv6, garbage): it covers nothing here
  }
}

/** The smallest block covering every valid entry (`10.244.0.0/16` for .0.0/24, .1.0/24 and .2.0/24 is `10.244.0.0/22`); '' when none is valid. */
export function coveringCidr(entries: readonly string[]): string {
  const ranges = entries.map(range).filter((r): r is [number, number] => r !== undefined);
  if (ranges.length === 0) return '';
  const low = Math.min(...ranges.map((r) => r[0]));
  const high = Math.max(...ranges.map((r) => r[1]));
  for (let prefix = 32; prefix >= 0; prefix--) {
    const mask = prefixMask(prefix);
    if (((low & mask) >>> 0) === ((high & mask) >>> 0)) return formatCIDR({ network: (low & mask) >>> 0, prefix });
  }
  return '0.0.0.0/0';
}

/** True when `text` is a strict dotted-quad IPv4 address. */
export function isIPv4(text: string): boolean {
  return range(text) !== undefined && !text.includes('/');
}
