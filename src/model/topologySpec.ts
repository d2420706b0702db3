/**
 * Topology spec files: YAML (or JSON, which is YAML) text -> a validated, fully-defaulted `Topology`.
 *
 * Input schema (keys are case-sensitive; unknown keys are errors; `key:` with no value means "use the default"):
 *
 *   name: string            optional, default "lab"; DNS label, at most 63 characters
 *   network:                optional
 *     cidr: string          default 192.168.1.0/24: the "physical" network that joins the nodes
 *     subnets, router       optional: the node network split into subnets joined by a router (see networkSpec.ts)
 *   clusterCIDR: string     optional, default 10.244.0.0/16; must not overlap network.cidr
 *   nodes:                  required, 1 to 16 entries
 *     - name: string        required; DNS label, at most 12 characters
 *       ip: string          optional, default host number 100+index of network.cidr (.100, .101, ...);
 *                           with subnets host number 100+k of the node's subnet, k counting the nodes before it there
 *       subnet: string      optional, only with subnets; default the subnet holding ip, or the first subnet
 *       podCIDR: string     optional, default the (index+1)-th /24 of clusterCIDR; /16 to /30, inside clusterCIDR
 *       cni: bridge | ptp | vxlan   optional, default bridge (cbr0); ptp wires Pods like kind (a /32 route per Pod, no bridge);
 *                           vxlan is cbr0 plus Flannel's vxlan backend (flannel.1)
 *   serviceCIDR: string     optional, default 10.96.0.0/12; the range ClusterIPs come from (see serviceSpec.ts)
 *   pods:                   optional, default []; at most 1000 in total
 *     - name: string        required; DNS label, at most 63 characters
 *       node: string        required; the name of one of the nodes
 *       labels: {k: v}      optional; Kubernetes labels, what Service selectors match
 *       containers:         optional, default one container {name: web, workload: web, port: 8080}
 *         - name: string    required; DNS label, at most 15 characters
 *           workload: web | sidecar | sleep   optional, default web
 *           port: integer   1 to 65535; default 8080 for web, none for sidecar and sleep
 *   services:               optional; Services in the style of kube-proxy (see serviceSpec.ts)
 *   client:                 optional; an outside client on the node network (see serviceSpec.ts)
 *   dockerHost:             optional; a Docker-style host beside the cluster (see dockerHostSpec.ts)
 *
 * See docs/topology.md for the same in prose. The rule checks live in topologyChecks.ts, the YAML-tree
 * reading helpers in topologyYaml.ts.
 */
import { LineCounter, Node, parseDocument, stringify } from 'yaml';
import { MAX_YAML_NESTING, findTooDeep } from './yamlDepth';
import { SpecError, Topology } from './topology';
import { LAB_LIMITS, checkTopology } from './topologyChecks';
import { SpecReader, withFile } from './topologyYaml';
import { dockerHostToPlain, readDockerHost } from './dockerHostSpec';
import { readPod } from './podSpec';
import { networkToPlain, readNetwork } from './networkSpec';
import { NodeDefaults, readNode } from './nodeSpec';
import { SERVICE_DEFAULTS, readClient, readServices, serviceToPlain } from './serviceSpec';

/** Lab size limits: one machine runs every node and Pod as network namespaces and processes. */
export { LAB_LIMITS };
/** Adds the default Docker host to a topology that has none (`podnet lab up --with-docker-host`). */
export { withDefaultDockerHost } from './dockerHostSpec';

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

# Pods and where they run. A "web" container is busybox httpd on its port (8080
# by default); it answers every request with JSON naming its Pod, node and IP
# and the source address its socket saw, so NAT would show. A "sidecar" is a
# shell loop that GETs http://127.0.0.1:8080/ every 5 s: containers of one Pod
# share its network namespace, so localhost reaches the web container. A Pod
# without a containers list gets one "web" container listening on 8080.
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

