/** Validates a Service added to a running lab (`podnet service create`) against the lab's topology, Pods and Services. */
import { LabError } from '../providers/embedded/control/labError';
import type { ServiceRequest } from '../providers/embedded/control/protocol';
import { DNS_1035_LABEL } from './checkBase';
import { broadcastAddress, cidrContains, cidrSize, formatIPv4, parseCIDR, parseIPv4, type Cidr } from './cidr';
import { labelsProblem } from './labels';
import { MAX_SERVICES } from './serviceChecks';
import { SERVICE_DEFAULTS, nextFreePort } from './serviceSpec';
import type { ServiceSelector, ServiceSpec, Topology } from './topology';

function bad(message: string, field: string): LabError {
  return new LabError(message, 'BAD_REQUEST', field);
}

function checkPort(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) throw bad(`${field} ${String(value)} is not between 1 and 65535`, field);
  return value;
}

/**
 * What in a running lab already has `name` ('a node', 'a Pod', 'a Service', ...), or undefined: every endpoint name is unique
 * because a trace resolves endpoints by name. `pods` and `services` are the lab's current ones; the daemon checks new Pods with it too.
 */
export function endpointOwner(
  topology: Topology, pods: readonly { name: string }[], name: string, services: readonly { name: string }[] = [],
): string | undefined {
  if (topology.nodes.some((n) => n.name === name)) return 'a node';
  if (pods.some((p) => p.name === name)) return 'a Pod';
  if (services.some((x) => x.name === name)) return 'a Service';
  if (topology.dockerHost?.name === name) return 'the Docker host';
  if (topology.dockerHost?.containers.some((c) => c.name === name)) return 'a Docker container';
  if (topology.client?.name === name) return 'the outside client';
  if (topology.network.router?.name === name) return 'the router';
  return undefined;
}

function checkName(topology: Topology, existing: readonly ServiceSpec[], pods: readonly { name: string }[], value: unknown): string {
  if (typeof value !== 'string' || !DNS_1035_LABEL.test(value) || value.length > 63) {
    throw bad(`Service name "${String(value)}" is not valid: use lowercase letters, digits and "-", starting with a letter, at most 63 characters`, 'name');
  }
  if (existing.some((s) => s.name === value)) throw new LabError(`service "${value}" already exists; delete it first or pick another name`, 'CONFLICT', 'name');
  const owner = endpointOwner(topology, pods, value);
  if (owner) throw new LabError(`"${value}" is already the name of ${owner}; every name is a trace endpoint, so pick another`, 'CONFLICT', 'name');
  return value;
}

function checkSelector(value: unknown, pods: readonly { name: string }[]): ServiceSelector {
  const sel = (typeof value === 'object' && value !== null ? value : {}) as ServiceSelector;
  const hasLabels = sel.labels !== undefined;
  if (hasLabels === (sel.pods !== undefined)) throw bad('a Service selects Pods either by labels (selector.labels) or by name (selector.pods): give exactly one', 'selector');
  if (hasLabels) {
    const labels = sel.labels as unknown;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels) || Object.keys(labels).length === 0) {
      throw bad('selector.labels must be a non-empty mapping of label keys to values, such as {"app": "web"}', 'selector.labels');
    }
    const problem = labelsProblem(labels as Record<string, string>);
    if (problem) throw bad(problem.problem, `selector.labels.${problem.key}`);
    return { labels: { ...(labels as Record<string, string>) } };
  }
  if (!Array.isArray(sel.pods) || sel.pods.length === 0) throw bad('selector.pods must be a non-empty list of Pod names', 'selector.pods');
  const known = new Set(pods.map((p) => p.name));
  sel.pods.forEach((pod, j) => {
    if (typeof pod !== 'string' || !known.has(pod)) {
      throw new LabError(`pod "${String(pod)}" does not exist (Pods: ${[...known].join(', ') || 'none'}); to select Pods that may come later, select by label`, 'NOT_FOUND', `selector.pods[${j}]`);
    }
    if (sel.pods?.indexOf(pod) !== j) throw bad(`pod "${pod}" is listed twice`, `selector.pods[${j}]`);
  });
  return { pods: [...sel.pods] };
}

