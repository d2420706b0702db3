/**
 * Topology spec files: YAML (or JSON, which is YAML) text -> a validated, fully-defaulted `Topology`.
 *
 * Input schema (keys are case-sensitive; unknown keys are errors; `key:` with no value means "use the default"):
 *
 *   name: string            optional, default "lab"; DNS label, at most 63 characters
 *   network:                optional
 *     cidr: string          default 192.168.1.0/24: the "physical" network that joins the nodes
 *   clusterCIDR: string     optional, default 10.244.0.0/16; must not overlap network.cidr
 *   nodes:                  required, 1 to 16 entries
 *     - name: string        required; DNS label, at most 12 characters
 *       ip: string          optional, default host number 100+index of network.cidr (.100, .101, ...)
 *       podCIDR: string     optional, default the (index+1)-th /24 of clusterCIDR; /16 to /30, inside clusterCIDR
 *   pods:                   optional, default []; at most 1000 in total
 *     - name: string        required; DNS label, at most 63 characters
 *       node: string        required; the name of one of the nodes
 *       containers:         optional, default one container {name: web, workload: web, port: 8080}
 *         - name: string    required; DNS label, at most 15 characters
 *           workload: web | sidecar | sleep   optional, default web
 *           port: integer   1 to 65535; default 8080 for web, none for sidecar and sleep
 *
 * See docs/topology.md for the same in prose.
 */
import { Document, LineCounter, Node, YAMLMap, isAlias, isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import { ContainerSpec, NodeSpec, PodSpec, SpecError, SpecLocation, Topology, WorkloadKind } from './topology';
import {
  Cidr, cidrContains, cidrsOverlap, cidrWithin, broadcastAddress, formatCIDR, formatIPv4, hostCount, nthHost, parseCIDR, parseIPv4, subnet,
} from './cidr';

/** Lab size limits: one machine runs every node and Pod as network namespaces and processes. */
export const LAB_LIMITS = { nodes: 16, pods: 1000 } as const;

/** The article's two-node cluster, used when the user gives no topology. */
export const ARTICLE_TOPOLOGY_YAML = `# The lab from the article: two nodes, three Pods, one of them with a sidecar.
name: article

# The "physical" LAN the nodes sit on; each node's eth0 gets an address here.
network:
  cidr: 192.168.1.0/24

# The address pool for every Pod in the cluster. Each node gets its own slice
# (its podCIDR) so Pod IPs are unique cluster-wide without any NAT.
clusterCIDR: 10.244.0.0/16

# Each node: its LAN address, and the podCIDR its cbr0 bridge hands out from.
nodes:
  - name: node1
    ip: 192.168.1.100
    podCIDR: 10.244.1.0/24
  - name: node2
    ip: 192.168.1.101
    podCIDR: 10.244.2.0/24

# Pods and where they run. Containers of one Pod share its network namespace,
# so the sidecar can reach web on localhost:8080. A Pod without a containers
# list gets one "web" container listening on 8080.
pods:
  - name: pod-a
    node: node1
    containers:
      - name: web
        workload: web
        port: 8080
      - name: sidecar
        workload: sidecar
  - name: pod-b
    node: node1
  - name: pod-c
    node: node2
`;

const DEFAULT_NAME = 'lab';
const DEFAULT_NETWORK = '192.168.1.0/24';
const DEFAULT_CLUSTER = '10.244.0.0/16';
const DEFAULT_WEB_PORT = 8080;
const WORKLOADS: readonly WorkloadKind[] = ['web', 'sidecar', 'sleep'];
const TOP_KEYS = ['name', 'network', 'clusterCIDR', 'nodes', 'pods'];
const NETWORK_KEYS = ['cidr'];
const NODE_KEYS = ['name', 'ip', 'podCIDR'];
const POD_KEYS = ['name', 'node', 'containers'];
const CONTAINER_KEYS = ['name', 'workload', 'port'];

/** Parses and validates a topology; throws the first `SpecError` (in file order). */
export function parseTopology(text: string, file?: string): Topology {
  const { topology, errors } = readTopology(text, file);
  if (errors.length > 0 || !topology) throw errors[0];
  return topology;
}

/** Every problem in a topology text, in file order; empty when `parseTopology` would succeed. */
export function validateTopologyText(text: string, file?: string): SpecError[] {
  return readTopology(text, file).errors;
}

/** A valid benchmark topology: nodes node1..nodeN with default addresses, Pods `p<node>-<NNN>` with one web container. */
export function generateTopology(nodes: number, podsPerNode: number): Topology {
  const nodeList = Array.from({ length: nodes }, (_, i) => ({ name: `node${i + 1}` }));
  const pods = nodeList.flatMap((n, i) =>
    Array.from({ length: podsPerNode }, (_, j) => ({ name: `p${i + 1}-${String(j + 1).padStart(3, '0')}`, node: n.name })),
  );
  // Going through the text path means generated labs obey exactly the rules user files do.
  return parseTopology(stringify({ nodes: nodeList, pods }));
}

/** Serialises a topology with every default written out; `parseTopology` reads it back to an equal value. */
export function topologyToYaml(t: Topology): string {
  const plain = {
    name: t.name,
    network: { cidr: t.network.cidr },
    clusterCIDR: t.clusterCIDR,
    nodes: t.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR })),
    pods: t.pods.map((p) => ({
      name: p.name,
      node: p.node,
      containers: p.containers.map((c) => (c.port === undefined ? { name: c.name, workload: c.workload } : { ...c })),
    })),
  };
  return stringify(plain);
}

