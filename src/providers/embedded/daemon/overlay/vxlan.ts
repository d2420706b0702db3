/**
 * `cni: vxlan` in the style of Flannel's vxlan backend: Pods stay on cbr0, and each vxlan node gets a VXLAN device flannel.1 (VNI 1, UDP 8472,
 * no learning, MTU = underlay MTU - 50) plus, for every other vxlan node, the three entries Flannel's daemon writes: a route to its Pod CIDR via
 * its VTEP address (onlink), a permanent neighbour entry giving that address's VTEP MAC, and an FDB entry sending that MAC to its node IP.
 * The VTEP MAC here is derived from the node IP (Flannel picks a random one and publishes it in its lease), so a lab looks the same on every run.
 */
import { formatIPv4, parseCIDR, parseIPv4 } from '../../../../model/cidr';
import type { NodeSpec, Topology } from '../../../../model/topology';
import { runOk } from '../../../../util/exec';
import { LabError } from '../../control/labError';
import type { NodeInfo } from '../../control/protocol';
import { nodeNsId, type LabContext } from '../labState';
import { ipBatchIn } from './router';

/** Flannel's device name for VNI 1. */
export const VXLAN_DEV = 'flannel.1';
/** Flannel's default VNI. */
export const VXLAN_VNI = 1;
/** UDP port of Flannel's vxlan backend (the Linux kernel's historic VXLAN port, not IANA's 4789). */
export const VXLAN_PORT = 8472;
/** Bytes VXLAN adds to every packet: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const VXLAN_OVERHEAD = 50;
/** MTU of every node's eth0 on the lab's wire (a veth's default). */
export const UNDERLAY_MTU = 1500;
/** MTU of flannel.1, and of cbr0 and the Pods' eth0 on a vxlan node, so an inner packet plus the overhead fits the wire. */
export const VXLAN_MTU = UNDERLAY_MTU - VXLAN_OVERHEAD;

/** The node's VTEP MAC: locally administered, unicast, 0e:f1 followed by the node's IPv4 address. */
export function vtepMac(nodeIP: string): string {
  const n = parseIPv4(nodeIP);
  const bytes = [0x0e, 0xf1, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The node's VTEP address, as Flannel assigns it: the network address of its Pod CIDR (10.244.2.0 for 10.244.2.0/24). */
export function vtepIP(podCIDR: string): string {
  return formatIPv4(parseCIDR(podCIDR).network);
}

/** NodeInfo.vtep of a vxlan node. */
export function vtepInfo(node: NodeSpec): NonNullable<NodeInfo['vtep']> {
  return { dev: VXLAN_DEV, mac: vtepMac(node.ip), vni: VXLAN_VNI, port: VXLAN_PORT };
}

/** The vxlan nodes of the topology, in topology order. */
export function vxlanNodes(topo: Topology): NodeSpec[] {
  return topo.nodes.filter((n) => n.cni === 'vxlan');
}

/** `ip -batch` lines for `node`: flannel.1 with its /32 VTEP address, then a route and a neighbour entry per peer (pure). */
export function flannelIpLines(node: NodeSpec, peers: readonly NodeSpec[]): string[] {
  return [
    `link add ${VXLAN_DEV} address ${vtepMac(node.ip)} mtu ${VXLAN_MTU} type vxlan id ${VXLAN_VNI} local ${node.ip} dev eth0 dstport ${VXLAN_PORT} nolearning`,
    `addr add ${vtepIP(node.podCIDR)}/32 dev ${VXLAN_DEV}`,
    `link set ${VXLAN_DEV} up`,
    ...peers.flatMap((p) => [
      `route add ${p.podCIDR} via ${vtepIP(p.podCIDR)} dev ${VXLAN_DEV} onlink`,
      `neigh replace ${vtepIP(p.podCIDR)} lladdr ${vtepMac(p.ip)} dev ${VXLAN_DEV} nud permanent`,
    ]),
  ];
}

/** `bridge -batch` lines for `node`: one FDB entry per peer, sending its VTEP MAC to its node IP (pure). */
export function flannelFdbLines(peers: readonly NodeSpec[]): string[] {
  return peers.map((p) => `fdb append ${vtepMac(p.ip)} dev ${VXLAN_DEV} dst ${p.ip} self permanent`);
}

/** The `bridge` path, or a LabError saying how to get it; checked before anything of the lab is built. */
export function requireBridgeTool(ctx: Pick<LabContext, 'tools'>): string {
  if (ctx.tools.bridge) return ctx.tools.bridge;
  throw new LabError(
    "the `bridge` program (iproute2) is not installed, and vxlan nodes need it for flannel.1's FDB entries. Fix: sudo apt-get install -y iproute2",
    'FAILED', 'nodes',
  );
}

/** Programs flannel.1 on one vxlan node for all the other vxlan nodes. */
async function buildVtep(ctx: LabContext, node: NodeSpec, peers: NodeSpec[]): Promise<void> {
  const id = nodeNsId(node.name);
  await ipBatchIn(ctx, id, flannelIpLines(node, peers), `creating ${VXLAN_DEV} on node ${node.name}`);
  if (!peers.length) return;
  const fdb = `${flannelFdbLines(peers).join('\n')}\n`;
  await runOk(ctx.ns.enter(id, [requireBridgeTool(ctx), '-batch', '-']), { input: fdb }, `adding ${VXLAN_DEV}'s FDB entries on node ${node.name}`);
}

/** Builds flannel.1 on every vxlan node (the nodes are wired already); returns the build-progress line. */
export async function buildVxlanOverlay(ctx: LabContext, topo: Topology): Promise<string> {
  const nodes = vxlanNodes(topo);
  await Promise.all(nodes.map((n) => buildVtep(ctx, n, nodes.filter((p) => p.name !== n.name))));
  const names = nodes.map((n) => n.name).join(', ');
  return `VXLAN overlay on ${names}: ${VXLAN_DEV} (VNI ${VXLAN_VNI}, UDP ${VXLAN_PORT}, MTU ${VXLAN_MTU}) with a route, a neighbour and an FDB entry per peer`;
}
