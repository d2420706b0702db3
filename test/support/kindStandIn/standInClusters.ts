/** What the kind stand-in does for `create cluster` and `delete cluster`: node containers, the daemon, CNI as kindnetd, kubeconfig entries. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { podCidrFor } from '../testbed/testbedTypes';
import { dockerEngineAt, type DockerEngine } from '../docker/engine';
import { ensureNodeImage } from '../testbed/nodeImage';
import { CLUSTER_LABEL, ensureKindNetwork } from '../testbed/testbedNodes';
import type { DaemonCluster, DaemonServer } from './clusterDaemon';
import { readKindConfig, type StandInKindConfig } from './kindConfigFile';
import { addKindEntries, kindKubeconfigPath, removeKindEntries } from './kubeconfigEntries';

const NODE_IMAGE_SHOWN = 'kindest/node:v1.31.0';

/** Options of `kind create cluster`. */
export interface CreateOptions {
  name: string;
  config?: string;
  image?: string;
  retain: boolean;
  kubeconfig?: string;
}

/** The clusters this stand-in made (a folder with cluster.json each). */
export function standInClusters(state: string): string[] {
  return readdirSync(state, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(state, d.name, 'cluster.json'))).map((d) => d.name).sort();
}

function engine(): DockerEngine {
  const host = process.env.DOCKER_HOST;
  if (!host) throw new Error('failed to create cluster: Cannot connect to the Docker daemon (DOCKER_HOST is not set for the stand-in)');
  return dockerEngineAt(host);
}

/** kind's node names for a config: control planes first, then workers. */
function nodeNames(name: string, cfg: StandInKindConfig): { name: string; role: 'control-plane' | 'worker'; index: number }[] {
  let cp = 0;
  let w = 0;
  const named = cfg.nodes.map((n, index) => {
    const k = n.role === 'control-plane' ? ++cp : ++w;
    return { name: `${name}-${n.role}${k === 1 ? '' : k}`, role: n.role, index };
  });
  return [...named.filter((n) => n.role === 'control-plane'), ...named.filter((n) => n.role === 'worker')];
}

/** Prints a stage as kind does without a terminal, runs it, and prints ✓ or ✗. */
async function stage<T>(title: string, fn: () => Promise<T>): Promise<T> {
  process.stderr.write(` • ${title}  ...\n`);
  const failAt = process.env.KIND_STANDIN_FAIL_AT;
  try {
    if (failAt && title.startsWith(failAt)) throw new Error(`stand-in failure injected at "${failAt}"`);
    const out = await fn();
    process.stderr.write(` ✓ ${title}\n`);
    return out;
  } catch (e) {
    process.stderr.write(` ✗ ${title}\n`);
    throw e;
  }
}

async function startNode(eng: DockerEngine, cluster: string, n: { name: string; role: string }, cfg: StandInKindConfig['nodes'][number], image: string): Promise<void> {
  const mounts = cfg.extraMounts.flatMap((m) => ['-v', `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`]);
  await eng.dockerOk(['run', '-d', '--name', n.name, '--hostname', n.name, '--network', 'kind', '--label', `${CLUSTER_LABEL}=${cluster}`,
    '--label', `io.x-k8s.kind.role=${n.role}`, '--cap-add', 'NET_ADMIN', '--cap-add', 'SYS_ADMIN', '--security-opt', 'seccomp=unconfined',
    '--sysctl', 'net.ipv4.ip_forward=1', ...mounts, image, 'sleep', 'infinity'], {}, `starting node ${n.name}`);
  // kind's node image ships no bridge plugin: only a mount (PodNet's bridge mode) may bring one.
  if (!cfg.extraMounts.some((m) => m.containerPath === '/opt/cni/bin/bridge')) await eng.dockerOk(['exec', n.name, 'rm', '-f', '/opt/cni/bin/bridge']);
}

function kindnetConflist(podCIDR: string): string {
  return `${JSON.stringify({ cniVersion: '0.3.1', name: 'kindnet', plugins: [
    { type: 'ptp', ipMasq: false, ipam: { type: 'host-local', dataDir: '/run/cni-ipam-state', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: podCIDR }]] }, mtu: 1500 },
    { type: 'portmap', capabilities: { portMappings: true } },
  ] }, null, 2)}\n`;
}

/** What kindnetd does on each node: its ptp conflist, and routes to the other nodes' Pod CIDRs. */
async function installKindnet(eng: DockerEngine, nodes: DaemonCluster['nodes']): Promise<void> {
  for (const n of nodes) {
    await eng.dockerOk(['exec', n.container, 'mkdir', '-p', '/etc/cni/net.d']);
    await eng.dockerOk(['exec', '-i', n.container, 'tee', '/etc/cni/net.d/10-kindnet.conflist'], { input: kindnetConflist(n.podCIDR) });
    for (const p of nodes.filter((o) => o !== n)) await eng.dockerOk(['exec', n.container, 'ip', 'route', 'replace', p.podCIDR, 'via', p.ip]);
  }
}

