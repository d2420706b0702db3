/**
 * The Service parts of a topology file (issue 11): `serviceCIDR:`, `services:` and `client:`. Reading and
 * defaults live here; the rules are in serviceChecks.ts. See docs/topology.md for the same in prose.
 *
 *   serviceCIDR: string       optional, default 10.96.0.0/12 (kubeadm's and kind's); apart from every other range
 *   services:                 optional, at most 200
 *     - name: string          required; DNS-1035 label (starts with a letter), unique among every endpoint name
 *       selector: {k: v}      the Pods whose labels hold every pair, or
 *       pods: [names]         the Pods named; exactly one of selector and pods
 *       port: integer         required, 1 to 65535: the Service's port on its clusterIP
 *       targetPort: integer   default port: the Pods' port
 *       protocol: TCP | UDP   default TCP (any case)
 *       type: ClusterIP | NodePort          default ClusterIP
 *       clusterIP: string     default host number 100+index of serviceCIDR (the next free one)
 *       nodePort: integer     NodePort only; 30000 to 32767; default 30080+index (the next free one)
 *       externalTrafficPolicy: Cluster | Local   default Cluster; Local only with NodePort
 *   client:                   optional; `client: {}` gives every default
 *     name: string            default outside; unique among every endpoint name
 *     ip: string              default host number 50 of the node network (192.168.1.50), or of the first subnet
 */
import { isScalar, type Node } from 'yaml';
import { formatIPv4, nthHost, parseCIDR, parseIPv4, cidrSize } from './cidr';
import { readLabels } from './labels';
import { subnetHolding } from './networkSpec';
import type { OutsideClientSpec, SubnetSpec, ServiceSpec, ServiceType, ExternalTrafficPolicy, ServiceProtocol } from './topology';
import type { Fields, SpecReader } from './topologyYaml';

/** Defaults of the Service parts: kubeadm's service range, the ClusterIP and NodePort numbering, the client's name and host number. */
export const SERVICE_DEFAULTS = {
  serviceCIDR: '10.96.0.0/12', clusterIPHost: 100, nodePort: 30080, nodePortRange: [30000, 32767], clientName: 'outside', clientHost: 50,
} as const;

const SERVICE_KEYS = ['name', 'selector', 'pods', 'port', 'targetPort', 'protocol', 'type', 'clusterIP', 'nodePort', 'externalTrafficPolicy'];
const CLIENT_KEYS = ['name', 'ip'];
const TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort'];
const POLICIES: readonly ExternalTrafficPolicy[] = ['Cluster', 'Local'];

/** A read Service and which of its defaults are still to be chosen (they depend on every other Service). */
interface ReadService {
  spec: ServiceSpec;
  clusterIPGiven: boolean;
  nodePortGiven: boolean;
}

/** Reads `services:` (`node` undefined means written without a value: none); defaults ClusterIPs from `serviceCIDR`. */
export function readServices(r: SpecReader, node: Node | undefined, serviceCIDR: string): ServiceSpec[] {
  const items = r.list(node, 'services', '- {name: web, selector: {app: web}, port: 80, targetPort: 8080}') ?? [];
  const read = items.map((item, i) => readService(r, item, `services[${i}]`));
  assignClusterIPs(r, read, serviceCIDR);
  assignNodePorts(read);
  return read.map((s) => s.spec);
}

