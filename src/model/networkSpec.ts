/**
 * The `network:` section of a topology file: the node network, and (issue 12) its subnets joined by a router.
 * Reading and defaults live here; the rules are in networkChecks.ts. See docs/topology.md for the same in prose.
 *
 *   network:
 *     cidr: string            default 192.168.1.0/24; with subnets: that if it holds every subnet, else the smallest range that does
 *     subnets:                optional, 1 to 8; the node network split into subnets joined by a router
 *       - name: string        required; DNS label, unique among subnets
 *         cidr: string        required; /8 to /30, apart from each other and from the Pod, Service and Docker ranges
 *         routerIP: string    default host number 1 of cidr: the router's address there, every machine's default gateway
 *     router:                 optional, only with subnets; `router: {}` is the default
 *       name: string          default router; DNS label of at most 12 characters, unique among every endpoint name
 */
import type { Node } from 'yaml';
import { tryParseCIDR } from './checkBase';
import { type Cidr, cidrContains, cidrWithin, formatCIDR, formatIPv4, nthHost, prefixMask } from './cidr';
import type { RouterSpec, SubnetSpec } from './topology';
import type { SpecReader } from './topologyYaml';

/** Defaults of the section: the article's LAN, the router's name and its host number in each subnet. */
export const NETWORK_DEFAULTS = { cidr: '192.168.1.0/24', routerName: 'router', routerHost: 1 } as const;

const NETWORK_KEYS = ['cidr', 'subnets', 'router'];
const SUBNET_KEYS = ['name', 'cidr', 'routerIP'];
const ROUTER_KEYS = ['name'];

/** The network as read: what `Topology.network` holds. */
export interface NetworkRead {
  cidr: string;
  subnets?: SubnetSpec[];
  router?: RouterSpec;
}

/** Reads `network:`; problems go to `r`. With subnets the router is always set (defaulted). */
export function readNetwork(r: SpecReader, node: Node | undefined): NetworkRead {
  const f = r.map(node, 'network', NETWORK_KEYS, 'network', '`network: {cidr: 192.168.1.0/24}`');
  const cidr = f && r.str(f, 'cidr');
  if (!f?.has('subnets')) {
    if (f?.has('router')) r.fail('network.router', 'network.router is set but there is no network.subnets for it to join', 'add network.subnets, or remove network.router');
    return { cidr: cidr ?? NETWORK_DEFAULTS.cidr };
  }
  const items = r.list(f.get('subnets'), 'network.subnets', '- {name: a, cidr: 192.168.1.0/24}');
  if ((items ?? []).length === 0) {
    r.fail('network.subnets', 'network.subnets is empty', 'list at least one subnet, e.g. `- {name: a, cidr: 192.168.1.0/24}`, or remove the key for one flat network');
  }
  const subnets = (items ?? []).map((item, i) => readSubnet(r, item, `network.subnets[${i}]`));
  const rf = r.map(f.get('router'), 'network.router', ROUTER_KEYS, 'network.router', '`router: {name: router}`');
  const router = { name: (rf?.get('name') === undefined ? NETWORK_DEFAULTS.routerName : rf && r.str(rf, 'name')) ?? '' };
  return { cidr: cidr ?? coveringCIDR(subnets.map((s) => s.cidr)), subnets, router };
}

function readSubnet(r: SpecReader, item: Node | undefined, path: string): SubnetSpec {
  const f = item === undefined ? undefined : r.map(item, path, SUBNET_KEYS, `${path} (a subnet)`, '`- {name: a, cidr: 192.168.1.0/24}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: a, cidr: 192.168.1.0/24}`');
  if (!f) return { name: '', cidr: '', routerIP: '' };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: a`');
  const cidr = r.str(f, 'cidr');
  if (f.get('cidr') === undefined) r.fail(`${path}.cidr`, `subnet ${name ?? path} has no cidr`, 'add `cidr: 192.168.2.0/24`');
  const routerIP = f.get('routerIP') === undefined ? defaultRouterIP(cidr) : r.str(f, 'routerIP');
  return { name: name ?? '', cidr: cidr ?? '', routerIP: routerIP ?? '' };
}

/** Host number 1 of `cidr`, or '' when it has none or is invalid (reported at the cidr). */
function defaultRouterIP(cidr: string | undefined): string {
  const c = cidr === undefined ? undefined : tryParseCIDR(cidr);
  if (!c) return '';
  try {
    return formatIPv4(nthHost(c, NETWORK_DEFAULTS.routerHost));
  } catch {
    return ''; // a /31 or /32 has no host number 1; the subnet's size is reported at its cidr
  }
}

/** The default `network.cidr` for these subnets: 192.168.1.0/24 when it holds them all, else the smallest range that does. */
export function coveringCIDR(subnets: readonly string[]): string {
  const valid = subnets.map(tryParseCIDR).filter((c): c is Cidr => c !== undefined);
  if (valid.length === 0 || valid.every((c) => cidrWithin(c, NETWORK_DEFAULTS.cidr))) return NETWORK_DEFAULTS.cidr;
  let prefix = Math.min(...valid.map((c) => c.prefix));
  const base = valid[0].network;
  const cover = (p: number): Cidr => ({ network: (base & prefixMask(p)) >>> 0, prefix: p });
  while (prefix > 0 && !valid.every((c) => cidrWithin(c, cover(prefix)))) prefix--;
  return formatCIDR(cover(prefix));
}

/** The subnet whose range holds `ip`, or undefined (also when `ip` or a subnet is not valid: that is reported where it is written). */
export function subnetHolding(subnets: readonly SubnetSpec[], ip: string): SubnetSpec | undefined {
  return subnets.find((s) => {
    try {
      return cidrContains(s.cidr, ip);
    } catch {
      return false; // an invalid address or range matches nothing; its own error says why
    }
  });
}

/** Network and subnets as plain data with every default written out, for `topologyToYaml`. */
export function networkToPlain(n: NetworkRead): object {
  return {
    cidr: n.cidr,
    ...(n.subnets ? { subnets: n.subnets.map((s) => ({ name: s.name, cidr: s.cidr, routerIP: s.routerIP })) } : {}),
    ...(n.router ? { router: { name: n.router.name } } : {}),
  };
}