async function startDaemon(dir: string): Promise<DaemonServer> {
  const log = openSync(join(dir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'clusterDaemon.ts'), dir], { detached: true, stdio: ['ignore', log, log], env: process.env });
  child.unref();
  const file = join(dir, 'server.json');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DaemonServer;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the stand-in API server did not start: ${readFileSync(join(dir, 'daemon.log'), 'utf8').trim().split('\n').pop() ?? ''}`);
}

async function build(state: string, opts: CreateOptions, cfg: StandInKindConfig, eng: DockerEngine): Promise<void> {
  const dir = join(state, opts.name);
  const image = await stage(`Ensuring node image (${opts.image ?? cfg.nodes[0].image ?? NODE_IMAGE_SHOWN}) 🖼`, async () => (await ensureNodeImage(eng)).tag);
  const names = nodeNames(opts.name, cfg);
  const nodes: DaemonCluster['nodes'] = await stage(`Preparing nodes ${names.map(() => '📦').join(' ')}`, async () => {
    await ensureKindNetwork(eng);
    await Promise.all(names.map((n) => startNode(eng, opts.name, n, cfg.nodes[n.index], image)));
    const r = await eng.dockerOk(['inspect', '--format', '{{(index .NetworkSettings.Networks "kind").IPAddress}}', ...names.map((n) => n.name)]);
    const ips = r.stdout.trim().split('\n');
    return names.map((n, i) => ({
      name: n.name, container: n.name, role: n.role, labels: cfg.nodes[n.index].labels, ip: ips[i].trim(), podCIDR: podCidrFor(cfg.podSubnet, i),
    }));
  });
  await stage('Writing configuration 📜', async () => {
    const cluster: DaemonCluster = {
      name: opts.name, nodes, unpullable: (process.env.KIND_STANDIN_UNPULLABLE ?? '').split(',').filter(Boolean),
      podSubnet: cfg.podSubnet, serviceSubnet: cfg.serviceSubnet, kubeProxyMode: cfg.kubeProxyMode,
    };
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster, null, 2));
  });
  const server = await stage('Starting control-plane 🕹️', () => startDaemon(dir));
  if (!cfg.disableDefaultCNI) await stage('Installing CNI 🔌', () => installKindnet(eng, nodes));
  await stage('Installing StorageClass 💾', async () => undefined);
  if (nodes.some((n) => n.role === 'worker')) await stage('Joining worker nodes 🚜', async () => undefined);
  addKindEntries(opts.kubeconfig ?? kindKubeconfigPath(process.env), { name: opts.name, server: server.url, caPem: server.caPem, token: server.token });
  process.stderr.write(`Set kubectl context to "kind-${opts.name}"\n`);
}

/** `kind create cluster`; on failure the nodes are removed unless --retain, as kind does. */
export async function createStandInCluster(state: string, opts: CreateOptions): Promise<number> {
  const cfg = opts.config ? readKindConfig(opts.config) : readKindConfigDefault();
  const eng = engine();
  const existing = await eng.dockerOk(['ps', '-aq', '--filter', `label=${CLUSTER_LABEL}=${opts.name}`]);
  if (existing.stdout.trim() || standInClusters(state).includes(opts.name)) {
    console.error(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${opts.name}"`);
    return 1;
  }
  mkdirSync(join(state, opts.name), { recursive: true });
  process.stderr.write(`Creating cluster "${opts.name}" ...\n`);
  try {
    await build(state, opts, cfg, eng);
    return 0;
  } catch (e) {
    if (!opts.retain) await deleteStandInCluster(state, opts.name, opts.kubeconfig, true);
    console.error(`ERROR: failed to create cluster: ${(e as Error).message}`);
    return 1;
  }
}

function readKindConfigDefault(): StandInKindConfig {
  return { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', disableDefaultCNI: false, kubeProxyMode: 'iptables', nodes: [{ role: 'control-plane', labels: {}, extraMounts: [] }] };
}

/** `kind delete cluster`: stops the daemon, removes the node containers, the state and the kubeconfig entries. */
export async function deleteStandInCluster(state: string, name: string, kubeconfig: string | undefined, quiet = false): Promise<number> {
  const eng = engine();
  if (!quiet) process.stderr.write(`Deleting cluster "${name}" ...\n`);
  const serverFile = join(state, name, 'server.json');
  if (existsSync(serverFile)) {
    const { pid } = JSON.parse(readFileSync(serverFile, 'utf8')) as DaemonServer;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // ESRCH: the daemon is already gone.
    }
  }
  const ids = (await eng.dockerOk(['ps', '-aq', '--filter', `label=${CLUSTER_LABEL}=${name}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await eng.dockerOk(['rm', '-f', ...ids]);
  rmSync(join(state, name), { recursive: true, force: true });
  removeKindEntries(kubeconfig ?? kindKubeconfigPath(process.env), name);
  if (!quiet) process.stderr.write(`Deleted nodes: ${JSON.stringify(ids)}\n`);
  return 0;
}