function checkClusterIP(range: Cidr, existing: readonly ServiceSpec[], value: unknown): string {
  const taken = new Set(existing.map((s) => s.clusterIP));
  if (value === undefined) {
    for (let host = SERVICE_DEFAULTS.clusterIPHost; host <= cidrSize(range) - 2; host++) {
      const ip = formatIPv4(range.network + host);
      if (!taken.has(ip)) return ip;
    }
    throw new LabError(`the service range ${formatIPv4(range.network)}/${range.prefix} has no free address left; delete a Service first`, 'CONFLICT', 'clusterIP');
  }
  let ip: number;
  try {
    ip = parseIPv4(String(value));
  } catch (e) {
    const err = bad(`clusterIP ${String(value)} is not an IPv4 address: ${(e as Error).message}`, 'clusterIP');
    err.cause = e; // LabError's constructor takes no options; the parse error stays attached
    throw err;
  }
  if (typeof value !== 'string' || !cidrContains(range, ip) || ip === range.network || ip === broadcastAddress(range)) {
    throw bad(`clusterIP ${String(value)} is not a host address of the service range ${formatIPv4(range.network)}/${range.prefix}; pick one inside it, or leave it out to get the next free one`, 'clusterIP');
  }
  const owner = existing.find((s) => s.clusterIP === formatIPv4(ip));
  if (owner) throw new LabError(`clusterIP ${value} is already Service ${owner.name}'s; pick another, or leave it out to get the next free one`, 'CONFLICT', 'clusterIP');
  return formatIPv4(ip);
}

function checkNodePort(existing: readonly ServiceSpec[], value: unknown): number {
  const taken = new Set(existing.map((s) => s.nodePort));
  const [low, high] = SERVICE_DEFAULTS.nodePortRange;
  if (value === undefined) {
    const port = nextFreePort(SERVICE_DEFAULTS.nodePort, taken);
    if (port === undefined) throw new LabError(`every node port ${low}-${high} is taken; delete a NodePort Service first`, 'CONFLICT', 'nodePort');
    return port;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) throw bad(`nodePort ${String(value)} is outside the NodePort range ${low}-${high}; pick a port from ${low} to ${high}, or leave it out to get a free one`, 'nodePort');
  const owner = existing.find((s) => s.nodePort === value);
  if (owner) throw new LabError(`nodePort ${value} is already used by Service ${owner.name}; pick another, or leave it out to get a free one`, 'CONFLICT', 'nodePort');
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (value === undefined) return fallback;
  if (allowed.includes(value as T)) return value as T;
  throw bad(`${field} "${String(value)}" is not one of ${allowed.join(', ')}`, field);
}

/**
 * Returns the full ServiceSpec for `req` with the lab's defaults (next free ClusterIP from host 100, next free node port from 30080),
 * or throws a LabError naming the bad field. `pods` are the lab's current Pods (default: the topology's).
 */
export function validateServiceAddition(
  topology: Topology, existing: readonly ServiceSpec[], req: ServiceRequest, pods: readonly { name: string }[] = topology.pods,
): ServiceSpec {
  const name = checkName(topology, existing, pods, req?.name);
  if (existing.length >= MAX_SERVICES) throw new LabError(`the lab already has ${existing.length} Services, its limit; delete one first`, 'CONFLICT', 'name');
  const selector = checkSelector(req.selector, pods);
  const port = checkPort(req.port, 'port');
  const targetPort = req.targetPort === undefined ? port : checkPort(req.targetPort, 'targetPort');
  const protocol = oneOf(typeof req.protocol === 'string' ? req.protocol.toLowerCase() : req.protocol, ['tcp', 'udp'] as const, 'tcp', 'protocol');
  const type = oneOf(req.type, ['ClusterIP', 'NodePort'] as const, 'ClusterIP', 'type');
  const externalTrafficPolicy = oneOf(req.externalTrafficPolicy, ['Cluster', 'Local'] as const, 'Cluster', 'externalTrafficPolicy');
  if (type !== 'NodePort' && req.nodePort !== undefined) throw bad(`a ${type} Service has no nodePort: make it type NodePort, or leave nodePort out`, 'nodePort');
  if (type !== 'NodePort' && externalTrafficPolicy === 'Local') {
    throw bad(`externalTrafficPolicy Local applies only to traffic from outside, which a ${type} Service does not take: make it type NodePort`, 'externalTrafficPolicy');
  }
  const clusterIP = checkClusterIP(parseCIDR(topology.serviceCIDR ?? SERVICE_DEFAULTS.serviceCIDR), existing, req.clusterIP);
  const nodePort = type === 'NodePort' ? checkNodePort(existing, req.nodePort) : undefined;
  return { name, selector, type, clusterIP, protocol, port, targetPort, externalTrafficPolicy, ...(nodePort !== undefined ? { nodePort } : {}) };
}
