/** The `nodes:` section of a topology file: each node's name, address, subnet, Pod range and CNI, with their defaults. */
import type { Node } from 'yaml';
import { tryParseCIDR } from './checkBase';
import { type Cidr, formatCIDR, formatIPv4, nthHost, subnet } from './cidr';
import { type NetworkRead, subnetHolding } from './networkSpec';
import type { NodeCni, NodeSpec } from './topology';
import type { SpecReader } from './topologyYaml';

const NODE_KEYS = ['name', 'ip', 'subnet', 'podCIDR', 'cni'];
const CNIS: readonly NodeCni[] = ['bridge', 'ptp', 'vxlan'];
/** A node's default address is host number 100 + k of its network or subnet. */
const FIRST_NODE_HOST = 100;

/** Computes default node addresses; stays silent when the base CIDR is invalid (that is reported elsewhere). */
export class NodeDefaults {
  private readonly cluster?: Cidr;
  private readonly perSubnet = new Map<string, number>();

  constructor(
    private readonly r: SpecReader,
    private readonly network: NetworkRead,
    cluster: string,
  ) {
    this.cluster = tryParseCIDR(cluster);
  }

  /** Host 100+index of the flat network; with subnets host 100+k of the node's subnet (the first one when it names none). */
  ip(index: number, path: string, subnetName?: string): string {
    const subnets = this.network.subnets;
    const target = subnets ? (subnetName === undefined ? subnets[0] : subnets.find((s) => s.name === subnetName)) : undefined;
    // An unknown subnet name is reported at nodes[i].subnet; no default can be drawn from it.
    if (subnets && !target) return '';
    const range = tryParseCIDR(target ? target.cidr : this.network.cidr);
    // A subnet smaller than /30 is reported at its cidr; a missing default here would only repeat that.
    if (!range || (target && range.prefix > 30)) return '';
    const host = FIRST_NODE_HOST + (target ? (this.perSubnet.get(target.name) ?? 0) : index);
    try {
      return formatIPv4(nthHost(range, host));
    } catch {
      const where = target ? `subnet ${target.name}` : 'network';
      this.r.fail(path, `no default ip: ${where} ${formatCIDR(range)} has no host number ${host}`, 'give this node an ip, or use a larger network');
      return '';
    }
  }

  /** Notes that one more node is in `subnetName`, for the next default address there. */
  count(subnetName: string | undefined): void {
    if (subnetName !== undefined) this.perSubnet.set(subnetName, (this.perSubnet.get(subnetName) ?? 0) + 1);
  }

  podCIDR(index: number, path: string): string {
    if (!this.cluster) return '';
    try {
      return formatCIDR(subnet(this.cluster, 24, index + 1));
    } catch {
      this.r.fail(path, `no default podCIDR: clusterCIDR ${formatCIDR(this.cluster)} has no /24 number ${index + 1}`, 'give this node a podCIDR, or use a larger clusterCIDR');
      return '';
    }
  }
}

/** Reads one node at `nodes[i]`; problems go to `r`. With subnets the node's `subnet` is always set when it can be known. */
export function readNode(r: SpecReader, item: Node | undefined, i: number, defaults: NodeDefaults, network: NetworkRead): NodeSpec {
  const path = `nodes[${i}]`;
  const f = item === undefined ? undefined : r.map(item, path, NODE_KEYS, `${path} (a node)`, '`- {name: node1}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- name: node1`');
  if (!f) return { name: '', ip: '', podCIDR: '' };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: node1`');
  const subnetGiven = f.get('subnet') === undefined ? undefined : r.str(f, 'subnet');
  if (subnetGiven !== undefined && !network.subnets) {
    r.fail(`${path}.subnet`, `${path}.subnet is set but the network has no subnets`, 'add network.subnets, or remove subnet from the node');
  }
  const ip = (f.get('ip') === undefined ? defaults.ip(i, `${path}.ip`, subnetGiven) : r.str(f, 'ip')) ?? '';
  const nodeSubnet = network.subnets ? (subnetGiven ?? subnetHolding(network.subnets, ip)?.name) : undefined;
  defaults.count(nodeSubnet);
  const podCIDR = f.get('podCIDR') === undefined ? defaults.podCIDR(i, `${path}.podCIDR`) : r.str(f, 'podCIDR');
  const cni = f.get('cni') === undefined ? undefined : r.str(f, 'cni');
  const known = CNIS.includes(cni as NodeCni);
  if (cni !== undefined && !known) {
    r.fail(`${path}.cni`, `${path}.cni "${cni}" is not a CNI plugin the lab wires with`,
      'use bridge (cbr0, the default), ptp (kind-style: a /32 route per Pod, no bridge) or vxlan (cbr0 plus a Flannel-style VXLAN overlay)');
  }
  return { name: name ?? '', ip, podCIDR: podCIDR ?? '', ...(known ? { cni: cni as NodeCni } : {}), ...(nodeSubnet !== undefined ? { subnet: nodeSubnet } : {}) };
}
