/** Rule checks for the Service parts of a topology (issue 11): serviceCIDR, Services, and the outside client. */
import { CheckBase, DNS_1035_LABEL, DNS_LABEL, tryParseCIDR } from './checkBase';
import { Cidr, cidrContains, cidrsOverlap, formatCIDR } from './cidr';
import { SERVICE_DEFAULTS } from './serviceSpec';
import type { ServiceSpec, SpecError, SpecLocation, Topology } from './topology';

/** The most Services one lab holds (each adds nft chains on every node). */
export const MAX_SERVICES = 200;
/** Kubernetes refuses IPv4 service ranges larger than a /12 (2^20 addresses). */
const LARGEST_SERVICE_PREFIX = 12;
const ENDPOINT_HINT = 'nodes, Pods, Services, the client, the router and the Docker host and its containers are all endpoints of a trace, so each needs its own name';

/** Every endpoint name of `t` that comes before Services, with what it names: nodes, Pods, the Docker host and its containers. */
export function clusterEndpointNames(t: Topology): Map<string, string> {
  const taken = new Map<string, string>();
  const add = (name: string, what: string) => {
    if (name !== '' && !taken.has(name)) taken.set(name, what);
  };
  for (const n of t.nodes) add(n.name, `node ${n.name}`);
  for (const p of t.pods) add(p.name, `Pod ${p.name}`);
  if (t.dockerHost) {
    add(t.dockerHost.name, `the Docker host ${t.dockerHost.name}`);
    for (const c of t.dockerHost.containers) add(c.name, `Docker container ${c.name}`);
  }
  return taken;
}

class ServiceChecker extends CheckBase {
  run(t: Topology): SpecError[] {
    const range = t.serviceCIDR === undefined ? undefined : this.serviceCIDR(t, t.serviceCIDR);
    const taken = clusterEndpointNames(t);
    if ((t.services?.length ?? 0) > MAX_SERVICES) {
      this.fail('services', `${t.services?.length} Services is more than the lab limit of ${MAX_SERVICES}`, 'remove Services or split the lab in two');
    }
    const pods = new Set(t.pods.map((p) => p.name));
    const clusterIPs = new Map<number, string>();
    const nodePorts = new Map<number, string>();
    (t.services ?? []).forEach((s, i) => {
      const path = `services[${i}]`;
      this.serviceName(s.name, `${path}.name`, taken);
      this.selector(s, path, pods);
      if (s.port !== -1) this.portInRange(s.port, `${path}.port`, 'port');
      if (s.targetPort !== s.port && s.targetPort !== -1) this.portInRange(s.targetPort, `${path}.targetPort`, 'targetPort');
      this.clusterIP(s, path, range, clusterIPs);
      this.nodePort(s, path, nodePorts);
    });
    if (t.client) this.client(t, taken);
    return this.errors;
  }

  private serviceCIDR(t: Topology, value: string): Cidr | undefined {
    const range = this.cidr(value, 'serviceCIDR');
    if (!range) return undefined;
    if (range.prefix < LARGEST_SERVICE_PREFIX) {
      this.fail('serviceCIDR', `serviceCIDR ${value} is larger than /${LARGEST_SERVICE_PREFIX}`, 'Kubernetes allows at most a /12 for Services; use 10.96.0.0/12 (the default) or smaller');
      return undefined;
    }
    // With subnets, network.cidr only sums them up (it may hold unused space); each subnet is checked instead.
    const others: [string, string | undefined][] = [
      ['the node network', t.network.subnets ? undefined : t.network.cidr],
      ['clusterCIDR', t.clusterCIDR],
      ...(t.network.subnets ?? []).map((s): [string, string] => [`subnet ${s.name}`, s.cidr]),
      ...(t.dockerHost ? [["the Docker host's bridgeCIDR", t.dockerHost.bridgeCIDR] as [string, string]] : []),
    ];
    for (const [what, cidr] of others) {
      const other = cidr === undefined ? undefined : tryParseCIDR(cidr);
      if (other && cidrsOverlap(other, range)) {
        const dflt = value === SERVICE_DEFAULTS.serviceCIDR ? ' (the default when serviceCIDR is not written)' : '';
        this.fail('serviceCIDR', `serviceCIDR ${value}${dflt} overlaps ${what} ${formatCIDR(other)}`,
          'a Service IP must never be a real address, or its DNAT would hijack that traffic; set serviceCIDR to a range apart from the others');
        return range;
      }
    }
    return range;
  }

