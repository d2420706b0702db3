// Helper for scripts/bench.mjs (section `testbed`): a snapshot and a verified cross-node trace of a real 3-node,
// 30-Pod Docker test bed of kind-shaped nodes (test/support/testbed, ptp as kindnet), through the real KubeProvider
// (Nodes and Pods from the kube-apiserver stand-in, test/support/testbedCluster.ts), once with the node containers
// entered directly (nsenter from this process, the default as root) and once with `docker exec` only, each against the
// same commands run raw (bench-lib SNAPSHOT_COMMANDS, same concurrency) the same way. Needs root and docker.io.
//   node --import tsx scripts/bench-testbed.ts [RUNS]
// Prints progress on stderr and one line of JSON on stdout.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { defaultKubeParts } from '../src/providers/kube/defaultParts';
import { KubeProvider } from '../src/providers/kube/kubeProvider';
import type { KubeParts } from '../src/providers/kube/kubeParts';
import { ContainerNodeAccess } from '../src/providers/kube/nodeAccess/containerAccess';
import { resolveInRoot } from '../src/providers/kube/nodeAccess/directEntry';
import { collectSnapshot } from '../src/snapshot/collect';
import { traceLive } from '../src/tracer/runTrace';
import { dockerEngineUnavailable, ensureDockerEngine } from '../test/support/docker/engine';
import { createTestbed, destroyTestbed, type Testbed } from '../test/support/testbed/testbed';
import { startTestbedCluster, type TestbedCluster } from '../test/support/testbedCluster';
// @ts-expect-error: a plain .mjs module without types (the bench's shared helpers)
import { rawSnapshot, runOk, stats } from './bench-lib.mjs';

const CLUSTER = 'pn-bench';
const log = (msg: string) => process.stderr.write(`bench-testbed: ${msg}\n`);

type Mode = 'direct' | 'exec';
interface Stats { median: number; min: number; runs: number[] }
type RawTarget = { id: string; prefix: string[] };

/**
 * CPU time of this process and of every child it waited for, with theirs (nsenter, docker, ip...), in ms: what a
 * snapshot costs the machine, whatever else runs on it (the wall time depends on the load, this hardly does).
 * The Docker daemon's and containerd's own work for `docker exec` is not in it.
 */
function cpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After "(comm) ": field 3 is state, so utime, stime, cutime, cstime (fields 14-17) are at 11-14 here.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10; // clock ticks of 10 ms (USER_HZ 100)
}

/** The parts of a provider whose node containers are reached by `docker exec` only (the path before direct entry). */
function execOnlyParts(): KubeParts {
  const parts = defaultKubeParts();
  return { ...parts, chooseAccess: (_nodes, o) => Promise.resolve(new ContainerNodeAccess({ runtime: 'docker', env: o.env, direct: false })) };
}

/**
 * Every namespace the collector reads on the bed, as an argv prefix entering it as the access does: `docker exec -i
 * NODE [nsenter --net=NETNS --]`, or one nsenter into the node's namespaces (a Pod's netns file opened through the
 * node's root, src/providers/kube/nodeAccess/directEntry.ts).
 */
async function rawTargets(bed: Testbed, mode: Mode): Promise<RawTarget[]> {
  const pids = new Map<string, number>();
  for (const n of bed.nodes) pids.set(n.name, Number(((await runOk(['docker', 'inspect', '-f', '{{.State.Pid}}', n.container])) as { stdout: string }).stdout.trim()));
  const node = (name: string, netns?: string): string[] => {
    const container = bed.nodes.find((n) => n.name === name)!.container;
    if (mode === 'exec') return ['docker', 'exec', '-i', container, ...(netns ? ['nsenter', `--net=${netns}`, '--'] : [])];
    const pid = pids.get(name)!;
    const netFile = netns ? resolveInRoot(`/proc/${pid}/root`, netns) : undefined;
    if (netns && !netFile) throw new Error(`${netns} is not in node ${name}`);
    return ['nsenter', `--target=${pid}`, '--mount', '--uts', '--ipc', netFile ? `--net=${netFile}` : '--net', '--pid', '--'];
  };
  const out: RawTarget[] = bed.nodes.map((n) => ({ id: `node/${n.name}`, prefix: node(n.name) }));
  for (const p of bed.pods) out.push({ id: `pod/${p.namespace}/${p.name}`, prefix: node(p.node, p.netnsPath) });
  return out;
}

