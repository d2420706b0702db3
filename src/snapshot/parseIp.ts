/** Pure parsers for `ip -j` output (links, addresses, routes, rules, neighbours) into snapshot records, in a fixed key order. */
import type { SnapshotAddress, SnapshotLink, SnapshotNeighbor, SnapshotRoute, SnapshotRule } from './types';

/** One object of an `ip -j` / `bridge -j` array, fields unknown until read. */
export type RawJson = Record<string, unknown>;

/** A link as `ip -d link` shows it, before its veth peer is resolved across namespaces. */
export interface ParsedLink {
  link: SnapshotLink;
  /** `link_index`: for a veth, the peer's ifindex (in the namespace `linkNetnsid` names, or this one when absent). */
  linkIndex?: number;
  linkNetnsid?: number;
}

/** Parses the JSON array an `ip -j` / `bridge -j` command printed (empty output counts as an empty array). */
export function parseJsonArray(text: string): RawJson[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const value: unknown = JSON.parse(trimmed);
  if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${typeof value}`);
  return value.filter((v): v is RawJson => typeof v === 'object' && v !== null && !Array.isArray(v));
}

const str = (o: RawJson, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const num = (o: RawJson, key: string): number | undefined => (typeof o[key] === 'number' ? (o[key] as number) : undefined);
const strings = (o: RawJson, key: string): string[] => (Array.isArray(o[key]) ? (o[key] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

/** Drops keys whose value is undefined, keeping the insertion (= format) order of the others. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function linkKind(raw: RawJson): SnapshotLink['kind'] {
  if (str(raw, 'link_type') === 'loopback') return 'loopback';
  const info = raw.linkinfo as RawJson | undefined;
  const kind = info && typeof info === 'object' ? str(info, 'info_kind') : undefined;
  return kind === 'veth' || kind === 'bridge' || kind === 'vxlan' ? kind : 'other';
}

/** A vxlan device's parameters from `linkinfo.info_data` (VNI, UDP port, local VTEP, underlay device, learning); undefined without a VNI. */
function vxlanInfo(raw: RawJson): SnapshotLink['vxlan'] {
  const info = raw.linkinfo as RawJson | undefined;
  const data = info && typeof info === 'object' ? (info.info_data as RawJson | undefined) : undefined;
  if (!data || typeof data !== 'object' || num(data, 'id') === undefined) return undefined;
  // iproute2 prints `learning` as a boolean; the kernel's default (and iproute2's without the key) is on.
  const learning = typeof data.learning === 'boolean' ? data.learning : true;
  // port 0 means "the kernel's default", which Linux still sets to 8472 (its historic VXLAN port).
  return compact({ id: num(data, 'id')!, port: num(data, 'port') || 8472, local: str(data, 'local'), dev: str(data, 'link'), learning });
}

/** Links from `ip -j -d link show`, sorted by ifindex. */
export function parseLinks(raw: RawJson[]): ParsedLink[] {
  return raw
    .filter((r) => num(r, 'ifindex') !== undefined && str(r, 'ifname') !== undefined)
    .map((r) => {
      const kind = linkKind(r);
      const link: SnapshotLink = compact({
        ifindex: num(r, 'ifindex')!,
        name: str(r, 'ifname')!,
        kind,
        mac: str(r, 'address') ?? '',
        mtu: num(r, 'mtu') ?? 0,
        state: str(r, 'operstate') ?? 'UNKNOWN',
        up: strings(r, 'flags').includes('UP'),
        master: str(r, 'master'),
        vxlan: kind === 'vxlan' ? vxlanInfo(r) : undefined,
      });
      return compact({ link, linkIndex: kind === 'veth' ? num(r, 'link_index') : undefined, linkNetnsid: num(r, 'link_netnsid') });
    })
    .sort((a, b) => a.link.ifindex - b.link.ifindex);
}

/** Orders two strings by code unit, independent of locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders IP addresses numerically for IPv4 (IPv4 before IPv6), by text otherwise. */
export function cmpAddress(a: string, b: string): number {
  const va = ipv4Value(a);
  const vb = ipv4Value(b);
  if (va !== undefined && vb !== undefined) return va - vb;
  if (va !== undefined) return -1;
  if (vb !== undefined) return 1;
  return cmp(a, b);
}

function ipv4Value(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m ? m.slice(1).reduce((acc, p) => acc * 256 + Number(p), 0) : undefined;
}

/** Orders CIDRs by network address, then prefix length. */
export function cmpCidr(a: string, b: string): number {
  const [ia, pa] = a.split('/');
  const [ib, pb] = b.split('/');
  return cmpAddress(ia, ib) || Number(pa ?? 32) - Number(pb ?? 32);
}

/** Addresses from `ip -j addr show` (inet and inet6), sorted by interface name then address. */
export function parseAddresses(raw: RawJson[]): SnapshotAddress[] {
  const out: SnapshotAddress[] = [];
  for (const l of raw) {
    const ifname = str(l, 'ifname');
    if (!ifname || !Array.isArray(l.addr_info)) continue;
    for (const a of l.addr_info as RawJson[]) {
      const family = str(a, 'family');
      const address = str(a, 'local');
      if ((family !== 'inet' && family !== 'inet6') || !address) continue;
      out.push({ ifname, family, address, prefixLength: num(a, 'prefixlen') ?? (family === 'inet' ? 32 : 128), scope: str(a, 'scope') ?? 'global' });
    }
  }
  return out.sort((a, b) => cmp(a.ifname, b.ifname) || cmpAddress(a.address, b.address) || a.prefixLength - b.prefixLength);
}

/** `default` becomes 0.0.0.0/0 and a bare host address becomes /32, so every dst is a CIDR. */
export function normaliseDst(dst: string | undefined): string {
  if (dst === undefined || dst === 'default') return '0.0.0.0/0';
  return dst.includes('/') ? dst : `${dst}/32`;
}

/** IPv4 routes from `ip -j -4 route show table all`, sorted by table, dst, metric (inet6 routes are dropped). */
export function parseRoutes(raw: RawJson[]): SnapshotRoute[] {
  return raw
    .filter((r) => !(str(r, 'dst') ?? '').includes(':') && !(str(r, 'gateway') ?? '').includes(':'))
    .map((r) => compact<SnapshotRoute>({
      table: str(r, 'table') ?? (typeof r.table === 'number' ? String(r.table) : 'main'),
      type: str(r, 'type') ?? 'unicast',
      dst: normaliseDst(str(r, 'dst')),
      gateway: str(r, 'gateway'),
      dev: str(r, 'dev'),
      protocol: str(r, 'protocol'),
      scope: str(r, 'scope'),
      prefsrc: str(r, 'prefsrc'),
      metric: num(r, 'metric'),
    }))
    .sort((a, b) => cmp(a.table, b.table) || cmpCidr(a.dst, b.dst) || (a.metric ?? 0) - (b.metric ?? 0)
      || cmp(a.type, b.type) || cmp(a.dev ?? '', b.dev ?? '') || cmp(a.gateway ?? '', b.gateway ?? ''));
}

function ruleSelector(r: RawJson, key: 'src' | 'dst'): string | undefined {
  const value = str(r, key);
  if (value === undefined || value === 'all') return undefined;
  const len = num(r, `${key}len`);
  return len !== undefined ? `${value}/${len}` : value.includes('/') ? value : `${value}/32`;
}

/** Rules from `ip -j rule show`, sorted by priority; a rule without a lookup table (unreachable, ...) has table "". */
export function parseRules(raw: RawJson[]): SnapshotRule[] {
  return raw
    .map((r) => {
      const fwmark = str(r, 'fwmark');
      const fwmask = str(r, 'fwmask');
      return compact<SnapshotRule>({
        priority: num(r, 'priority') ?? 0,
        table: str(r, 'table') ?? (typeof r.table === 'number' ? String(r.table) : ''),
        src: ruleSelector(r, 'src'),
        dst: ruleSelector(r, 'dst'),
        iif: str(r, 'iif'),
        oif: str(r, 'oif'),
        fwmark: fwmark && fwmask ? `${fwmark}/${fwmask}` : fwmark,
        action: str(r, 'action'),
      });
    })
    .sort((a, b) => a.priority - b.priority || cmp(a.table, b.table) || cmp(a.src ?? '', b.src ?? '') || cmp(a.dst ?? '', b.dst ?? ''));
}

/** Neighbours from `ip -j neigh show`, sorted by device then IP. */
export function parseNeighbors(raw: RawJson[]): SnapshotNeighbor[] {
  return raw
    .filter((n) => str(n, 'dst') && str(n, 'dev'))
    .map((n) => compact<SnapshotNeighbor>({ ip: str(n, 'dst')!, dev: str(n, 'dev')!, mac: str(n, 'lladdr'), state: strings(n, 'state') }))
    .sort((a, b) => cmp(a.dev, b.dev) || cmpAddress(a.ip, b.ip));
}
