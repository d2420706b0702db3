/**
 * The optional `dockerHost:` section of a topology file: a Docker-style host on the node network, to
 * contrast with Pod networking. Reading and defaults live here; the rules are in topologyChecks.ts.
 *
 *   dockerHost:             optional; `dockerHost:` or `dockerHost: {}` gives every default
 *     name: string          default docker-host; DNS label, unique among nodes, Pods and containers
 *     ip: string            default host number 10 of network.cidr (192.168.1.10), or of the first subnet
 *     bridgeCIDR: string    default 172.17.0.0/16; docker0's range, apart from every cluster range
 *     containers:           default web-a (8080, published on 8081) and web-b (8080); at most 8
 *       - name: string      required; DNS label, unique among nodes, Pods and containers
 *         port: integer     default 8080; the container's web server
 *         publish: integer  optional; host port DNATed to the container's port
 */
import type { Node } from 'yaml';
import { formatIPv4, nthHost, parseCIDR } from './cidr';
import { DockerContainerSpec, DockerHostSpec, SpecError, Topology } from './topology';
import { checkTopology } from './topologyChecks';
import type { SpecReader } from './topologyYaml';

/** Defaults of the section: Docker's own bridge range, the host at host number 10 of the node network. */
export const DOCKER_HOST_DEFAULTS = { name: 'docker-host', hostNumber: 10, bridgeCIDR: '172.17.0.0/16', port: 8080 } as const;

const HOST_KEYS = ['name', 'ip', 'bridgeCIDR', 'containers'];
const CONTAINER_KEYS = ['name', 'port', 'publish'];

/** The containers of a Docker host whose section lists none: one published web server, one not. */
export function defaultDockerContainers(): DockerContainerSpec[] {
  return [
    { name: 'web-a', port: DOCKER_HOST_DEFAULTS.port, publish: 8081 },
    { name: 'web-b', port: DOCKER_HOST_DEFAULTS.port },
  ];
}

/** The default host address in `network`, or undefined when the network is invalid or has no host number 10. */
export function defaultDockerHostIp(network: string): string | undefined {
  try {
    return formatIPv4(nthHost(parseCIDR(network), DOCKER_HOST_DEFAULTS.hostNumber));
  } catch {
    return undefined;
  }
}

function noDefaultIp(network: string): string {
  return `no default ip for the Docker host: network ${network} has no host number ${DOCKER_HOST_DEFAULTS.hostNumber}`;
}

function defaultIp(r: SpecReader, network: string, field: string): string {
  const ip = defaultDockerHostIp(network);
  if (ip !== undefined) return ip;
  try {
    parseCIDR(network);
  } catch {
    return ''; // an invalid network is reported at network.cidr
  }
  r.fail(field, noDefaultIp(network), 'give dockerHost an ip, or use a larger network');
  return '';
}

/** Reads the section (`node` undefined means written without a value); problems go to `r`. */
export function readDockerHost(r: SpecReader, node: Node | undefined, network: string): DockerHostSpec {
  const path = 'dockerHost';
  const f = r.map(node, path, HOST_KEYS, 'dockerHost', '`dockerHost: {name: docker-host}`');
  if (node !== undefined && !f) return { name: '', ip: '', bridgeCIDR: '', containers: [] };
  const value = (key: string, fallback: () => string): string => (f?.get(key) === undefined ? fallback() : (f && r.str(f, key)) ?? '');
  const ip = value('ip', () => defaultIp(r, network, `${path}.ip`));
  const items = f ? r.list(f.get('containers'), `${path}.containers`, '- {name: web-a, publish: 8081}') : undefined;
  if (items?.length === 0) {
    r.fail(`${path}.containers`, 'dockerHost.containers is empty', 'remove the key to get the default containers web-a and web-b, or list one');
  }
  return {
    name: value('name', () => DOCKER_HOST_DEFAULTS.name),
    ip,
    bridgeCIDR: value('bridgeCIDR', () => DOCKER_HOST_DEFAULTS.bridgeCIDR),
    containers: items ? items.map((item, i) => readContainer(r, item, `${path}.containers[${i}]`)) : defaultDockerContainers(),
  };
}

function readContainer(r: SpecReader, item: Node | undefined, path: string): DockerContainerSpec {
  const f = item === undefined ? undefined : r.map(item, path, CONTAINER_KEYS, `${path} (a container)`, '`- {name: web-a, port: 8080, publish: 8081}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: web-a}`');
  if (!f) return { name: '', port: DOCKER_HOST_DEFAULTS.port };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: web-a`');
  // A mistyped port was reported; the default keeps it from causing follow-on errors.
  const port = (f.get('port') === undefined ? undefined : r.int(f, 'port')) ?? DOCKER_HOST_DEFAULTS.port;
  const publish = f.get('publish') === undefined ? undefined : r.int(f, 'publish');
  return publish === undefined ? { name: name ?? '', port } : { name: name ?? '', port, publish };
}

/** The section as plain data with every default written out, for `topologyToYaml`. */
export function dockerHostToPlain(d: DockerHostSpec): object {
  return { name: d.name, ip: d.ip, bridgeCIDR: d.bridgeCIDR, containers: d.containers.map((c) => ({ ...c })) };
}

/** `t` with the default Docker host added when it has none (`lab up --with-docker-host`); throws a SpecError naming the field on a clash. */
export function withDefaultDockerHost(t: Topology): Topology {
  if (t.dockerHost) return t;
  // With subnets the host joins the first one, as a dockerHost section without an ip does.
  const network = t.network.subnets?.[0]?.cidr ?? t.network.cidr;
  const ip = defaultDockerHostIp(network);
  if (!ip) throw new SpecError(noDefaultIp(network), { field: 'dockerHost.ip' }, 'add a dockerHost section with an ip to the topology file');
  const out: Topology = {
    ...t, dockerHost: { name: DOCKER_HOST_DEFAULTS.name, ip, bridgeCIDR: DOCKER_HOST_DEFAULTS.bridgeCIDR, containers: defaultDockerContainers() },
  };
  // The same rules a file obeys; the section is not in any file, so errors carry only the field.
  const errors = checkTopology(out, (field) => ({ field }), true);
  if (errors.length > 0) throw errors[0];
  return out;
}