function readTopology(text: string, file?: string): { topology?: Topology; errors: SpecError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const r = new SpecReader(doc, lineCounter, file);
  if (doc.errors.length > 0) {
    // After a syntax error the tree is a guess; checking it would only add confusing follow-on errors.
    const errors = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return new SpecError(`YAML syntax error: ${e.message}`, withFile({ line, column: col }, file), 'fix the YAML syntax at this position');
    });
    return { errors };
  }
  const read = readRoot(r, doc.contents ?? undefined);
  const errors = [...r.errors];
  if (read) errors.push(...checkTopology(read.topology, (field) => r.where(field), read.nodesListed));
  errors.sort(byPosition);
  return errors.length > 0 ? { errors } : { topology: read?.topology, errors };
}

function byPosition(a: SpecError, b: SpecError): number {
  const la = a.location.line ?? Infinity;
  const lb = b.location.line ?? Infinity;
  return la !== lb ? la - lb : (a.location.column ?? 0) - (b.location.column ?? 0);
}

function withFile(loc: SpecLocation, file?: string): SpecLocation {
  return file === undefined ? loc : { file, ...loc };
}

/** The keys of one YAML mapping, with the field path they live under. */
interface Fields {
  path: string;
  get(key: string): Node | undefined;
}

/**
 * Walks the YAML tree, reporting type errors and unknown keys and remembering where every field
 * is, so later checks on the plain `Topology` can still point at a line. A string left '' in
 * the result means "missing or not computable, already reported".
 */
