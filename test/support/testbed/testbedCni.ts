/** The test bed's CNI side: the network config per node, and calling the real plugin for a node's Pods in one exec. */
import type { DockerEngine } from '../docker/engine';
import type { TestbedNode, TestbedPod } from './testbedTypes';

const IPAM_DIR = '/run/cni-ipam-state';

/** The CNI network config a node's Pods get: kindnet's ptp, or a cbr0 bridge; both with a default route. */
export function cniConfig(cni: 'ptp' | 'bridge', podCIDR: string): Record<string, unknown> {
  const ipam = { type: 'host-local', dataDir: IPAM_DIR, routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: podCIDR }]] };
  if (cni === 'ptp') return { cniVersion: '0.3.1', name: 'kindnet', type: 'ptp', ipMasq: false, mtu: 1500, ipam };
  return { cniVersion: '0.4.0', name: 'cbr0', type: 'bridge', bridge: 'cbr0', isGateway: true, ipMasq: false, ipam };
}

/** The conflist file written to the node (the shape kind writes, for anything reading /etc/cni/net.d). */
export function cniConflist(cni: 'ptp' | 'bridge', podCIDR: string): { file: string; text: string } {
  const { cniVersion, name, ...plugin } = cniConfig(cni, podCIDR);
  const file = cni === 'ptp' ? '10-kindnet.conflist' : '10-cbr0.conflist';
  return { file, text: `${JSON.stringify({ cniVersion, name, plugins: [plugin] }, null, 2)}\n` };
}

/** One plugin call's exit code and output (stdout and stderr together). */
export interface CniCallResult {
  code: number;
  output: string;
}

/** Splits the node script's output ("=== SANDBOX_ID EXIT" before each call's output) by sandbox id. */
export function parseCniBatch(stdout: string): Map<string, CniCallResult> {
  const results = new Map<string, CniCallResult>();
  const parts = stdout.split(/^=== (\S+) (\d+)$/m);
  for (let i = 1; i + 1 < parts.length; i += 3) results.set(parts[i], { code: Number(parts[i + 1]), output: parts[i + 2] ?? '' });
  return results;
}

/**
 * Calls the CNI plugin (ADD or DEL) for Pods of one node through the image's podnet-cni script: one exec, one plugin
 * run per Pod with containerd's CNI_* environment and Kubernetes' CNI_ARGS. Names were checked as DNS labels, so
 * the space-separated lines split exactly.
 */
export async function runCni(
  engine: DockerEngine,
  node: TestbedNode,
  cni: 'ptp' | 'bridge',
  command: 'ADD' | 'DEL',
  pods: TestbedPod[],
): Promise<Map<string, CniCallResult>> {
  const lines = pods.map((p) => {
    const args = `IgnoreUnknown=1;K8S_POD_NAMESPACE=${p.namespace};K8S_POD_NAME=${p.name};K8S_POD_INFRA_CONTAINER_ID=${p.sandboxId};K8S_POD_UID=${p.uid}`;
    return `${command} ${p.sandboxId} ${p.netnsPath} ${args}`;
  });
  const r = await engine.dockerOk(
    ['exec', '-i', node.container, 'podnet-cni', cni, JSON.stringify(cniConfig(cni, node.podCIDR))],
    { input: `${lines.join('\n')}\n`, timeoutMs: 120_000 },
    `CNI ${cni} ${command} on ${node.name}`,
  );
  return parseCniBatch(r.stdout);
}

/** The Pod's IPv4 address from a CNI ADD result. */
export function addressFromResult(output: string, what: string): string {
  const json = output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1);
  let ip: unknown;
  try {
    ip = (JSON.parse(json) as { ips?: { address?: string }[] }).ips?.[0]?.address?.split('/')[0];
  } catch (e) {
    throw new Error(`the CNI plugin's result for ${what} is not JSON: ${output.slice(0, 200)}`, { cause: e });
  }
  if (typeof ip !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`the CNI plugin gave ${what} no IPv4 address: ${output.slice(0, 200)}`);
  return ip;
}
