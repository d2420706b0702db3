/** Rule checks for a node network split into subnets joined by a router (issue 12), and for mixing vxlan with routed nodes. */
import { CheckBase, tryParseCIDR } from './checkBase';
import { type Cidr, cidrsOverlap, cidrWithin, formatCIDR } from './cidr';
import { clusterEndpointNames } from './serviceChecks';
import type { NodeSpec, SpecError, SpecLocation, SubnetSpec, Topology } from './topology';

/** The most subnets one lab holds: each is a bridge and a router interface. */
export const MAX_SUBNETS = 8;
const SUBNET_PREFIX = { largest: 8, smallest: 30 } as const;

class NetworkChecker extends CheckBase {
  run(t: Topology): SpecError[] {
    const subnets = t.network.subnets;
    if (!subnets) return this.errors;
    if (subnets.length > MAX_SUBNETS) this.fail('network.subnets', `${subnets.length} subnets is more than the lab limit of ${MAX_SUBNETS}`, 'join subnets or split the lab in two');
    const ranges = this.subnets(t, subnets);
    if (t.network.router) this.routerName(t, t.network.router.name);
    t.nodes.forEach((n, i) => this.node(n, `nodes[${i}]`, subnets, ranges));
    if (t.dockerHost) this.machine(t.dockerHost.ip, 'dockerHost.ip', `Docker host ${t.dockerHost.name}`, subnets, ranges);
    if (t.client) this.machine(t.client.ip, 'client.ip', `client ${t.client.name}`, subnets, ranges);
    this.vxlanMix(t.nodes);
    return this.errors;
  }

  /** Names, ranges and router addresses of the subnets; returns each subnet's parsed range (undefined when invalid, reported). */
  private subnets(t: Topology, subnets: SubnetSpec[]): (Cidr | undefined)[] {
    const names = new Set<string>();
    const network = tryParseCIDR(t.network.cidr);
    const ranges: (Cidr | undefined)[] = [];
    subnets.forEach((s, i) => {
      const path = `network.subnets[${i}]`;
      this.name('subnet', s.name, `${path}.name`);
      if (s.name !== '' && names.has(s.name)) this.fail(`${path}.name`, `duplicate subnet name '${s.name}'`, 'give every subnet its own name');
      names.add(s.name);
      const range = this.subnetRange(t, s, path, ranges, network);
      ranges.push(range);
      if (range) this.hostIp(s.routerIP, `${path}.routerIP`, `the router in subnet ${s.name || path}`, range, `subnet ${s.name || path}`);
    });
    return ranges;
  }

  private subnetRange(t: Topology, s: SubnetSpec, path: string, earlier: (Cidr | undefined)[], network?: Cidr): Cidr | undefined {
    const field = `${path}.cidr`;
    const range = this.cidr(s.cidr, field);
    if (!range) return undefined;
    const who = `subnet ${s.name || path}`;
    if (range.prefix < SUBNET_PREFIX.largest || range.prefix > SUBNET_PREFIX.smallest) {
      this.fail(field, `${who} ${s.cidr} is ${range.prefix < SUBNET_PREFIX.largest ? 'larger than /8' : 'smaller than /30'}`, 'use a prefix length from /8 to /30; /24 is usual');
      return undefined;
    }
    const index = earlier.findIndex((c) => c !== undefined && cidrsOverlap(c, range));
    const cluster = tryParseCIDR(t.clusterCIDR);
    const bridge = t.dockerHost ? tryParseCIDR(t.dockerHost.bridgeCIDR) : undefined;
    if (index >= 0) {
      const other = t.network.subnets?.[index];
      this.fail(field, `${who} ${s.cidr} overlaps subnet ${other?.name} ${other?.cidr}`, 'subnets are separate links joined by the router, so their ranges must be apart; e.g. 192.168.1.0/24 and 192.168.2.0/24');
    } else if (network && !cidrWithin(range, network)) {
      this.fail(field, `${who} ${s.cidr} is outside network.cidr ${formatCIDR(network)}`, 'network.cidr sums up the subnets: make it hold every subnet, or remove it to get a range that does');
    } else if (cluster && cidrsOverlap(cluster, range)) {
      this.fail(field, `${who} ${s.cidr} overlaps clusterCIDR ${formatCIDR(cluster)}`, 'node and Pod addresses must not mix, or routes become ambiguous; use separate ranges');
    } else if (bridge && cidrsOverlap(bridge, range)) {
      this.fail(field, `${who} ${s.cidr} overlaps the Docker host's bridgeCIDR ${formatCIDR(bridge)}`, "docker0's range must be apart from the node network; move the subnet or the bridgeCIDR");
    }
    return range;
  }

