/** Rule checks on a read `Topology`: names, addresses, overlaps, duplicates, limits, per-node capacity and the Docker host. */
import { DockerHostSpec, NodeSpec, PodSpec, SpecError, SpecLocation, Topology } from './topology';
import { Cidr, cidrsOverlap, cidrWithin, formatCIDR, hostCount, subnet } from './cidr';
import { CheckBase, tryParseCIDR } from './checkBase';
import { checkNetwork } from './networkChecks';
import { checkServices } from './serviceChecks';

/** Lab size limits: one machine runs every node and Pod as network namespaces and processes. */
export const LAB_LIMITS = { nodes: 16, pods: 1000, dockerContainers: 8 } as const;

const POD_CIDR_PREFIX = { largest: 16, smallest: 30 } as const;

/** What the Pod checks need to know about a node. */
interface NodeInfo {
  podCIDR?: Cidr;
}

/** Semantic checks on a read topology; '' values were already reported as missing and are skipped. */
class TopologyChecker extends CheckBase {
  run(t: Topology, nodesListed: boolean): SpecError[] {
    if (t.nodes.length > LAB_LIMITS.nodes) {
      this.fail('nodes', `${t.nodes.length} nodes is more than the lab limit of ${LAB_LIMITS.nodes}`, 'remove nodes or split the lab in two');
    }
    if (t.pods.length > LAB_LIMITS.pods) {
      this.fail('pods', `${t.pods.length} Pods is more than the lab limit of ${LAB_LIMITS.pods}`, 'remove Pods or split the lab in two');
    }
    this.name('lab', t.name, 'name');
    const network = this.cidr(t.network.cidr, 'network.cidr');
    const cluster = this.cidr(t.clusterCIDR, 'clusterCIDR');
    // With subnets, network.cidr only sums them up; networkChecks.ts keeps each subnet apart from clusterCIDR.
    if (network && cluster && !t.network.subnets && cidrsOverlap(network, cluster)) {
      this.fail('clusterCIDR', `clusterCIDR ${t.clusterCIDR} overlaps the node network ${t.network.cidr}`,
        'Pod and node addresses must not mix, or routes become ambiguous; use separate ranges such as 10.244.0.0/16 and 192.168.1.0/24');
    }
    // With subnets, networkChecks.ts places each address in its subnet instead of in the covering network.cidr.
    const hostNet = t.network.subnets ? undefined : network;
    const nodes = this.nodes(t.nodes, hostNet, cluster);
    this.pods(t.pods, nodesListed ? nodes : undefined);
    if (t.dockerHost) this.dockerHost(t.dockerHost, t, hostNet, cluster);
    return this.errors;
  }

  private nodes(list: NodeSpec[], network?: Cidr, cluster?: Cidr): Map<string, NodeInfo> {
    const byName = new Map<string, NodeInfo>();
    const ips = new Map<number, string>();
    const slices: { cidr: Cidr; node: string }[] = [];
    list.forEach((n, i) => {
      const path = `nodes[${i}]`;
      this.name('node', n.name, `${path}.name`);
      if (n.name !== '' && byName.has(n.name)) this.fail(`${path}.name`, `duplicate node name '${n.name}'`, 'give every node its own name');
      this.nodeIp(n, path, ips, network);
      const podCIDR = this.podCIDR(n, path, slices, cluster);
      if (n.name !== '' && !byName.has(n.name)) byName.set(n.name, { podCIDR });
    });
    return byName;
  }

  private nodeIp(n: NodeSpec, path: string, ips: Map<number, string>, network?: Cidr): void {
    const label = n.name || path;
    const ip = this.hostIp(n.ip, `${path}.ip`, `node ${label}`, network);
    if (ip === undefined) return;
    const other = ips.get(ip);
    if (other !== undefined) this.fail(`${path}.ip`, `node ${label} has the same ip ${n.ip} as node ${other}`, 'every node needs its own address on the network');
    else ips.set(ip, label);
  }

