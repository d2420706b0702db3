/** Builds a whole lab as ordered steps (wire, nodes, routes, the optional Docker host and client, Pods, Services), with progress; any failure aborts it. */
import type { PodSpec, Topology } from '../../../model/topology';
import { formatIPv4, nthHost } from '../../../model/cidr';
import { mapLimit } from '../../../util/concurrency';
import { runOk } from '../../../util/exec';
import type { LabEvent, NodeInfo } from '../control/protocol';
import { buildDockerHost, requireNft } from './dockerHost';
import { createPod, type IpamTurn } from './podLifecycle';
import { CLIENT_WIRE_PORT, DOCKER_WIRE_PORT, WIRE_BRIDGE, clientNsId, hostNsId, nodeInfo, nodeNsId, type LabContext } from './labState';
import { peerRoutePlan, refusedRoutesSummary, tryOffLinkRoutes } from './overlay/peerRoutes';
import { buildSubnetsAndRouter, routerSummary } from './overlay/router';
import { assertEveryMachineInASubnet, defaultRouteLines, hasSubnets, segmentFor, subnetBridges } from './overlay/subnets';
import { buildVxlanOverlay, requireBridgeTool, vtepInfo, vxlanNodes } from './overlay/vxlan';
import { buildServices, requireNftForServices } from './services/serviceLifecycle';

/** How many Pods are created at once (each is a few short-lived processes). */
export const POD_CONCURRENCY = 6;

type Progress = (e: Extract<LabEvent, { event: 'progress' }>) => void;

/**
 * One turn per Pod at its node's IP allocator, chained in topology order: Pods are built concurrently, but
 * host-local hands out addresses in the order it is asked, so each Pod waits for the previous Pod of its node.
 * The first Pod of a node thus always gets .2, the next .3, and so on, on every run.
 */
export function ipamTurns(pods: readonly PodSpec[]): IpamTurn[] {
  const last = new Map<string, Promise<void>>();
  return pods.map((p) => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const ready = last.get(p.node) ?? Promise.resolve();
    last.set(p.node, released);
    return { ready, release };
  });
}

async function ipBatch(ctx: LabContext, enter: (argv: string[]) => string[], lines: string[], what: string): Promise<void> {
  await runOk(enter([ctx.tools.ip, '-batch', '-']), { input: `${lines.join('\n')}\n` }, what);
}

const here = (argv: string[]): string[] => argv;

/** Step 1: the physical network: a bridge in the sandbox's own namespace, or one per subnet and a router between them (overlay/router.ts). */
async function buildWire(ctx: LabContext, topo: Topology): Promise<string> {
  if (hasSubnets(topo)) {
    ctx.router = await buildSubnetsAndRouter(ctx, topo);
    ctx.wireBridge = subnetBridges(topo)[0];
    return routerSummary(topo, ctx.router);
  }
  await ipBatch(ctx, here, ['link set lo up', `link add ${WIRE_BRIDGE} type bridge`, `link set ${WIRE_BRIDGE} up`], 'creating the physical network');
  return `physical network ${topo.network.cidr} (${WIRE_BRIDGE})`;
}

/**
 * A machine on the wire: namespace `id` with lo up, eth0 at `ip` (its peer `wirePort` on the wire bridge of its subnet), forwarding on, plus `extra` ip
 * commands and, with subnets, a default route via the router.
 */
async function joinWire(
  ctx: LabContext, topo: Topology, m: { id: string; hostname: string; label: string; ip: string; wirePort: string; extra: string[] },
): Promise<void> {
  await ctx.ns.create(m.id, m.hostname);
  const segment = segmentFor(topo, m.ip, m.label);
  const prefix = segment.prefix;
  await ipBatch(ctx, (argv) => ctx.ns.enter(m.id, argv), [
    'link set lo up',
    `link add eth0 type veth peer name ${m.wirePort} netns ${process.pid}`,
    `addr add ${m.ip}/${prefix} dev eth0`,
    'link set eth0 up',
    ...m.extra,
    ...defaultRouteLines(segment),
  ], `wiring ${m.label}`);
  await runOk(ctx.ns.enter(m.id, [ctx.tools.busybox, 'sysctl', '-w', 'net.ipv4.ip_forward=1']), {}, `enabling forwarding on ${m.label}`);
  await ipBatch(ctx, here, [`link set ${m.wirePort} master ${segment.bridge}`, `link set ${m.wirePort} up`], `plugging ${m.label} into the wire`);
}

/**
 * Step 2: each node is a namespace with eth0 on the wire, forwarding on, and routes to the other nodes' Pod CIDRs where the next hop is on-link
 * (the kernel refuses the others; they are recorded, see overlay/peerRoutes.ts).
 */