function readService(r: SpecReader, item: Node | undefined, path: string): ReadService {
  const f = item === undefined ? undefined : r.map(item, path, SERVICE_KEYS, `${path} (a Service)`, '`- {name: web, selector: {app: web}, port: 80}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: web, selector: {app: web}, port: 80}`');
  if (!f) return { spec: emptyService(), clusterIPGiven: true, nodePortGiven: true };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: web`');
  const port = r.int(f, 'port');
  if (f.get('port') === undefined) r.fail(`${path}.port`, `Service ${name ?? path} has no port`, 'add `port: 80`: the port clients connect to on its clusterIP');
  const type = oneOf(r, f, 'type', TYPES, 'ClusterIP (a virtual IP inside the cluster) or NodePort (that plus a port on every node)') ?? 'ClusterIP';
  const nodePort = f.get('nodePort') === undefined ? undefined : r.int(f, 'nodePort');
  const spec: ServiceSpec = {
    name: name ?? '',
    selector: readSelector(r, f, path, name ?? path),
    type,
    clusterIP: (f.get('clusterIP') === undefined ? undefined : r.str(f, 'clusterIP')) ?? '',
    protocol: readProtocol(r, f),
    // -1: missing or mistyped, already reported; the checks skip it rather than add a follow-on error.
    port: port ?? -1,
    targetPort: (f.get('targetPort') === undefined ? undefined : r.int(f, 'targetPort')) ?? port ?? -1,
    externalTrafficPolicy: oneOf(r, f, 'externalTrafficPolicy', POLICIES, 'Cluster (any node\'s endpoint, source masqueraded) or Local (this node\'s endpoints, source kept)') ?? 'Cluster',
    ...(nodePort !== undefined ? { nodePort } : {}),
  };
  return { spec, clusterIPGiven: f.get('clusterIP') !== undefined, nodePortGiven: f.get('nodePort') !== undefined };
}

function emptyService(): ServiceSpec {
  return { name: '', selector: { pods: [] }, type: 'ClusterIP', clusterIP: '', protocol: 'tcp', port: -1, targetPort: -1, externalTrafficPolicy: 'Cluster' };
}

function oneOf<T extends string>(r: SpecReader, f: Fields, key: string, allowed: readonly T[], meaning: string): T | undefined {
  const value = f.get(key) === undefined ? undefined : r.str(f, key);
  if (value === undefined) return undefined;
  if (allowed.includes(value as T)) return value as T;
  const near = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  r.fail(`${f.path}.${key}`, `${f.path}.${key} '${value}' is not one of ${allowed.join(', ')}`, near ? `write '${near}' (Kubernetes spells it so)` : `use ${meaning}`);
  return undefined;
}

function readProtocol(r: SpecReader, f: Fields): ServiceProtocol {
  const value = f.get('protocol') === undefined ? undefined : r.str(f, 'protocol');
  const lower = value?.toLowerCase();
  if (lower === undefined || lower === 'tcp' || lower === 'udp') return lower ?? 'tcp';
  r.fail(`${f.path}.protocol`, `${f.path}.protocol '${value}' is not a protocol the lab's Services carry`, 'use TCP (the default) or UDP');
  return 'tcp';
}

function readSelector(r: SpecReader, f: Fields, path: string, who: string): ServiceSpec['selector'] {
  const hasLabels = f.get('selector') !== undefined;
  const hasPods = f.get('pods') !== undefined;
  if (hasLabels && hasPods) {
    r.fail(`${path}.pods`, `Service ${who} has both selector and pods`, 'keep one: `selector: {app: web}` picks Pods by label, `pods: [pod-a]` by name');
  } else if (!hasLabels && !hasPods) {
    r.fail(path, `Service ${who} selects no Pods: it has neither selector nor pods`, 'add `selector: {app: web}` (Pods by label) or `pods: [pod-a, pod-c]` (Pods by name)');
  }
  if (hasPods) {
    const items = r.list(f.get('pods'), `${path}.pods`, '- pod-a') ?? [];
    if (items.length === 0) r.fail(`${path}.pods`, `${path}.pods is empty`, 'name at least one Pod, or select by label with `selector:`');
    const pods = items.map((item, j) => podName(r, item, `${path}.pods[${j}]`));
    return { pods };
  }
  const read = readLabels(r, f.get('selector'), `${path}.selector`);
  const labels = read ?? {};
  // undefined: the selector is not a mapping, and readLabels has said so (one error, no 'has no labels' after it)
  if (hasLabels && read && Object.keys(labels).length === 0) r.fail(`${path}.selector`, `${path}.selector has no labels`, 'give at least one label, e.g. `selector: {app: web}`');
  return { labels };
}

function podName(r: SpecReader, item: Node | undefined, field: string): string {
  if (isScalar(item) && typeof item.value === 'string' && item.value !== '') return item.value;
  r.fail(field, `${field} must be a Pod name, got ${isScalar(item) ? `'${String(item.value)}'` : 'nothing or a mapping'}`, 'list Pod names, e.g. `pods: [pod-a, pod-c]`');
  return '';
}

