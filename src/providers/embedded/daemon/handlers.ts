/** The lab process's request handlers: each operation validates its input, then acts on the lab. */
import { validatePodAddition } from '../../../model/podRequest';
import { endpointOwner } from '../../../model/serviceRequest';
import { run } from '../../../util/exec';
import { LabError } from '../control/labError';
import type { ExecTarget, LabEvent } from '../control/protocol';
import type { Handlers } from '../control/rpcServer';
import { buildLab } from './buildLab';
import { confineArgv } from './workloadMounts';
import { clientNsId, ctrNsId, hostNsId, labStatus, nodeNsId, podNsId, type LabContext, type PodRecord } from './labState';
import { routerNsId } from './overlay/router';
import { createPod, deletePod } from './podLifecycle';
import { serviceHandlers } from './serviceHandlers';
import { endpointsFollowPods } from './services/serviceLifecycle';

/** Longest a one-shot command may run in the lab (10 minutes). */
export const MAX_EXEC_TIMEOUT_MS = 600_000;

function findPod(ctx: LabContext, name: string): PodRecord {
  const pod = ctx.pods.get(name);
  if (!pod) {
    const known = [...ctx.pods.keys()].sort().join(', ') || 'none';
    throw new LabError(`pod "${name}" not found (Pods in this lab: ${known})`, 'NOT_FOUND', 'pod');
  }
  return pod;
}

const NO_DOCKER_HOST = 'this lab has no Docker host (start one with `podnet lab up --with-docker-host`, or a topology with a dockerHost section)';

/** Where a command runs on the Docker host or in one of its containers. */
function resolveDockerTarget(ctx: LabContext, target: Extract<ExecTarget, { kind: 'dockerHost' | 'dockerContainer' }>, baseEnv: Record<string, string>) {
  const host = ctx.dockerHost;
  if (target.kind === 'dockerHost') {
    if (!host) throw new LabError(NO_DOCKER_HOST, 'NOT_FOUND', 'dockerHost');
    return { nsId: hostNsId(host.name), env: { ...baseEnv, NODE_NAME: host.name } };
  }
  if (!host) throw new LabError(NO_DOCKER_HOST, 'NOT_FOUND', 'dockerContainer');
  const container = ctx.dockerContainers?.get(target.container);
  if (!container) {
    const known = host.containers.map((c) => c.name).join(', ') || 'none';
    throw new LabError(`Docker container "${target.container}" not found on ${host.name} (containers: ${known})`, 'NOT_FOUND', 'dockerContainer');
  }
  return { nsId: ctrNsId(target.container), env: container.env };
}

/** A Pod added at run time must not take the name of a Docker host endpoint (every name is a trace endpoint). */
function assertNotDockerName(ctx: LabContext, name: unknown): void {
  const host = ctx.dockerHost;
  if (!host || typeof name !== 'string') return;
  if (name === host.name) throw new LabError(`"${name}" is the name of the Docker host; pick another name`, 'CONFLICT', 'name');
  if (host.containers.some((c) => c.name === name)) throw new LabError(`"${name}" is the name of a Docker container on ${host.name}; pick another name`, 'CONFLICT', 'name');
}

/** Nor the name of a Service, the outside client or the router: a trace resolves every endpoint by name. */
function assertNotServiceOrMachineName(ctx: LabContext, name: unknown): void {
  if (!ctx.topology || typeof name !== 'string') return;
  const services = [...(ctx.services?.records.keys() ?? [])].map((n) => ({ name: n }));
  const owner = endpointOwner(ctx.topology, [], name, services);
  if (owner === 'a Service' || owner === 'the outside client' || owner === 'the router') {
    throw new LabError(`"${name}" is already the name of ${owner}; every name is a trace endpoint, so pick another`, 'CONFLICT', 'name');
  }
}

/** Resolves where a command runs: namespace id and environment. */
function resolveTarget(ctx: LabContext, target: ExecTarget): { nsId?: string; env: Record<string, string> } {
  const baseEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/' };
  switch (target?.kind) {
    case 'wire':
      return { env: baseEnv };
    case 'node':
      if (!ctx.nodes.has(target.node)) {
        throw new LabError(`node "${target.node}" not found (nodes: ${[...ctx.nodes.keys()].join(', ')})`, 'NOT_FOUND', 'node');
      }
      return { nsId: nodeNsId(target.node), env: { ...baseEnv, NODE_NAME: target.node } };
    case 'pod': {
      const pod = findPod(ctx, target.pod);
      const name = target.container ?? pod.containers[0]?.spec.name;
      const container = pod.containers.find((c) => c.spec.name === name);
      if (!container) {
        throw new LabError(`container "${name}" not found in pod ${pod.spec.name} (containers: ${pod.containers.map((c) => c.spec.name).join(', ')})`, 'NOT_FOUND', 'container');
      }
      if (pod.info.status !== 'Running') throw new LabError(`pod ${pod.spec.name} is ${pod.info.status}`, 'CONFLICT', 'pod');
      return { nsId: podNsId(pod.spec.name), env: container.env };
    }
    case 'dockerHost':
    case 'dockerContainer':
      return resolveDockerTarget(ctx, target, baseEnv);
    case 'client':
      if (!ctx.client) throw new LabError('this lab has no outside client (a topology with a client section gets one)', 'NOT_FOUND', 'client');
      return { nsId: clientNsId(ctx.client.name), env: { ...baseEnv, NODE_NAME: ctx.client.name } };
    case 'router':
      if (!ctx.router) throw new LabError('this lab has no router (a topology with network.subnets gets one)', 'NOT_FOUND', 'router');
      return { nsId: routerNsId(ctx.router.name), env: { ...baseEnv, NODE_NAME: ctx.router.name } };
    default:
      throw new LabError('exec target must be a pod, a node, the wire, the outside client, the router, the Docker host or a Docker container', 'BAD_REQUEST', 'target');
  }
}