class SpecReader {
  readonly errors: SpecError[] = [];
  private readonly locations = new Map<string, SpecLocation>();

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    readonly file?: string,
  ) {}

  /** Where `field` is; a defaulted field points at its nearest written parent. */
  where(field: string): SpecLocation {
    for (let f = field; ; f = parentPath(f)) {
      const loc = this.locations.get(f);
      if (loc || f === '') return { ...(loc ?? withFile({}, this.file)), field };
    }
  }

  fail(field: string, message: string, hint?: string): void {
    this.errors.push(new SpecError(message, this.where(field), hint));
  }

  remember(field: string, node: Node | undefined): void {
    const offset = node?.range?.[0];
    if (offset === undefined) return;
    const { line, col } = this.lineCounter.linePos(offset);
    this.locations.set(field, withFile({ line, column: col }, this.file));
  }

  /** Aliases become their target; an empty value becomes undefined (use the default). */
  resolve(node: unknown): Node | undefined {
    const n = isAlias(node) ? node.resolve(this.doc) : node;
    if (isScalar(n) && n.value === null) return undefined;
    return isMap(n) || isSeq(n) || isScalar(n) ? n : undefined;
  }

  map(node: Node | undefined, path: string, allowed: readonly string[], what: string, example: string): Fields | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) {
      this.fail(path, `${what} must be a mapping of keys to values, got ${describe(node)}`, `write it like ${example}`);
      return undefined;
    }
    return this.fields(node, path, allowed);
  }

  list(node: Node | undefined, path: string, example: string): Node[] | undefined {
    if (node === undefined) return undefined;
    if (!isSeq(node)) {
      this.fail(path, `${path} must be a list, got ${describe(node)}`, `write each entry on its own line starting with "- ", e.g. ${example}`);
      return undefined;
    }
    return node.items.map((item, i) => {
      const resolved = this.resolve(item);
      this.remember(`${path}[${i}]`, (resolved ?? item) as Node);
      return resolved as Node;
    });
  }

  str(fields: Fields, key: string): string | undefined {
    const node = fields.get(key);
    const path = join(fields.path, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    this.fail(path, `${path} must be a non-empty string, got ${describe(node)}`, 'quote the value if YAML reads it as a number or boolean');
    return undefined;
  }

  int(fields: Fields, key: string): number | undefined {
    const node = fields.get(key);
    const path = join(fields.path, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    this.fail(path, `${path} must be a whole number, got ${describe(node)}`, 'write it without quotes, e.g. port: 8080');
    return undefined;
  }

  private fields(node: YAMLMap, path: string, allowed: readonly string[]): Fields {
    const values = new Map<string, Node | undefined>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const keyNode = pair.key as Node | undefined;
      if (key === undefined || !allowed.includes(key)) {
        this.remember(join(path, key ?? '?'), keyNode);
        this.fail(join(path, key ?? '?'), `unknown key '${key ?? describe(keyNode)}'${path ? ` in ${path}` : ''}`, unknownKeyHint(key, allowed));
        continue;
      }
      const value = this.resolve(pair.value);
      // Point scalar errors at the value; for nested blocks and aliases (whose target is elsewhere) at the key.
      this.remember(join(path, key), isScalar(pair.value) ? pair.value : keyNode);
      values.set(key, value);
    }
    return { path, get: (k) => values.get(k) };
  }
}

