/** The snapshot format (versions 1 and 2) as a draft-07 JSON Schema (the subset validate.ts interprets); its property order is the file's key order. */

/** The draft-07 subset this schema uses. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: false;
  items?: JsonSchema;
  enum?: readonly string[];
  const?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
  $schema?: string;
  $id?: string;
  title?: string;
}

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const strings: JsonSchema = { type: 'array', items: str };
const port: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };
const protocol: JsonSchema = { type: 'string', enum: ['tcp', 'udp'] };

/** An object with exactly these properties; `optional` ones may be absent. */
function obj(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}, order?: readonly string[]): JsonSchema {
  const all = { ...required, ...optional };
  const keys = order ?? Object.keys(all);
  return { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, all[k]])), required: Object.keys(required), additionalProperties: false };
}

const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

/** A VXLAN device's parameters (version 2). */
const vxlan = obj(
  { id: { type: 'integer', minimum: 0, maximum: 16777215 }, port: { type: 'integer', minimum: 0, maximum: 65535 }, learning: bool },
  { local: str, dev: str },
  ['id', 'port', 'local', 'dev', 'learning'],
);

const link = obj(
  { ifindex: int, name: str, kind: { type: 'string', enum: ['veth', 'bridge', 'loopback', 'vxlan', 'other'] }, mac: str, mtu: int, state: str, up: bool },
  { master: str, peer: obj({ namespace: str, ifname: str }), peerIfindex: int, vxlan },
);

const address = obj({ ifname: str, family: { type: 'string', enum: ['inet', 'inet6'] }, address: str, prefixLength: { type: 'integer', minimum: 0 }, scope: str });

const route = obj({ table: str, type: str, dst: str }, { gateway: str, dev: str, protocol: str, scope: str, prefsrc: str, metric: int });

const rule = obj({ priority: int, table: str }, { src: str, dst: str, iif: str, oif: str, fwmark: str, action: str });

const neighbor = obj({ ip: str, dev: str, state: strings }, { mac: str }, ['ip', 'dev', 'mac', 'state']);

const fdb = obj({ mac: str, dev: str }, { master: str, state: str, flags: strings, vlan: int, dst: str });

const filter = obj({ tool: { type: 'string', enum: ['nft', 'iptables', 'none'] } }, { nft: { type: 'array' }, iptablesSave: str, error: str });

const namespace = obj(
  {
    id: str, kind: { type: 'string', enum: ['wire', 'node', 'pod', 'host', 'container', 'client', 'router'] }, name: str, forwarding: bool,
    links: arr(link), addresses: arr(address), routes: arr(route), rules: arr(rule), neighbors: arr(neighbor), fdb: arr(fdb), filter,
  },
  { node: str, bridgeNetfilter: bool },
  ['id', 'kind', 'name', 'node', 'forwarding', 'bridgeNetfilter', 'links', 'addresses', 'routes', 'rules', 'neighbors', 'fdb', 'filter'],
);

/** A Service port; `targetPort` is a port number or a container port's name (checked in validate.ts: the subset has no unions). */
const servicePort = obj(
  { protocol, port, targetPort: { description: 'an integer 1-65535 or a container port name' } },
  { name: str, nodePort: port },
  ['name', 'protocol', 'port', 'targetPort', 'nodePort'],
);

const serviceEndpoint = obj(
  { ip: str, ready: bool, ports: arr(obj({ protocol, port }, { name: str }, ['name', 'protocol', 'port'])) },
  { pod: str, node: str },
  ['ip', 'pod', 'node', 'ready', 'ports'],
);

/** A Service and its endpoints (version 2). */
const service = obj(
  {
    name: str, type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] }, clusterIP: str, ports: arr(servicePort),
    externalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] }, endpoints: arr(serviceEndpoint),
  },
  { namespace: str },
  ['name', 'namespace', 'type', 'clusterIP', 'ports', 'externalTrafficPolicy', 'endpoints'],
);

const cluster = obj(
  {
    nodes: arr(obj({ name: str, ip: str, podCIDR: str })),
    pods: arr(obj({ name: str, node: str, ip: str, containers: arr(obj({ name: str, ports: arr(int) })) })),
  },
  {
    network: obj({ cidr: str }),
    clusterCIDR: str,
    dockerHost: obj({ name: str, ip: str, bridge: str, bridgeCIDR: str, containers: arr(obj({ name: str, ip: str, port: int }, { publish: int })) }),
    serviceCIDR: str,
    services: arr(service),
    client: obj({ name: str, ip: str }),
    subnets: arr(obj({ name: str, cidr: str, routerIP: str })),
    router: obj({ name: str }),
  },
  ['network', 'subnets', 'router', 'clusterCIDR', 'serviceCIDR', 'nodes', 'pods', 'services', 'dockerHost', 'client'],
);

/** JSON Schema (draft-07) of a whole snapshot file. */
export const SNAPSHOT_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://podnet-lab.dev/schemas/snapshot-v2.json',
  title: 'PodNet Lab snapshot',
  ...obj({
    format: { type: 'string', const: 'podnet-snapshot' },
    version: { type: 'integer', minimum: 1 },
    capturedAt: str,
    source: obj(
      { provider: { type: 'string', enum: ['embedded', 'kind', 'kube', 'replay'] }, lab: str },
      { rootless: bool, context: str, cluster: str, server: str, access: { type: 'string', enum: ['container', 'debugPod', 'none'] } },
    ),
    cluster,
    namespaces: arr(namespace),
  }),
};
