/** The test bed's Docker network and kind-shaped node containers, and the routes between their Pod CIDRs. */
import type { DockerEngine } from '../docker/engine';
import { KIND_NETWORK, nodeNames, podCidrFor, type TestbedNode, type TestbedSpec } from './testbedTypes';

/** kind's cluster and role labels on node containers. */
export const CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
const ROLE_LABEL = 'io.x-k8s.kind.role';

/** Creates the `kind` network unless it exists (another test bed in the same engine may have made it). */
export async function ensureKindNetwork(engine: DockerEngine): Promise<void> {
  const r = await engine.docker(['network', 'create', '--driver', 'bridge', '--subnet', KIND_NETWORK.subnet, KIND_NETWORK.name]);
  if (r.code !== 0 && !/already exists/i.test(r.stderr)) {
    throw new Error(`creating the Docker network ${KIND_NETWORK.name} failed: ${r.stderr.trim()}`);
  }
}

/** Removes the `kind` network when no container uses it any more (another test bed may still be on it). */
export async function removeKindNetworkIfUnused(engine: DockerEngine): Promise<void> {
  const r = await engine.docker(['network', 'inspect', '--format', '{{len .Containers}}', KIND_NETWORK.name]);
  if (r.code !== 0 || r.stdout.trim() !== '0') return; // gone already, or still in use
  const rm = await engine.docker(['network', 'rm', KIND_NETWORK.name]);
  // A test bed created meanwhile keeps it ("has active endpoints"), and a concurrent removal makes it "not found".
  if (rm.code !== 0 && !/active endpoints|not found/i.test(rm.stderr)) {
    throw new Error(`removing the Docker network ${KIND_NETWORK.name} failed: ${rm.stderr.trim()}`);
  }
}

/** `docker run` argv of one node container, as kind runs them minus --privileged (RECIPES: caps instead); --init reaps
 * the processes `docker exec` leaves behind, as systemd does on a real kind node. */
function runArgv(cluster: string, name: string, role: TestbedNode['role'], image: string): string[] {
  return [
    'run', '-d', '--init', '--name', name, '--hostname', name, '--network', KIND_NETWORK.name,
    '--label', `${CLUSTER_LABEL}=${cluster}`, '--label', `${ROLE_LABEL}=${role}`,
    '--cap-add', 'NET_ADMIN', '--cap-add', 'SYS_ADMIN', '--security-opt', 'seccomp=unconfined',
    '--sysctl', 'net.ipv4.ip_forward=1', image, 'sleep', 'infinity',
  ];
}

/** Starts the node containers and reads their addresses; each gets the next /24 of the Pod subnet. */
export async function startNodes(engine: DockerEngine, spec: TestbedSpec, image: string): Promise<TestbedNode[]> {
  const names = nodeNames(spec.cluster, spec.workers);
  await Promise.all(
    names.map(async ({ name, role }) => {
      let r = await engine.docker(runArgv(spec.cluster, name, role, image));
      if (r.code !== 0 && /network .* not found/i.test(r.stderr)) {
        // Another test bed removed the shared network between our create and run: make it again, once.
        await ensureKindNetwork(engine);
        r = await engine.docker(runArgv(spec.cluster, name, role, image));
      }
      if (r.code !== 0) throw new Error(`starting node container ${name} failed: ${r.stderr.trim()}`);
    }),
  );
  const ips = await nodeAddresses(engine, names.map((n) => n.name));
  return names.map(({ name, role }, i) => ({
    name,
    container: name,
    ip: ips[i],
    podCIDR: podCidrFor(spec.podSubnet ?? '10.244.0.0/16', i),
    providerID: `kind://docker/${spec.cluster}/${name}`,
    role,
  }));
}

/** Each container's IPv4 address on the kind network, in the order given. */
async function nodeAddresses(engine: DockerEngine, containers: string[]): Promise<string[]> {
  const r = await engine.dockerOk(['inspect', '--format', `{{(index .NetworkSettings.Networks "${KIND_NETWORK.name}").IPAddress}}`, ...containers]);
  const ips = r.stdout.trim().split('\n').map((l) => l.trim());
  if (ips.length !== containers.length || ips.some((ip) => !/^\d+\.\d+\.\d+\.\d+$/.test(ip))) {
    throw new Error(`reading the node containers' addresses on ${KIND_NETWORK.name} gave ${JSON.stringify(r.stdout)}`);
  }
  return ips;
}

/** On every node, `<peer podCIDR> via <peer IP>` for each other node (one `ip -batch` per node). */
export async function addPeerRoutes(engine: DockerEngine, nodes: TestbedNode[]): Promise<void> {
  await Promise.all(
    nodes.map((node) => {
      const lines = nodes.filter((p) => p !== node).map((p) => `route replace ${p.podCIDR} via ${p.ip}`);
      if (lines.length === 0) return Promise.resolve();
      return engine.dockerOk(['exec', '-i', node.container, 'ip', '-batch', '-'], { input: `${lines.join('\n')}\n` }, `adding Pod CIDR routes on ${node.name}`);
    }),
  );
}

/** Writes the node's CNI config where kind keeps it (/etc/cni/net.d), so what is on the node says how Pods are wired. */
export async function writeCniConfig(engine: DockerEngine, node: TestbedNode, conflist: string, file: string): Promise<void> {
  await engine.dockerOk(['exec', '-i', node.container, 'tee', `/etc/cni/net.d/${file}`], { input: conflist }, `writing the CNI config on ${node.name}`);
}

/** Container ids of a cluster's node containers (running or not). */
export async function clusterContainers(engine: DockerEngine, cluster: string): Promise<string[]> {
  const r = await engine.dockerOk(['ps', '-aq', '--filter', `label=${CLUSTER_LABEL}=${cluster}`]);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}