/** Endpoints follow the Pod change `done`; a failure says the Pod change itself happened. */
async function servicesFollow(ctx: LabContext, done: string): Promise<void> {
  try {
    await endpointsFollowPods(ctx);
  } catch (e) {
    throw new Error(`${done}, but updating the Services' endpoints (kube-proxy's rules) failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Adding and deleting Pods on a running lab, each change broadcast to watchers; Services' endpoints follow. */
function podHandlers(ctx: LabContext, broadcast: (e: LabEvent) => void): Pick<Handlers, 'addPod' | 'deletePod'> {
  return {
    async addPod(req) {
      if (ctx.state !== 'running' || !ctx.topology) throw new LabError(`the lab is ${ctx.state}`, 'CONFLICT');
      assertNotDockerName(ctx, req?.name);
      assertNotServiceOrMachineName(ctx, req?.name);
      const spec = validatePodAddition(ctx.topology, [...ctx.pods.values()].map((p) => p.spec), req);
      const placeholder = { spec, info: { name: spec.name, status: 'Pending' }, containers: [] } as unknown as PodRecord;
      ctx.pods.set(spec.name, placeholder); // reserve the name while the Pod is built
      let record: PodRecord;
      try {
        record = await createPod(ctx, spec);
        ctx.pods.set(spec.name, record);
        broadcast({ event: 'pod', change: 'added', pod: record.info });
      } catch (e) {
        ctx.pods.delete(spec.name);
        throw e;
      }
      await servicesFollow(ctx, `Pod ${spec.name} was created`);
      return record.info;
    },
    async deletePod({ name }) {
      const record = findPod(ctx, name);
      if (record.info.status !== 'Running' && record.info.status !== 'Failed') throw new LabError(`pod ${name} is ${record.info.status}`, 'CONFLICT', 'pod');
      await deletePod(ctx, record);
      ctx.pods.delete(name);
      broadcast({ event: 'pod', change: 'deleted', pod: record.info });
      await servicesFollow(ctx, `Pod ${name} was deleted`);
      return { name, ip: record.info.ip };
    },
  };
}

/** Builds the handler table for one lab; `stop` ends the lab process, `watch` subscribes a socket to events. */
export function makeHandlers(ctx: LabContext, stop: () => void, watch: (s: import('node:net').Socket) => void): Handlers {
  const broadcast = (e: LabEvent) => ctx.broadcast(e);
  let building: Promise<unknown> | undefined;
  return {
    async build({ topology, sandboxPid }, { emit }) {
      if (ctx.topology || building) throw new LabError('this lab is already built', 'CONFLICT');
      ctx.sandboxPid = sandboxPid;
      ctx.state = 'building';
      building = buildLab(ctx, topology, emit);
      try {
        await building;
      } catch (e) {
        setImmediate(stop); // a half-built lab is rolled back by ending the sandbox
        throw e;
      }
      ctx.state = 'running';
      broadcast({ event: 'state', state: 'running' });
      return labStatus(ctx);
    },
    async status() {
      if (!ctx.topology) throw new LabError(`lab "${ctx.lab}" is still being started by \`podnet lab up\`: wait for it, or stop it with \`podnet lab down --lab ${ctx.lab}\``, 'CONFLICT', 'lab');
      return labStatus(ctx);
    },
    ...podHandlers(ctx, broadcast),
    ...serviceHandlers(ctx, broadcast),
    async exec({ target, argv, timeoutMs, input }) {
      if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
        throw new LabError('exec needs a command: a non-empty list of strings', 'BAD_REQUEST', 'argv');
      }
      const { nsId, env } = resolveTarget(ctx, target);
      const full = ctx.ns.enterWorkload(nsId, argv);
      const res = await run(full, { env, input, timeoutMs: Math.min(timeoutMs ?? 30_000, MAX_EXEC_TIMEOUT_MS) });
      return { code: res.code, stdout: res.stdout, stderr: res.stderr, timedOut: res.timedOut };
    },
    async route({ target }) {
      const { nsId, env } = resolveTarget(ctx, target);
      const files = nsId ? ctx.ns.files(nsId) : { net: '/proc/1/ns/net', uts: '/proc/1/ns/uts' };
      return {
        sandboxPid: ctx.sandboxPid, rootless: ctx.rootless, netns: files.net, utsns: files.uts, mntns: ctx.ns.workloadMounts,
        confine: confineArgv(ctx.tools), env,
      };
    },
    async watch(_params, { socket }) {
      watch(socket);
      return { watching: true };
    },
    async shutdown() {
      ctx.state = 'stopping';
      broadcast({ event: 'state', state: 'stopping' });
      setImmediate(stop);
      return { stopping: true };
    },
  };
}
