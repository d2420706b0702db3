/**
 * Records test/fixtures/nft/*: rule text loaded into the real nft (and iptables-nft) in a scratch user + network
 * namespace, listed back with `nft -j list ruleset` (and iptables-save). Run: `npx tsx test/support/nftFixtures.ts`.
 * The host's own namespace is never touched.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSpec } from '../../src/model/topology';
import { kubeProxyRuleset, type KubeProxyEndpoint, type KubeProxyInput } from '../../src/providers/embedded/daemon/services/kubeProxyRules';
import { findExecutable } from '../../src/providers/embedded/tools';
import { runOk, startProcess } from '../../src/util/exec';

/** Where the fixtures live. */
export const NFT_FIXTURES = join(__dirname, '..', 'fixtures', 'nft');

/** The two nodes of the recorded lab. */
export const NODES = { node1: { name: 'node1', ip: '192.168.1.100' }, node2: { name: 'node2', ip: '192.168.1.101' } } as const;

const ep = (ip: string, node: string, port = 8080): KubeProxyEndpoint => ({ ip, port, node, ready: true });

function svc(name: string, clusterIP: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, selector: { labels: { app: name } }, type: 'ClusterIP', clusterIP, protocol: 'tcp', port: 80, targetPort: 8080,
    externalTrafficPolicy: 'Cluster', ...extra,
  };
}

/** The Services of the recorded lab (same on both nodes; endpoints on node1 are 10.244.1.x, on node2 10.244.2.x). */
export const SERVICES: KubeProxyInput['services'] = [
  { spec: svc('one', '10.96.0.100'), endpoints: [ep('10.244.1.2', 'node1')] },
  { spec: svc('two', '10.96.0.101'), endpoints: [ep('10.244.1.2', 'node1'), ep('10.244.2.2', 'node2')] },
  { spec: svc('three', '10.96.0.102'), endpoints: [ep('10.244.1.2', 'node1'), ep('10.244.1.3', 'node1'), ep('10.244.2.2', 'node2')] },
  { spec: svc('empty', '10.96.0.103'), endpoints: [] },
  { spec: svc('np-cluster', '10.96.0.104', { type: 'NodePort', nodePort: 30080 }), endpoints: [ep('10.244.2.2', 'node2')] },
  { spec: svc('np-local', '10.96.0.105', { type: 'NodePort', nodePort: 30081, externalTrafficPolicy: 'Local' }), endpoints: [ep('10.244.2.2', 'node2')] },
  { spec: svc('dns', '10.96.0.106', { protocol: 'udp', port: 53, targetPort: 53 }), endpoints: [ep('10.244.2.3', 'node2', 53)] },
  { spec: svc('np-empty', '10.96.0.107', { type: 'NodePort', nodePort: 30082 }), endpoints: [] },
];

/** The generator's input for one node of the recorded lab. */
export function labInput(node: keyof typeof NODES): KubeProxyInput {
  return { node: NODES[node], clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', services: SERVICES };
}

/** Waits until `holder` runs sleep in a network namespace other than ours: before that, nsenter would reach the host's own. */
async function enteredOwnNamespace(holder: ChildProcess): Promise<void> {
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 100; i++) {
    try {
      // `sleep` runs once unshare has made both namespaces and written the uid map (before that, nsenter gets EPERM)
      const ready = readFileSync(`/proc/${holder.pid}/comm`, 'utf8').trim() === 'sleep';
      if (ready && readlinkSync(`/proc/${holder.pid}/ns/net`) !== own) return;
    } catch {
      // not started yet (no /proc entry): try again
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the scratch namespace holder (unshare -Urn sleep) did not enter a namespace of its own within 2 s');
}

/** A scratch user + network namespace kept alive by a sleeping process, and a way to run argv inside it. */
export async function inScratch<T>(body: (inNs: (argv: string[]) => string[]) => Promise<T>): Promise<T> {
  const holder: ChildProcess = startProcess(['unshare', '-Urn', '--', 'sleep', '120'], { stdio: 'ignore' });
  try {
    await enteredOwnNamespace(holder);
    return await body((argv) => ['nsenter', '-t', String(holder.pid), '-U', '-n', '--preserve-credentials', '--', ...argv]);
  } finally {
    holder.kill('SIGKILL');
  }
}

function tool(name: string): string {
  const path = findExecutable(name);
  if (!path) throw new Error(`${name} is not installed: install nftables and iptables (apt-get install nftables iptables) to record the nft fixtures`);
  return path;
}

/** Loads an nft script into a fresh namespace and answers `nft -j list ruleset` as pretty JSON. */
export async function nftListing(script: string): Promise<string> {
  const nft = tool('nft');
  return inScratch(async (inNs) => {
    await runOk(inNs([nft, '-f', '-']), { input: script, timeoutMs: 10_000 }, 'loading the fixture rules');
    const listed = await runOk(inNs([nft, '-j', 'list', 'ruleset']), { timeoutMs: 10_000 }, 'listing the fixture rules');
    return `${JSON.stringify(JSON.parse(listed.stdout), null, 1)}\n`;
  });
}

/** Loads iptables-restore text through iptables-nft and answers both views: nft's JSON and iptables-save's text. */
export async function iptablesListing(rules: string): Promise<{ json: string; save: string }> {
  const [restore, save, nft] = [tool('iptables-nft-restore'), tool('iptables-nft-save'), tool('nft')];
  return inScratch(async (inNs) => {
    await runOk(inNs([restore]), { input: rules, timeoutMs: 10_000 }, 'loading the iptables fixture rules');
    const listed = await runOk(inNs([nft, '-j', 'list', 'ruleset']), { timeoutMs: 10_000 }, 'listing the iptables fixture rules');
    const saved = await runOk(inNs([save]), { timeoutMs: 10_000 }, 'iptables-save');
    return { json: `${JSON.stringify(JSON.parse(listed.stdout), null, 1)}\n`, save: saved.stdout.replace(/^# (Generated|Completed) .*\n/gm, '') };
  });
}

async function main(): Promise<void> {
  for (const node of ['node1', 'node2'] as const) {
    const script = kubeProxyRuleset(labInput(node));
    writeFileSync(join(NFT_FIXTURES, `kube-proxy-${node}.nft`), script);
    writeFileSync(join(NFT_FIXTURES, `kube-proxy-${node}.json`), await nftListing(script));
  }
  const upstream = readFileSync(join(NFT_FIXTURES, 'kube-proxy-upstream.nft'), 'utf8');
  writeFileSync(join(NFT_FIXTURES, 'kube-proxy-upstream.json'), await nftListing(upstream));
  const ipt = await iptablesListing(readFileSync(join(NFT_FIXTURES, 'kube-proxy-iptables-mode.rules'), 'utf8'));
  writeFileSync(join(NFT_FIXTURES, 'kube-proxy-iptables-mode.json'), ipt.json);
  writeFileSync(join(NFT_FIXTURES, 'kube-proxy-iptables-mode.save'), ipt.save);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
