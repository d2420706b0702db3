/** Calls the real CNI plugins (bridge + host-local, loopback) the way a container runtime does for kubelet. */
import { join } from 'node:path';
import { run, prettyCommand } from '../../../util/exec';
import type { LabTools } from '../tools';

/** What the bridge plugin reports for one Pod. */
export interface CniAttachment {
  ip: string;
  prefixLength: number;
  gateway: string;
  mac: string;
  hostVeth: string;
  bridge: string;
}

/** Bridge of a node's Pods; the network is named after it too. */
export const POD_BRIDGE = 'cbr0';

/**
 * The bridge network config: `bridge` (cbr0 on a node, docker0 on the Docker host), gateway on the first address, no masquerade (the plugin's would use
 * iptables); `mtu` for the bridge and the Pods' eth0 only when given (a vxlan node: 1450, as Flannel hands its bridge delegate).
 */
export function bridgeNetconf(podCIDR: string, dataDir: string, bridge: string = POD_BRIDGE, mtu?: number): object {
  return {
    cniVersion: '0.4.0',
    name: bridge,
    type: 'bridge',
    bridge,
    isGateway: true,
    ipMasq: false,
    // On cbr0 a Pod may reach itself through a Service (hairpin: the bridge sends the frame back out the port it came in); Flannel's config sets it too.
    hairpinMode: bridge === POD_BRIDGE,
    ...(mtu !== undefined ? { mtu } : {}),
    ipam: { type: 'host-local', subnet: podCIDR, dataDir, routes: [{ dst: '0.0.0.0/0' }] },
  };
}

/** The ptp network config kind's kindnetd writes: one veth per Pod, the gateway address on the host end, a /32 route per Pod. */
export function ptpNetconf(podCIDR: string, dataDir: string): object {
  return {
    cniVersion: '0.4.0',
    name: 'kindnet',
    type: 'ptp',
    ipMasq: false,
    mtu: 1500,
    ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: podCIDR }]], routes: [{ dst: '0.0.0.0/0' }] },
  };
}

const LOOPBACK_NETCONF = { cniVersion: '0.4.0', name: 'lo', type: 'loopback' };

interface CniCall {
  command: 'ADD' | 'DEL';
  plugin: string;
  netconf: object;
  containerId: string;
  netns: string;
  /** argv prefix that enters the node's namespaces (the plugin runs "on the node"). */
  enterNode: (argv: string[]) => string[];
}

async function callPlugin(tools: LabTools, call: CniCall): Promise<unknown> {
  const argv = call.enterNode([join(tools.cniPath, call.plugin)]);
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.containerId,
    CNI_NETNS: call.netns,
    CNI_IFNAME: call.plugin === 'loopback' ? 'lo' : 'eth0',
    CNI_PATH: tools.cniPath,
  };
  const res = await run(argv, { env, input: JSON.stringify(call.netconf), timeoutMs: 20_000 });
  if (res.code !== 0) {
    let msg = res.stderr.trim() || res.stdout.trim();
    try {
      const body = JSON.parse(res.stdout) as { msg?: string; details?: string };
      msg = [body.msg, body.details].filter(Boolean).join(': ') || msg;
    } catch {
      // not JSON: keep the raw text
    }
    throw new Error(`CNI ${call.plugin} ${call.command} failed (${prettyCommand(argv)} with CNI_COMMAND=${call.command}): ${msg}`);
  }
  return res.stdout.trim() ? JSON.parse(res.stdout) : {};
}

interface BridgeResult {
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
}

/** Where a sandbox attaches: `podCIDR` is the bridge's subnet; `bridge` defaults to cbr0 (a Docker host passes docker0). */
export interface CniArgs {
  podCIDR: string;
  dataDir: string;
  containerId: string;
  podNetns: string;
  enterNode: (argv: string[]) => string[];
  bridge?: string;
  /** `ptp` wires the Pod without a bridge (kind-style); default `bridge`. */
  plugin?: 'bridge' | 'ptp';
  /** MTU of the bridge and the Pod's eth0 (bridge plugin only); absent: the kernel's 1500. */
  mtu?: number;
}

function netconfFor(args: CniArgs): { plugin: string; netconf: object } {
  return args.plugin === 'ptp'
    ? { plugin: 'ptp', netconf: ptpNetconf(args.podCIDR, args.dataDir) }
    : { plugin: 'bridge', netconf: bridgeNetconf(args.podCIDR, args.dataDir, args.bridge ?? POD_BRIDGE, args.mtu) };
}

/** Attaches a Pod: loopback up, then the bridge (or ptp) plugin creates the veth pair and host-local picks the IP. */
export async function cniAdd(tools: LabTools, args: CniArgs): Promise<CniAttachment> {
  const base = { containerId: args.containerId, netns: args.podNetns, enterNode: args.enterNode };
  const bridge = args.plugin === 'ptp' ? '' : (args.bridge ?? POD_BRIDGE);
  await callPlugin(tools, { ...base, command: 'ADD', plugin: 'loopback', netconf: LOOPBACK_NETCONF });
  const { plugin, netconf } = netconfFor(args);
  const result = (await callPlugin(tools, { ...base, command: 'ADD', plugin, netconf })) as BridgeResult;
  const ipEntry = result.ips?.[0];
  if (!ipEntry) throw new Error(`CNI ${plugin} ADD for ${args.containerId} returned no IP address`);
  const [ip, prefix] = ipEntry.address.split('/');
  const ifaces = result.interfaces ?? [];
  const podIface = ifaces[ipEntry.interface ?? -1] ?? ifaces.find((i) => i.sandbox);
  const hostVeth = ifaces.find((i) => !i.sandbox && i.name !== bridge);
  return {
    ip,
    prefixLength: Number(prefix),
    gateway: ipEntry.gateway ?? '',
    mac: podIface?.mac ?? '',
    hostVeth: hostVeth?.name ?? '',
    bridge,
  };
}

/** Detaches a Pod: the bridge (or ptp) plugin removes eth0 and host-local releases the IP. */
export async function cniDel(tools: LabTools, args: CniArgs): Promise<void> {
  const base = { containerId: args.containerId, netns: args.podNetns, enterNode: args.enterNode };
  await callPlugin(tools, { ...base, command: 'DEL', ...netconfFor(args) });
  await callPlugin(tools, { ...base, command: 'DEL', plugin: 'loopback', netconf: LOOPBACK_NETCONF });
}