async function buildNode(ctx: LabContext, topo: Topology, index: number): Promise<NodeInfo> {
  const spec = topo.nodes[index];
  const info = nodeInfo(spec, index, formatIPv4(nthHost(spec.podCIDR, 1)));
  const routes = peerRoutePlan(topo, spec);
  await joinWire(ctx, topo, { id: nodeNsId(spec.name), hostname: spec.name, label: `node ${spec.name}`, ip: spec.ip, wirePort: info.wirePort, extra: routes.onLink });
  const refused = await tryOffLinkRoutes(ctx, spec, routes);
  const subnet = hasSubnets(topo) ? segmentFor(topo, spec.ip, `node ${spec.name}`).subnet?.name : undefined;
  return { ...info, ...(subnet ? { subnet } : {}), ...(spec.cni === 'vxlan' ? { vtep: vtepInfo(spec) } : {}), ...(refused.length ? { refusedRoutes: refused } : {}) };
}

/**
 * Step 3 (optional): the Docker host: on the wire like a node but with no route to any Pod CIDR (it is not in the cluster), then docker0, containers and
 * NAT.
 */
async function buildDockerHostStep(ctx: LabContext, topo: Topology): Promise<string> {
  const spec = topo.dockerHost;
  if (!spec) return '';
  await joinWire(ctx, topo, { id: hostNsId(spec.name), hostname: spec.name, label: `Docker host ${spec.name}`, ip: spec.ip, wirePort: DOCKER_WIRE_PORT, extra: [] });
  const info = await buildDockerHost(ctx, spec);
  ctx.dockerHost = info;
  const containers = info.containers.map((c) => `${c.name} ${c.ip}${c.publish !== undefined ? ` (host :${c.publish} -> :${c.port})` : ''}`);
  return `Docker host ${info.name} ${info.ip}: ${info.bridge} ${info.bridgeCIDR}, containers ${containers.join(', ')}; MASQUERADE and DNAT with nftables`;
}

/** Step (optional): the outside client: on the wire like the Docker host, with no route to any Pod or Service range (it is no node). */
async function buildClientStep(ctx: LabContext, topo: Topology): Promise<string> {
  const spec = topo.client;
  if (!spec) return '';
  const label = `outside client ${spec.name}`;
  await joinWire(ctx, topo, { id: clientNsId(spec.name), hostname: spec.name, label, ip: spec.ip, wirePort: CLIENT_WIRE_PORT, extra: [] });
  const subnet = hasSubnets(topo) ? segmentFor(topo, spec.ip, label).subnet?.name : undefined;
  ctx.client = { name: spec.name, ip: spec.ip, wirePort: CLIENT_WIRE_PORT, ...(subnet ? { subnet } : {}) };
  return `${label} ${spec.ip}: on the node network, no route to the Pod or Service ranges`;
}

/** Runs every step for `topo`; on error the caller tears the sandbox down (which removes everything). */
export async function buildLab(ctx: LabContext, topo: Topology, progress: Progress): Promise<void> {
  if (topo.dockerHost) requireNft(ctx.tools); // before any step: nothing is built for a lab that cannot be finished
  assertEveryMachineInASubnet(topo);
  const vxlan = vxlanNodes(topo).length > 0;
  if (vxlan) requireBridgeTool(ctx);
  const services = (topo.services?.length ?? 0) > 0;
  if (services) requireNftForServices(ctx.tools);
  const total = 2 + (vxlan ? 1 : 0) + (topo.dockerHost ? 1 : 0) + (topo.client ? 1 : 0) + topo.pods.length + (services ? 1 : 0);
  let done = 0;
  const step = (stepName: string, detail: string) => progress({ event: 'progress', step: stepName, detail, done: ++done, total });
  ctx.topology = topo;
  step('network', await buildWire(ctx, topo));
  const infos = await Promise.all(topo.nodes.map((_, i) => buildNode(ctx, topo, i)));
  for (const info of infos) ctx.nodes.set(info.name, info); // topology order, whichever node finished first
  step('nodes', `${topo.nodes.length} node(s) wired, forwarding on, routes to each other's Pod CIDRs${refusedRoutesSummary(infos)}`);
  if (vxlan) step('overlay', await buildVxlanOverlay(ctx, topo));
  if (topo.dockerHost) step('docker-host', await buildDockerHostStep(ctx, topo));
  if (topo.client) step('client', await buildClientStep(ctx, topo));
  const turns = ipamTurns(topo.pods);
  await mapLimit(topo.pods, POD_CONCURRENCY, async (spec, i) => {
    const record = await createPod(ctx, spec, turns[i]);
    ctx.pods.set(spec.name, record);
    step('pod', `${spec.name} on ${spec.node}: ${record.info.ip}`);
  });
  if (services) step('services', await buildServices(ctx, topo));
}