  /** Returns the podCIDR when it is usable for the capacity check. */
  private podCIDR(n: NodeSpec, path: string, slices: { cidr: Cidr; node: string }[], cluster?: Cidr): Cidr | undefined {
    const cidr = this.cidr(n.podCIDR, `${path}.podCIDR`);
    if (!cidr) return undefined;
    const field = `${path}.podCIDR`;
    const label = n.name || path;
    if (cidr.prefix < POD_CIDR_PREFIX.largest || cidr.prefix > POD_CIDR_PREFIX.smallest) {
      const size = cidr.prefix < POD_CIDR_PREFIX.largest ? 'larger than /16' : 'smaller than /30';
      this.fail(field, `podCIDR ${n.podCIDR} of node ${label} is ${size}`, 'use a prefix length from /16 to /30; /24 (253 Pods) is usual');
      return undefined;
    }
    if (cluster && !cidrWithin(cidr, cluster)) {
      this.fail(field, `podCIDR ${n.podCIDR} of node ${label} is outside clusterCIDR ${formatCIDR(cluster)}`,
        `carve each node's podCIDR out of clusterCIDR, e.g. ${formatCIDR(subnet(cluster, Math.max(cluster.prefix, 24), 0))}`);
    }
    const clash = slices.find((s) => cidrsOverlap(s.cidr, cidr));
    if (clash) {
      this.fail(field, `podCIDR ${n.podCIDR} of node ${label} overlaps podCIDR ${formatCIDR(clash.cidr)} of node ${clash.node}`,
        'give each node its own slice of clusterCIDR so every Pod IP is unique in the cluster');
    }
    slices.push({ cidr, node: label });
    return cidr;
  }

  /** `nodes` is undefined when the nodes list itself was unreadable, so node references cannot be judged. */
  private pods(list: PodSpec[], nodes?: Map<string, NodeInfo>): void {
    const seen = new Set<string>();
    const placed = new Map<string, number>();
    list.forEach((pod, i) => {
      const path = `pods[${i}]`;
      this.name('Pod', pod.name, `${path}.name`);
      if (pod.name !== '' && seen.has(pod.name)) this.fail(`${path}.name`, `duplicate Pod name '${pod.name}'`, 'give every Pod its own name');
      seen.add(pod.name);
      if (nodes && pod.node !== '') this.placement(pod, path, nodes, placed);
      this.containers(pod, path);
    });
  }

  private placement(pod: PodSpec, path: string, nodes: Map<string, NodeInfo>, placed: Map<string, number>): void {
    const node = nodes.get(pod.node);
    if (!node) {
      const known = [...nodes.keys()].join(', ') || 'none';
      this.fail(`${path}.node`, `Pod ${pod.name || path} is on unknown node '${pod.node}'`, `use one of the nodes: ${known}`);
      return;
    }
    const count = (placed.get(pod.node) ?? 0) + 1;
    placed.set(pod.node, count);
    const capacity = node.podCIDR ? hostCount(node.podCIDR) : Infinity;
    // Report only the first Pod that does not fit; the rest of the overflow is the same problem.
    if (count === capacity + 1) {
      this.fail(`${path}.node`, `node ${pod.node} is full: its podCIDR ${formatCIDR(node.podCIDR as Cidr)} holds ${capacity} Pods and Pod ${pod.name || path} would be number ${count}`,
        `give ${pod.node} a larger podCIDR (e.g. /23) or move Pods to another node`);
    }
  }

  private containers(pod: PodSpec, path: string): void {
    const names = new Set<string>();
    const ports = new Map<number, string>();
    pod.containers.forEach((c, j) => {
      const cpath = `${path}.containers[${j}]`;
      this.name('container', c.name, `${cpath}.name`);
      if (c.name !== '' && names.has(c.name)) this.fail(`${cpath}.name`, `duplicate container name '${c.name}' in Pod ${pod.name || path}`, 'give every container of a Pod its own name');
      names.add(c.name);
      if (c.port === undefined || !this.portInRange(c.port, `${cpath}.port`, 'port')) return;
      const other = ports.get(c.port);
      if (other !== undefined) {
        this.fail(`${cpath}.port`, `containers ${other} and ${c.name || cpath} of Pod ${pod.name || path} both use port ${c.port}`,
          'containers of a Pod share one network namespace and one IP, so their ports must differ');
      } else ports.set(c.port, c.name || cpath);
    });
  }