  /** A Service name: a DNS-1035 label no other endpoint uses. */
  private serviceName(name: string, field: string, taken: Map<string, string>): void {
    if (name === '') return;
    this.name('Service', name, field);
    if (name.length <= 63 && DNS_LABEL.test(name) && !DNS_1035_LABEL.test(name)) {
      this.fail(field, `Service name '${name}' starts with a digit`, 'Kubernetes Service names start with a letter (RFC 1035), e.g. web or svc-1');
    }
    this.unique(name, field, 'Service', taken);
  }

  private unique(name: string, field: string, kind: string, taken: Map<string, string>): void {
    const other = taken.get(name);
    if (other !== undefined) this.fail(field, `${kind} name '${name}' is already the name of ${other}`, ENDPOINT_HINT);
    else taken.set(name, `${kind} ${name}`);
  }

  private selector(s: ServiceSpec, path: string, pods: Set<string>): void {
    const seen = new Set<string>();
    s.selector.pods?.forEach((pod, j) => {
      const field = `${path}.pods[${j}]`;
      if (pod === '') return;
      if (seen.has(pod)) this.fail(field, `Service ${s.name || path} lists Pod ${pod} twice`, 'list each Pod once');
      else if (!pods.has(pod)) {
        this.fail(field, `Service ${s.name || path} selects Pod '${pod}', which is not in pods`,
          `check the spelling (Pods: ${[...pods].join(', ') || 'none'}); to select Pods that may come later, use a label selector`);
      }
      seen.add(pod);
    });
  }

  private clusterIP(s: ServiceSpec, path: string, range: Cidr | undefined, seen: Map<number, string>): void {
    const field = `${path}.clusterIP`;
    const ip = this.hostIp(s.clusterIP, field, `Service ${s.name || path}`, range, 'serviceCIDR');
    if (ip === undefined || (range && !cidrContains(range, ip))) return;
    const other = seen.get(ip);
    if (other !== undefined) this.fail(field, `Services ${other} and ${s.name || path} both have clusterIP ${s.clusterIP}`, 'every Service needs its own clusterIP; remove clusterIP to get a free one');
    else seen.set(ip, s.name || path);
  }

  private nodePort(s: ServiceSpec, path: string, seen: Map<number, string>): void {
    const field = `${path}.nodePort`;
    if (s.type !== 'NodePort') {
      if (s.nodePort !== undefined) this.fail(field, `Service ${s.name || path} has a nodePort but type ${s.type}`, 'add `type: NodePort`, or remove nodePort');
      if (s.externalTrafficPolicy === 'Local') {
        this.fail(`${path}.externalTrafficPolicy`, `externalTrafficPolicy Local applies only to traffic from outside, which a ${s.type} Service does not take`, 'add `type: NodePort`, or remove externalTrafficPolicy');
      }
      return;
    }
    if (s.nodePort === undefined) return;
    const [low, high] = SERVICE_DEFAULTS.nodePortRange;
    if (s.nodePort < low || s.nodePort > high) {
      this.fail(field, `nodePort ${s.nodePort} is outside the NodePort range ${low}-${high}`, `pick a port from ${low} to ${high}, or remove nodePort to get a free one`);
      return;
    }
    const other = seen.get(s.nodePort);
    if (other !== undefined) this.fail(field, `Services ${other} and ${s.name || path} both use nodePort ${s.nodePort}`, 'a node port leads to one Service only; pick another, or remove nodePort to get a free one');
    else seen.set(s.nodePort, s.name || path);
  }

  private client(t: Topology, taken: Map<string, string>): void {
    const c = t.client;
    if (!c) return;
    if (c.name !== '') {
      this.name('client', c.name, 'client.name');
      this.unique(c.name, 'client.name', 'client', taken);
    }
    // With subnets, networkChecks.ts places the client in one of them.
    const network = t.network.subnets ? undefined : tryParseCIDR(t.network.cidr);
    if (this.hostIp(c.ip, 'client.ip', `client ${c.name || 'client'}`, network) === undefined) return;
    const node = t.nodes.find((n) => n.ip === c.ip);
    if (node) this.fail('client.ip', `client ${c.name} has the same ip ${c.ip} as node ${node.name}`, 'give the client its own address on the network, e.g. host number 50');
    else if (t.dockerHost?.ip === c.ip) this.fail('client.ip', `client ${c.name} has the same ip ${c.ip} as the Docker host`, 'give the client its own address on the network, e.g. host number 50');
  }
}

/** Every rule the Service parts of `t` break; `where` maps a field path to its place in the file. */
export function checkServices(t: Topology, where: (field: string) => SpecLocation): SpecError[] {
  return new ServiceChecker(where).run(t);
}
