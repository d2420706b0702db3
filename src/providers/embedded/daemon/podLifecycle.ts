/** Creating and deleting one Pod: namespaces, CNI ADD/DEL, and its containers (with rollback on failure). */
import type { PodSpec } from '../../../model/topology';
import { LabError } from '../control/labError';
import type { PodInfo } from '../control/protocol';
import { type CniArgs, cniAdd, cniDel } from './cni';
import { startContainer, stopContainer, waitUntilReady, type RunningContainer } from './containers';
import { VXLAN_MTU } from './overlay/vxlan';
import { ipamDir, nodeNsId, podNsId, type LabContext, type PodRecord } from './labState';
import { endpointsFollowPods } from './services/serviceLifecycle';

function cniArgs(ctx: LabContext, spec: PodSpec, sandboxId: string): CniArgs {
  const node = ctx.nodes.get(spec.node);
  if (!node) throw new LabError(`node ${spec.node} does not exist in this lab`, 'NOT_FOUND', 'node');
  return {
    podCIDR: node.podCIDR,
    dataDir: ipamDir(ctx, spec.node),
    containerId: sandboxId,
    podNetns: ctx.ns.files(podNsId(spec.name)).net,
    enterNode: (argv: string[]) => ctx.ns.enter(nodeNsId(spec.node), argv),
    // A vxlan node wires its Pods on cbr0 like a bridge node; the tunnel is the node's business, not the Pod's.
    plugin: node.cni === 'ptp' ? 'ptp' : 'bridge',
    ...(node.cni === 'vxlan' ? { mtu: VXLAN_MTU } : {}),
  };
}

/** A Pod's turn at its node's IP allocator: wait for `ready`, call `release` once the address is taken (or the attempt failed). */
export interface IpamTurn {
  ready: Promise<void>;
  release: () => void;
}

/** CNI ADD in the Pod's IPAM turn, if it has one; the turn is passed on whatever happens. */
async function attachInTurn(ctx: LabContext, spec: PodSpec, sandboxId: string, turn?: IpamTurn) {
  try {
    await turn?.ready;
    return await cniAdd(ctx.tools, cniArgs(ctx, spec, sandboxId));
  } finally {
    turn?.release();
  }
}

/** Creates a Pod the way kubelet does: sandbox namespaces, CNI ADD, then the containers; undoes it all on failure. */
export async function createPod(ctx: LabContext, spec: PodSpec, turn?: IpamTurn): Promise<PodRecord> {
  const sandboxId = `podnet-${ctx.lab}-${spec.name}-${++ctx.sandboxSeq}`;
  const nsId = podNsId(spec.name);
  const info: PodInfo = {
    name: spec.name, node: spec.node, ip: '', prefixLength: 0, gateway: '', mac: '', hostVeth: '',
    status: 'Pending', containers: [], sandboxId, createdAt: new Date().toISOString(), ...(spec.labels ? { labels: spec.labels } : {}),
  };
  const record: PodRecord = { spec, info, containers: [] };
  let attached = false;
  try {
    await ctx.ns.create(nsId, spec.name).catch((e: unknown) => {
      turn?.release(); // the next Pod of this node must not wait for one that will never ask
      throw e;
    });
    const att = await attachInTurn(ctx, spec, sandboxId, turn);
    attached = true;
    Object.assign(info, { ip: att.ip, prefixLength: att.prefixLength, gateway: att.gateway, mac: att.mac, hostVeth: att.hostVeth });
    const identity = { pod: spec.name, node: spec.node, ip: att.ip };
    for (const c of spec.containers) {
      record.containers.push(startContainer(ctx.tools, c, identity, ctx.files, (argv) => ctx.ns.enterWorkload(nsId, argv)));
    }
    info.containers = record.containers.map((c) => c.info);
    const ready = await Promise.all(record.containers.map((c) => waitUntilReady(c)));
    const failed = record.containers.filter((_, i) => !ready[i]).map((c) => c.spec.name);
    if (failed.length) throw new Error(`container(s) ${failed.join(', ')} of Pod ${spec.name} did not become ready (see ${ctx.files.podsDir}/${spec.name}/*.log inside the lab)`);
    info.status = 'Running';
    for (const c of record.containers) void c.exited.then(() => containerExited(ctx, record));
    return record;
  } catch (e) {
    try {
      await teardownPod(ctx, spec, record.containers, sandboxId, attached);
    } catch (undo) {
      throw new Error(`${(e as Error).message}; undoing Pod ${spec.name} failed too: ${(undo as Error).message}`, { cause: e });
    }
    throw e;
  }
}

/** A container of a running Pod stopped on its own: the Pod fails once none is left, and watchers hear of it. */
function containerExited(ctx: LabContext, record: PodRecord): void {
  if (record.info.status !== 'Running') return; // deleting: not news
  if (record.containers.every((c) => c.info.state === 'exited')) record.info.status = 'Failed';
  ctx.broadcast({ event: 'pod', change: 'updated', pod: record.info });
  // A failed Pod is no endpoint any more. Nobody waits for this update, so a failure can only go to the lab's log.
  if (record.info.status === 'Failed') void endpointsFollowPods(ctx).catch((e: unknown) => console.error(`updating Services after Pod ${record.spec.name} failed: ${(e as Error).message}`));
}

async function teardownPod(ctx: LabContext, spec: PodSpec, containers: RunningContainer[], sandboxId: string, attached: boolean): Promise<void> {
  await Promise.all(containers.map((c) => stopContainer(c)));
  if (attached) await cniDel(ctx.tools, cniArgs(ctx, spec, sandboxId));
  await ctx.ns.remove(podNsId(spec.name));
}

/** Deletes a Pod: it leaves its Services' endpoints, its containers stop, CNI DEL releases its IP, its namespaces go away. */
export async function deletePod(ctx: LabContext, record: PodRecord): Promise<void> {
  record.info.status = 'Terminating';
  // As in Kubernetes, a terminating Pod stops receiving Service traffic before its containers stop. If that update fails, the
  // Pod still goes: the failed node reloads its whole table at the next sync, which the delete handler runs and reports on.
  await endpointsFollowPods(ctx).catch((e: unknown) => console.error(`updating Services while Pod ${record.spec.name} terminates: ${(e as Error).message}`));
  await teardownPod(ctx, record.spec, record.containers, record.info.sandboxId, true);
}