async function measure(tc: TestbedCluster, bed: Testbed, mode: Mode, runs: number) {
  const provider = await KubeProvider.connect({ kubeconfig: tc.kubeconfig, context: tc.context, namespace: 'all', env: tc.env }, mode === 'exec' ? execOnlyParts() : defaultKubeParts());
  try {
    log(`${mode}: ${provider.source.accessDescription}`);
    const warm = await collectSnapshot(provider);
    if (warm.namespaces.length !== bed.nodes.length + bed.pods.length) throw new Error(`the snapshot has ${warm.namespaces.length} namespaces, not ${bed.nodes.length + bed.pods.length}`);
    const snapshot: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      await collectSnapshot(provider);
      snapshot.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
      log(`${mode}: snapshot ${i + 1}/${runs}: ${snapshot[i].toFixed(0)} ms`);
    }
    const targets = await rawTargets(bed, mode);
    const raw: number[] = [];
    for (let i = 0; i < runs; i++) raw.push(((await rawSnapshot(targets)) as { ms: number }).ms);
    log(`${mode}: raw ${raw.map((x) => x.toFixed(0)).join(', ')} ms`);
    const from = bed.pods.find((p) => p.node === `${CLUSTER}-worker`)!;
    const to = bed.pods.find((p) => p.node === `${CLUSTER}-worker2`)!;
    const req = { from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}` };
    const traces: { totalMs: number; snapshotMs: number; kernelMs: number; verifyMs: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const live = await traceLive(provider, req, { verify: true });
      const totalMs = performance.now() - t0;
      if (live.result.disposition !== 'DELIVERED' || live.result.warnings.some((w) => w.startsWith('predicted only'))) {
        throw new Error(`the trace ${req.from} -> ${req.to} was not verified as delivered: ${live.result.disposition} ${live.result.warnings.join('; ')}`);
      }
      if (i > 0) traces.push({
        totalMs, snapshotMs: live.timings.snapshotMs, kernelMs: live.timings.kernelMs, verifyMs: live.timings.verifyMs ?? NaN,
      }); // run 0 warms up
    }
    log(`${mode}: trace ${traces.map((t) => t.totalMs.toFixed(0)).join(', ')} ms`);
    const pick = (k: keyof (typeof traces)[number]): Stats => stats(traces.map((t) => t[k])) as Stats;
    return {
      access: provider.source.accessDescription,
      snapshotMs: stats(snapshot) as Stats,
      snapshotCpuMs: stats(cpu) as Stats,
      rawMs: stats(raw) as Stats,
      trace: { totalMs: pick('totalMs'), snapshotMs: pick('snapshotMs'), kernelMs: pick('kernelMs'), verifyMs: pick('verifyMs'), request: req },
    };
  } finally {
    await provider.closeAndWait();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const unavailable = dockerEngineUnavailable();
  if (unavailable) return void process.stdout.write(`${JSON.stringify({ skipped: unavailable })}\n`);
  const engine = await ensureDockerEngine();
  await destroyTestbed(engine, CLUSTER); // left by an interrupted run
  let bed: Testbed | undefined;
  let tc: TestbedCluster | undefined;
  try {
    const t0 = performance.now();
    bed = await createTestbed(engine, { cluster: CLUSTER, workers: 2, cni: 'ptp', podsPerNode: 10 });
    log(`test bed: ${bed.nodes.length} nodes, ${bed.pods.length} Pods in ${(performance.now() - t0).toFixed(0)} ms`);
    tc = await startTestbedCluster(engine, bed);
    const direct = await measure(tc, bed, 'direct', runs);
    const exec = await measure(tc, bed, 'exec', runs);
    const result = {
      environment: 'real KubeProvider (stand-in API server) on a Docker test bed of kind-shaped nodes, ptp',
      nodes: bed.nodes.length, pods: bed.pods.length, namespaces: bed.nodes.length + bed.pods.length, runs,
      direct, exec,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await tc?.close();
    if (bed) await destroyTestbed(engine, bed);
  }
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