/** The article's cluster plus a default Docker-style host (docker-host at .10, containers web-a and web-b). */
export const ARTICLE_WITH_DOCKER_HOST_YAML = `${ARTICLE_TOPOLOGY_YAML}
# A Docker-style host beside the cluster, to contrast with Pod networking: eth0 on the
# same LAN (192.168.1.10), containers behind its docker0 bridge (172.17.0.0/16) leave
# through MASQUERADE, and web-a is published on the host's port 8081 (DNAT).
dockerHost: {}
`;

const DEFAULT_NAME = 'lab';
const DEFAULT_CLUSTER = '10.244.0.0/16';
const TOP_KEYS = ['name', 'network', 'clusterCIDR', 'serviceCIDR', 'nodes', 'pods', 'services', 'client', 'dockerHost'];

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
    network: networkToPlain(t.network),
    clusterCIDR: t.clusterCIDR,
    nodes: t.nodes.map((n) => ({ name: n.name, ip: n.ip, ...(n.subnet ? { subnet: n.subnet } : {}), podCIDR: n.podCIDR, ...(n.cni ? { cni: n.cni } : {}) })),
    pods: t.pods.map((p) => ({
      name: p.name,
      node: p.node,
      ...(p.labels ? { labels: { ...p.labels } } : {}),
      containers: p.containers.map((c) => (c.port === undefined ? { name: c.name, workload: c.workload } : { ...c })),
    })),
    ...(t.serviceCIDR !== undefined ? { serviceCIDR: t.serviceCIDR } : {}),
    ...(t.services ? { services: t.services.map(serviceToPlain) } : {}),
    // The client's subnet is not a key of the file: it is derived from its ip again on reading.
    ...(t.client ? { client: { name: t.client.name, ip: t.client.ip } } : {}),
    ...(t.dockerHost ? { dockerHost: dockerHostToPlain(t.dockerHost) } : {}),
  };
  return stringify(plain);
}

function readTopology(text: string, file?: string): { topology?: Topology; errors: SpecError[] } {
  const deep = findTooDeep(text);
  if (deep) {
    return { errors: [new SpecError(`the file is nested too deeply (more than ${MAX_YAML_NESTING} levels of lists and mappings)`, withFile(deep, file), 'a topology needs at most 4 levels (nodes, a node, its containers, a container): remove the extra nesting')] };
  }
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
  const net = readNetwork(r, top.get('network'));
  const network = net.cidr;
  // Default host addresses (Docker host, client) come from the first subnet when there are subnets.
  const hostNet = net.subnets?.[0]?.cidr || network;
  const clusterCIDR = r.str(top, 'clusterCIDR') ?? DEFAULT_CLUSTER;
  const nodeItems = r.list(top.get('nodes'), 'nodes', '- name: node1');
  if (top.get('nodes') === undefined) r.fail('nodes', 'nodes is missing; a lab needs at least one node', 'add `nodes:` with an entry `- name: node1`');
  else if (nodeItems?.length === 0) r.fail('nodes', 'nodes is empty; a lab needs at least one node', 'add an entry `- name: node1`');
  const defaults = new NodeDefaults(r, net, clusterCIDR);
  const nodes = (nodeItems ?? []).map((item, i) => readNode(r, item, i, defaults, net));
  const podItems = r.list(top.get('pods'), 'pods', '- {name: pod-a, node: node1}') ?? [];
  const topology: Topology = {
    name: r.str(top, 'name') ?? DEFAULT_NAME,
    network: net,
    clusterCIDR,
    nodes,
    pods: podItems.map((item, i) => readPod(r, item, i)),
    serviceCIDR: r.str(top, 'serviceCIDR') ?? SERVICE_DEFAULTS.serviceCIDR,
  };
  if (top.has('services')) topology.services = readServices(r, top.get('services'), topology.serviceCIDR ?? '');
  if (top.has('client')) topology.client = readClient(r, top.get('client'), hostNet, net.subnets);
  if (top.has('dockerHost')) topology.dockerHost = readDockerHost(r, top.get('dockerHost'), hostNet);
  return { topology, nodesListed: nodeItems !== undefined };
}
