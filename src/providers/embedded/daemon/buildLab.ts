/** Builds a whole lab as ordered steps (wire, nodes, routes, Pods), reporting progress; any failure aborts the build. */
import type { Topology } from '../../../model/topology';
import { formatIPv4, nthHost } from '../../../model/cidr';
import { mapLimit } from '../../../util/concurrency';
import { runOk } from '../../../util/exec';
import type { LabEvent } from '../control/protocol';
import { createPod } from './podLifecycle';
import { WIRE_BRIDGE, nodeInfo, nodeNsId, type LabContext } from './labState';

/** How many Pods are created at once (each is a few short-lived processes). */
export const POD_CONCURRENCY = 6;

type Progress = (e: Extract<LabEvent, { event: 'progress' }>) => void;

async function ipBatch(ctx: LabContext, enter: (argv: string[]) => string[], lines: string[], what: string): Promise<void> {
  await runOk(enter([ctx.tools.ip, '-batch', '-']), { input: `${lines.join('\n')}\n` }, what);
}

const here = (argv: string[]): string[] => argv;

/** Step 1: the physical network: a bridge in the sandbox's own namespace. */
async function buildWire(ctx: LabContext): Promise<void> {
  await ipBatch(ctx, here, ['link set lo up', `link add ${WIRE_BRIDGE} type bridge`, `link set ${WIRE_BRIDGE} up`], 'creating the physical network');
}

/** Step 2: each node is a namespace with eth0 on the wire, forwarding on, and routes to the other nodes' Pod CIDRs. */
async function buildNode(ctx: LabContext, topo: Topology, index: number): Promise<void> {
  const spec = topo.nodes[index];
  const info = nodeInfo(spec, index, formatIPv4(nthHost(spec.podCIDR, 1)));
  const id = nodeNsId(spec.name);
  await ctx.ns.create(id, spec.name);
  const prefix = topo.network.cidr.split('/')[1];
  const routes = topo.nodes.filter((n) => n.name !== spec.name).map((n) => `route add ${n.podCIDR} via ${n.ip} dev eth0`);
  await ipBatch(ctx, (argv) => ctx.ns.enter(id, argv), [
    'link set lo up',
    `link add eth0 type veth peer name ${info.wirePort} netns ${process.pid}`,
    `addr add ${spec.ip}/${prefix} dev eth0`,
    'link set eth0 up',
    ...routes,
  ], `wiring node ${spec.name}`);
  await runOk(ctx.ns.enter(id, [ctx.tools.busybox, 'sysctl', '-w', 'net.ipv4.ip_forward=1']), {}, `enabling forwarding on ${spec.name}`);
  await ipBatch(ctx, here, [`link set ${info.wirePort} master ${WIRE_BRIDGE}`, `link set ${info.wirePort} up`], `plugging ${spec.name} into the wire`);
  ctx.nodes.set(spec.name, info);
}

/** Runs every step for `topo`; on error the caller tears the sandbox down (which removes everything). */
export async function buildLab(ctx: LabContext, topo: Topology, progress: Progress): Promise<void> {
  const total = 2 + topo.pods.length;
  let done = 0;
  const step = (stepName: string, detail: string) => progress({ event: 'progress', step: stepName, detail, done: ++done, total });
  ctx.topology = topo;
  await buildWire(ctx);
  step('network', `physical network ${topo.network.cidr} (${WIRE_BRIDGE})`);
  await Promise.all(topo.nodes.map((_, i) => buildNode(ctx, topo, i)));
  step('nodes', `${topo.nodes.length} node(s) wired, forwarding on, routes to each other's Pod CIDRs`);
  await mapLimit(topo.pods, POD_CONCURRENCY, async (spec) => {
    const record = await createPod(ctx, spec);
    ctx.pods.set(spec.name, record);
    step('pod', `${spec.name} on ${spec.node}: ${record.info.ip}`);
  });
}