function assignClusterIPs(r: SpecReader, read: ReadService[], serviceCIDR: string): void {
  let range;
  try {
    range = parseCIDR(serviceCIDR);
  } catch {
    return; // an invalid serviceCIDR is reported at serviceCIDR; no default can be drawn from it
  }
  const taken = new Set(read.filter((s) => s.clusterIPGiven).map((s) => tryIPv4(s.spec.clusterIP)));
  read.forEach((s, i) => {
    if (s.clusterIPGiven) return;
    let host = SERVICE_DEFAULTS.clusterIPHost + i;
    while (host <= cidrSize(range) - 2 && taken.has(range.network + host)) host++;
    if (host > cidrSize(range) - 2) {
      r.fail(`services[${i}].clusterIP`, `no default clusterIP: serviceCIDR ${serviceCIDR} has no free host number from ${SERVICE_DEFAULTS.clusterIPHost + i} on`,
        'give this Service a clusterIP, or use a larger serviceCIDR such as 10.96.0.0/12');
      return;
    }
    taken.add(range.network + host);
    s.spec.clusterIP = formatIPv4(nthHost(range, host));
  });
}

function assignNodePorts(read: ReadService[]): void {
  const taken = new Set(read.filter((s) => s.nodePortGiven).map((s) => s.spec.nodePort));
  read.forEach((s, i) => {
    if (s.nodePortGiven || s.spec.type !== 'NodePort') return;
    const port = nextFreePort(SERVICE_DEFAULTS.nodePort + i, taken);
    if (port === undefined) return; // 200 Services cannot fill 2768 ports; the limit is reported at services
    taken.add(port);
    s.spec.nodePort = port;
  });
}

/** The first port from `from` up to 32767, then from 30000, that is not in `taken`. */
export function nextFreePort(from: number, taken: ReadonlySet<number | undefined>): number | undefined {
  const [low, high] = SERVICE_DEFAULTS.nodePortRange;
  for (let k = 0; k <= high - low; k++) {
    const port = low + ((Math.max(low, Math.min(from, high)) - low + k) % (high - low + 1));
    if (!taken.has(port)) return port;
  }
  return undefined;
}

function tryIPv4(s: string): number | undefined {
  try {
    return parseIPv4(s);
  } catch {
    return undefined; // a bad clusterIP is reported at its own field; here it only takes no address
  }
}

/** Reads `client:` (undefined `node`: written without a value, every default); default ip host 50 of `network`; with subnets its `subnet` is set. */
export function readClient(r: SpecReader, node: Node | undefined, network: string, subnets?: readonly SubnetSpec[]): OutsideClientSpec {
  const f = r.map(node, 'client', CLIENT_KEYS, 'client', '`client: {name: outside}`');
  if (node !== undefined && !f) return { name: '', ip: '' };
  const name = (f?.get('name') === undefined ? SERVICE_DEFAULTS.clientName : f && r.str(f, 'name')) ?? '';
  const ip = (f?.get('ip') !== undefined ? f && r.str(f, 'ip') : defaultClientIp(r, network)) ?? '';
  const subnet = subnets ? subnetHolding(subnets, ip)?.name : undefined;
  return { name, ip, ...(subnet !== undefined ? { subnet } : {}) };
}

function defaultClientIp(r: SpecReader, network: string): string {
  let cidr;
  try {
    cidr = parseCIDR(network);
  } catch {
    return ''; // an invalid network is reported at network.cidr
  }
  try {
    return formatIPv4(nthHost(cidr, SERVICE_DEFAULTS.clientHost));
  } catch {
    r.fail('client.ip', `no default ip for the client: network ${network} has no host number ${SERVICE_DEFAULTS.clientHost}`, 'give client an ip, or use a larger network');
    return '';
  }
}

/** One Service as plain data with every default written out, for `topologyToYaml`. */
export function serviceToPlain(s: ServiceSpec): object {
  return {
    name: s.name,
    ...(s.selector.pods ? { pods: [...s.selector.pods] } : { selector: { ...s.selector.labels } }),
    type: s.type,
    clusterIP: s.clusterIP,
    protocol: s.protocol.toUpperCase(),
    port: s.port,
    targetPort: s.targetPort,
    ...(s.nodePort !== undefined ? { nodePort: s.nodePort } : {}),
    externalTrafficPolicy: s.externalTrafficPolicy,
  };
}
