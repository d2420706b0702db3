/**
 * The physical network split into subnets (issue 12): one wire bridge per subnet in the sandbox namespace, and a router namespace with one
 * interface in each, forwarding between them. Like a data-centre router it knows only the subnets, never a Pod CIDR.
 */
import type { Topology } from '../../../../model/topology';
import { runOk } from '../../../../util/exec';
import type { RouterInfo } from '../../control/protocol';
import { WIRE_BRIDGE, type LabContext } from '../labState';
import { DEFAULT_ROUTER_NAME, subnetBridgeName, subnetsOf } from './subnets';

/** Namespace-file id of the router. */
export const routerNsId = (router: string): string => `router-${router}`;

/** The router's port on subnet number `index`'s wire bridge (nodes have wire0-p1, ..., the Docker host wire0-h1). */
export const routerWirePort = (index: number): string => `${WIRE_BRIDGE}-r${index + 1}`;

/** The router's interface in subnet number `index`. */
export const routerIfname = (index: number): string => `eth${index}`;

/** Runs `ip -batch -` with `lines`, in namespace `nsId` or (undefined) the sandbox's own, where the wire bridges live. */
export async function ipBatchIn(ctx: LabContext, nsId: string | undefined, lines: string[], what: string): Promise<void> {
  const argv = [ctx.tools.ip, '-batch', '-'];
  await runOk(nsId ? ctx.ns.enter(nsId, argv) : argv, { input: `${lines.join('\n')}\n` }, what);
}

/** What the router will be: its name and one interface per subnet, in topology order (pure). */
export function routerPlan(topo: Topology): RouterInfo {
  const name = topo.network.router?.name ?? DEFAULT_ROUTER_NAME;
  const interfaces = subnetsOf(topo).map((s, i) => ({ ifname: routerIfname(i), subnet: s.name, ip: s.routerIP, wirePort: routerWirePort(i) }));
  return { name, interfaces };
}

/** The sandbox-side lines that create one bridge per subnet (pure). */
export function subnetWireLines(topo: Topology): string[] {
  const bridges = subnetsOf(topo).map(subnetBridgeName);
  return ['link set lo up', ...bridges.flatMap((b) => [`link add ${b} type bridge`, `link set ${b} up`])];
}

/** The router-side lines: lo up, then per subnet a veth whose far end lands in the sandbox, its address, up (pure). */
export function routerLines(topo: Topology, sandboxPid: number): string[] {
  const subnets = subnetsOf(topo);
  return ['link set lo up', ...routerPlan(topo).interfaces.flatMap((itf, i) => [
    `link add ${itf.ifname} type veth peer name ${itf.wirePort} netns ${sandboxPid}`,
    `addr add ${itf.ip}/${subnets[i].cidr.split('/')[1]} dev ${itf.ifname}`,
    `link set ${itf.ifname} up`,
  ])];
}

/** Builds the subnet bridges and the router; returns the RouterInfo for the lab status. */
export async function buildSubnetsAndRouter(ctx: LabContext, topo: Topology): Promise<RouterInfo> {
  await ipBatchIn(ctx, undefined, subnetWireLines(topo), 'creating the subnets of the physical network');
  const plan = routerPlan(topo);
  const id = routerNsId(plan.name);
  await ctx.ns.create(id, plan.name);
  await ipBatchIn(ctx, id, routerLines(topo, process.pid), `wiring router ${plan.name}`);
  await runOk(ctx.ns.enter(id, [ctx.tools.busybox, 'sysctl', '-w', 'net.ipv4.ip_forward=1']), {}, `enabling forwarding on router ${plan.name}`);
  const plug = plan.interfaces.flatMap((itf, i) => {
    const bridge = subnetBridgeName(subnetsOf(topo)[i], i);
    return [`link set ${itf.wirePort} master ${bridge}`, `link set ${itf.wirePort} up`];
  });
  await ipBatchIn(ctx, undefined, plug, `plugging router ${plan.name} into the subnets`);
  return plan;
}

/** One line for the build progress: the subnets, their bridges and the router's addresses. */
export function routerSummary(topo: Topology, router: RouterInfo): string {
  const parts = subnetsOf(topo).map((s, i) => `${s.name} ${s.cidr} (${subnetBridgeName(s, i)}, router ${s.routerIP})`);
  return `physical network: subnets ${parts.join(', ')} joined by router ${router.name} (forwarding on, no route to any Pod CIDR)`;
}