  private routerName(t: Topology, name: string): void {
    if (name === '') return;
    this.name('router', name, 'network.router.name');
    const taken = clusterEndpointNames(t);
    for (const s of t.services ?? []) if (s.name !== '' && !taken.has(s.name)) taken.set(s.name, `Service ${s.name}`);
    if (t.client && t.client.name !== '' && !taken.has(t.client.name)) taken.set(t.client.name, `the client ${t.client.name}`);
    const other = taken.get(name);
    if (other !== undefined) {
      this.fail('network.router.name', `router name '${name}' is already the name of ${other}`, 'every name in the lab is an endpoint of a trace, so give the router its own name');
    }
  }

  /** A node is in the subnet it names (or its ip's), at a host address that is not the router's. */
  private node(n: NodeSpec, path: string, subnets: SubnetSpec[], ranges: (Cidr | undefined)[]): void {
    const who = `node ${n.name || path}`;
    if (n.subnet !== undefined && !subnets.some((s) => s.name === n.subnet)) {
      this.fail(`${path}.subnet`, `${who} is in unknown subnet '${n.subnet}'`, `use one of the subnets: ${subnets.map((s) => s.name).join(', ')}`);
      return;
    }
    this.machine(n.ip, `${path}.ip`, who, subnets, ranges, n.subnet);
  }

  /** An address in one of the subnets (in `named` when given), at a host address that is not the router's there. */
  private machine(ip: string, field: string, who: string, subnets: SubnetSpec[], ranges: (Cidr | undefined)[], named?: string): void {
    if (ip === '') return;
    const index = named !== undefined ? subnets.findIndex((s) => s.name === named) : ranges.findIndex((c) => c !== undefined && this.holds(c, ip));
    const range = ranges[index];
    if (index < 0) {
      const known = subnets.map((s) => `${s.name} ${s.cidr}`).join(', ');
      if (this.hostIp(ip, field, who) !== undefined) this.fail(field, `${who} (${ip}) is in no subnet of network.subnets`, `give it an address in one of them: ${known}`);
      return;
    }
    if (!range) return; // the subnet's own range is invalid, and reported there
    const s = subnets[index];
    if (this.hostIp(ip, field, who, range, `its subnet ${s.name}`) === undefined || !this.holds(range, ip)) return;
    if (ip === s.routerIP) this.fail(field, `${who} has the router's address ${ip} in subnet ${s.name}`, 'give it another address; the router holds routerIP');
  }

  private holds(range: Cidr, ip: string): boolean {
    const c = tryParseCIDR(`${ip}/32`);
    return c !== undefined && cidrWithin(c, range);
  }

  /** A vxlan node and a routed node on different subnets cannot reach each other's Pods: report it once per node, at the later one. */
  private vxlanMix(nodes: NodeSpec[]): void {
    nodes.forEach((n, i) => {
      if (n.subnet === undefined) return;
      const vxlan = n.cni === 'vxlan';
      const other = nodes.slice(0, i).find((o) => o.subnet !== undefined && o.subnet !== n.subnet && (o.cni === 'vxlan') !== vxlan);
      if (!other) return;
      const [v, p] = vxlan ? [n, other] : [other, n];
      this.fail(`nodes[${i}].cni`,
        `node ${v.name} (vxlan, subnet ${v.subnet}) and node ${p.name} (${p.cni ?? 'bridge'}, subnet ${p.subnet}) could not reach each other's Pods: ` +
        `only vxlan nodes tunnel to each other, and the router between the subnets knows no Pod CIDR`,
        'make both nodes vxlan, or put them on one subnet');
    });
  }
}

/** Every rule the subnets, the router and the nodes' places in them break; `where` maps a field path to its place in the file. */
export function checkNetwork(t: Topology, where: (field: string) => SpecLocation): SpecError[] {
  return new NetworkChecker(where).run(t);
}