  /** The Docker host: its names are trace endpoints, its address is on the node network, docker0's range is apart from the cluster's. */
  private dockerHost(d: DockerHostSpec, t: Topology, hostNet?: Cidr, cluster?: Cidr): void {
    const taken = new Map<string, string>();
    for (const n of t.nodes) if (n.name !== '' && !taken.has(n.name)) taken.set(n.name, `node ${n.name}`);
    for (const p of t.pods) if (p.name !== '' && !taken.has(p.name)) taken.set(p.name, `Pod ${p.name}`);
    this.endpointName('Docker host', d.name, 'dockerHost.name', taken);
    const who = `Docker host ${d.name || 'dockerHost'}`;
    if (this.hostIp(d.ip, 'dockerHost.ip', who, hostNet) !== undefined) {
      const node = t.nodes.find((n) => n.ip === d.ip);
      if (node) this.fail('dockerHost.ip', `${who} has the same ip ${d.ip} as node ${node.name}`, 'give the Docker host its own address on the network, e.g. host number 10');
    }
    this.bridgeCIDR(d, t, hostNet, cluster);
    if (d.containers.length > LAB_LIMITS.dockerContainers) {
      this.fail('dockerHost.containers', `${d.containers.length} containers is more than the Docker host limit of ${LAB_LIMITS.dockerContainers}`, 'remove containers');
    }
    const published = new Map<number, string>();
    d.containers.forEach((c, i) => {
      const path = `dockerHost.containers[${i}]`;
      this.endpointName('Docker container', c.name, `${path}.name`, taken);
      this.portInRange(c.port, `${path}.port`, 'port');
      if (c.publish === undefined || !this.portInRange(c.publish, `${path}.publish`, 'publish port')) return;
      const other = published.get(c.publish);
      if (other !== undefined) {
        this.fail(`${path}.publish`, `containers ${other} and ${c.name || path} both publish host port ${c.publish}`, 'a host port leads to one container only; publish another port');
      } else published.set(c.publish, c.name || path);
    });
  }

  /** A Docker host or container name: a DNS label no node, Pod or other Docker endpoint uses. */
  private endpointName(kind: 'Docker host' | 'Docker container', name: string, field: string, taken: Map<string, string>): void {
    if (name === '') return;
    this.name(kind, name, field);
    const other = taken.get(name);
    if (other !== undefined) {
      this.fail(field, `${kind} name '${name}' is already the name of ${other}`, 'nodes, Pods, the Docker host and its containers are all endpoints of a trace, so each needs its own name');
    } else taken.set(name, `${kind} ${name}`);
  }

  private bridgeCIDR(d: DockerHostSpec, t: Topology, network?: Cidr, cluster?: Cidr): void {
    const field = 'dockerHost.bridgeCIDR';
    const bridge = this.cidr(d.bridgeCIDR, field);
    if (!bridge) return;
    const apart = "docker0's range must be apart from the node network and the Pod ranges, or a route could not tell a container from a node or a Pod; Docker's own default is 172.17.0.0/16";
    const podCIDRs = t.nodes.flatMap((n) => {
      const cidr = tryParseCIDR(n.podCIDR);
      return cidr ? [{ node: n.name || 'a node', cidr }] : [];
    });
    const pod = podCIDRs.find((p) => cidrsOverlap(p.cidr, bridge));
    if (network && cidrsOverlap(network, bridge)) this.fail(field, `bridgeCIDR ${d.bridgeCIDR} overlaps the node network ${formatCIDR(network)}`, apart);
    else if (cluster && cidrsOverlap(cluster, bridge)) this.fail(field, `bridgeCIDR ${d.bridgeCIDR} overlaps clusterCIDR ${formatCIDR(cluster)}`, apart);
    else if (pod) this.fail(field, `bridgeCIDR ${d.bridgeCIDR} overlaps podCIDR ${formatCIDR(pod.cidr)} of node ${pod.node}`, apart);
    else if (hostCount(bridge) < d.containers.length) {
      this.fail(field, `bridgeCIDR ${d.bridgeCIDR} holds ${hostCount(bridge)} containers and the Docker host has ${d.containers.length}`, 'use a larger range, such as 172.17.0.0/16');
    }
  }
}

/** Every rule broken by `t`; `where` maps a field path to its place in the file, `nodesListed` is false when the nodes list was unreadable. */
export function checkTopology(t: Topology, where: (field: string) => SpecLocation, nodesListed: boolean): SpecError[] {
  return [...new TopologyChecker(where).run(t, nodesListed), ...checkServices(t, where), ...checkNetwork(t, where)];
}