function unknownKeyHint(key: string | undefined, allowed: readonly string[]): string {
  const near = allowed.find((a) => key !== undefined && a.toLowerCase() === key.toLowerCase());
  return `${near ? `did you mean '${near}'? ` : ''}allowed keys here: ${allowed.join(', ')}`;
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'nothing';
  const v = node.value;
  if (typeof v === 'string') return v === '' ? 'an empty string' : `the string '${v}'`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `'${String(v)}'`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function parentPath(field: string): string {
  const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
  return cut > 0 ? field.slice(0, cut) : '';
}

function readRoot(r: SpecReader, root: Node | undefined): { topology: Topology; nodesListed: boolean } | undefined {
  const resolved = r.resolve(root);
  if (resolved === undefined) {
    // An empty file has no node to point at; line 1 is still somewhere to click.
    r.errors.push(new SpecError('the topology is empty', withFile({ line: 1, column: 1 }, r.file), 'start with a `nodes:` list; see docs/topology.md for an example'));
    return undefined;
  }
  r.remember('', resolved);
  const top = r.map(resolved, '', TOP_KEYS, 'the top level of a topology', '`nodes:` followed by `- name: node1`');
  if (!top) return undefined;
  const net = r.map(top.get('network'), 'network', NETWORK_KEYS, 'network', '`network: {cidr: 192.168.1.0/24}`');
  const network = (net && r.str(net, 'cidr')) ?? DEFAULT_NETWORK;
  const clusterCIDR = r.str(top, 'clusterCIDR') ?? DEFAULT_CLUSTER;
  const nodeItems = r.list(top.get('nodes'), 'nodes', '- name: node1');
  if (top.get('nodes') === undefined) r.fail('nodes', 'nodes is missing; a lab needs at least one node', 'add `nodes:` with an entry `- name: node1`');
  else if (nodeItems?.length === 0) r.fail('nodes', 'nodes is empty; a lab needs at least one node', 'add an entry `- name: node1`');
  const defaults = new NodeDefaults(r, network, clusterCIDR);
  const nodes = (nodeItems ?? []).map((item, i) => readNode(r, item, i, defaults));
  const podItems = r.list(top.get('pods'), 'pods', '- {name: pod-a, node: node1}') ?? [];
  const topology: Topology = {
    name: r.str(top, 'name') ?? DEFAULT_NAME,
    network: { cidr: network },
    clusterCIDR,
    nodes,
    pods: podItems.map((item, i) => readPod(r, item, i)),
  };
  return { topology, nodesListed: nodeItems !== undefined };
}

/** Computes default node addresses; stays silent when the base CIDR is invalid (that is reported elsewhere). */
class NodeDefaults {
  private readonly network?: Cidr;
  private readonly cluster?: Cidr;

  constructor(
    private readonly r: SpecReader,
    network: string,
    cluster: string,
  ) {
    this.network = tryCIDR(network);
    this.cluster = tryCIDR(cluster);
  }

  ip(index: number, path: string): string {
    if (!this.network) return '';
    try {
      return formatIPv4(nthHost(this.network, 100 + index));
    } catch {
      this.r.fail(path, `no default ip: network ${formatCIDR(this.network)} has no host number ${100 + index}`, 'give this node an ip, or use a larger network');
      return '';
    }
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

function tryCIDR(s: string): Cidr | undefined {
  try {
    return parseCIDR(s);
  } catch {
    return undefined;
  }
}

function readNode(r: SpecReader, item: Node | undefined, i: number, defaults: NodeDefaults): NodeSpec {
  const path = `nodes[${i}]`;
  const f = item === undefined ? undefined : r.map(item, path, NODE_KEYS, `${path} (a node)`, '`- {name: node1}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- name: node1`');
  if (!f) return { name: '', ip: '', podCIDR: '' };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: node1`');
  const ip = f.get('ip') === undefined ? defaults.ip(i, `${path}.ip`) : r.str(f, 'ip');
  const podCIDR = f.get('podCIDR') === undefined ? defaults.podCIDR(i, `${path}.podCIDR`) : r.str(f, 'podCIDR');
  return { name: name ?? '', ip: ip ?? '', podCIDR: podCIDR ?? '' };
}

function readPod(r: SpecReader, item: Node | undefined, i: number): PodSpec {
  const path = `pods[${i}]`;
  const f = item === undefined ? undefined : r.map(item, path, POD_KEYS, `${path} (a Pod)`, '`- {name: pod-a, node: node1}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: pod-a, node: node1}`');
  if (!f) return { name: '', node: '', containers: [] };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: pod-a`');
  const node = r.str(f, 'node');
  if (f.get('node') === undefined) r.fail(`${path}.node`, `Pod ${name ?? path} has no node`, 'add `node: <node name>` to say where it runs');
  const items = r.list(f.get('containers'), `${path}.containers`, '- {name: web, workload: web}');
  if (items?.length === 0) {
    r.fail(`${path}.containers`, `${path}.containers is empty; a Pod needs at least one container`, 'remove the key to get the default web container, or list one');
  }
  const containers = items ? items.map((c, j) => readContainer(r, c, `${path}.containers[${j}]`)) : [defaultContainer()];
  return { name: name ?? '', node: node ?? '', containers };
}

function defaultContainer(): ContainerSpec {
  return { name: 'web', workload: 'web', port: DEFAULT_WEB_PORT };
}

function readContainer(r: SpecReader, item: Node | undefined, path: string): ContainerSpec {
  const f = item === undefined ? undefined : r.map(item, path, CONTAINER_KEYS, `${path} (a container)`, '`- {name: web, workload: web}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: web, workload: web}`');
  if (!f) return { name: '', workload: 'web' };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: web`');
  const kind = r.str(f, 'workload') ?? 'web';
  const known = WORKLOADS.includes(kind as WorkloadKind);
  if (!known) r.fail(`${path}.workload`, `unknown workload '${kind}'`, `use one of: ${WORKLOADS.join(', ')}`);
  const workload = known ? (kind as WorkloadKind) : 'web';
  // No default port for an unknown workload: it would only cause a follow-on port clash error.
  const port = f.get('port') === undefined ? (kind === 'web' ? DEFAULT_WEB_PORT : undefined) : r.int(f, 'port');
  return port === undefined ? { name: name ?? '', workload } : { name: name ?? '', workload, port };
}

// ---- Checks on the plain Topology: names, addresses, overlaps, duplicates, capacity. ----

// RFC 1123 label, the rule Kubernetes applies to most object names.
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const NAME_HINT = 'use lowercase letters a-z, digits and "-", starting and ending with a letter or digit';
// Node and container names end up inside Linux interface, namespace and process names, which are short.
const MAX_NAME = { lab: 63, node: 12, Pod: 63, container: 15 } as const;
const POD_CIDR_PREFIX = { largest: 16, smallest: 30 } as const;

/** What the Pod checks need to know about a node. */
interface NodeInfo {
  podCIDR?: Cidr;
}

/** Semantic checks on a read topology; '' values were already reported as missing and are skipped. */
class TopologyChecker {
  readonly errors: SpecError[] = [];

  constructor(private readonly where: (field: string) => SpecLocation) {}

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
    if (network && cluster && cidrsOverlap(network, cluster)) {
      this.fail('clusterCIDR', `clusterCIDR ${t.clusterCIDR} overlaps the node network ${t.network.cidr}`,
        'Pod and node addresses must not mix, or routes become ambiguous; use separate ranges such as 10.244.0.0/16 and 192.168.1.0/24');
    }
    const nodes = this.nodes(t.nodes, network, cluster);
    this.pods(t.pods, nodesListed ? nodes : undefined);
    return this.errors;
  }

  private fail(field: string, message: string, hint: string): void {
    this.errors.push(new SpecError(message, this.where(field), hint));
  }

  private name(kind: keyof typeof MAX_NAME, name: string, field: string): void {
    if (name === '') return;
    const max = MAX_NAME[kind];
    if (name.length > max) this.fail(field, `${kind} name '${name}' is ${name.length} characters long; the limit is ${max}`, `shorten it to at most ${max} characters`);
    else if (!DNS_LABEL.test(name)) this.fail(field, `${kind} name '${name}' is not a valid DNS label`, NAME_HINT);
  }

  private cidr(value: string, field: string): Cidr | undefined {
    if (value === '') return undefined;
    try {
      return parseCIDR(value);
    } catch (e) {
      this.fail(field, (e as Error).message, 'write a network address and a prefix length, such as 10.244.1.0/24');
      return undefined;
    }
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
    if (n.ip === '') return;
    let ip: number;
    try {
      ip = parseIPv4(n.ip);
    } catch (e) {
      this.fail(`${path}.ip`, (e as Error).message, 'write a dotted quad such as 192.168.1.100');
      return;
    }
    const label = n.name || path;
    if (network) {
      const net = formatCIDR(network);
      const range = `${formatIPv4(network.network + 1)}-${formatIPv4(Math.max(network.network + 1, broadcastAddress(network) - 1))}`;
      if (!cidrContains(network, ip)) this.fail(`${path}.ip`, `node ${label} ip ${n.ip} is outside the node network ${net}`, `pick an address in ${range}`);
      else if (ip === network.network) this.fail(`${path}.ip`, `node ${label} ip ${n.ip} is the network address of ${net}`, `pick an address in ${range}`);
      else if (ip === broadcastAddress(network)) this.fail(`${path}.ip`, `node ${label} ip ${n.ip} is the broadcast address of ${net}`, `pick an address in ${range}`);
    }
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
      if (c.port === undefined) return;
      if (c.port < 1 || c.port > 65535) {
        this.fail(`${cpath}.port`, `port ${c.port} is out of range`, 'use a port from 1 to 65535');
        return;
      }
      const other = ports.get(c.port);
      if (other !== undefined) {
        this.fail(`${cpath}.port`, `containers ${other} and ${c.name || cpath} of Pod ${pod.name || path} both use port ${c.port}`,
          'containers of a Pod share one network namespace and one IP, so their ports must differ');
      } else ports.set(c.port, c.name || cpath);
    });
  }
}

function checkTopology(t: Topology, where: (field: string) => SpecLocation, nodesListed: boolean): SpecError[] {
  return new TopologyChecker(where).run(t, nodesListed);
}
