// Services bench (issue 11): "100 Services x 3 endpoints on 3 nodes: rule update after a Pod change <= 100 ms".
// Starts a real embedded lab (3 nodes, 300 sleep Pods, Service i selecting its 3 Pods by label, one per node), then
// deletes and re-creates one endpoint Pod at a time and reads, from the lab's own `service` event, how long the lab took
// from the re-created Pod being Running to every node's kube-proxy table updated (rulesMs, measured in the lab process).
// Raw baseline: one `nft -f` of the same partial update, timed in a scratch network namespace holding the same table.
// Prints one JSON object. Run through tsx: `npx tsx scripts/bench-services.ts [--runs N]`. This file is also the lab
// process's entry (it bundles itself with esbuild), so the bench needs no built CLI.
import { chmodSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import type { PodSpec, ServiceSpec, Topology } from '../src/model/topology';
import type { LabEvent, LabStatus } from '../src/providers/embedded/control/protocol';
import { runDaemon } from '../src/providers/embedded/daemon/main';
import { kubeProxyDelta, kubeProxyPlan, kubeProxyScripts, type KubeProxyInput } from '../src/providers/embedded/daemon/services/kubeProxyRules';
import { requireLab, startLab, stopLab } from '../src/providers/embedded/launcher';
import { findExecutable } from '../src/providers/embedded/tools';
import { run, runOk } from '../src/util/exec';
import { startScratchNetns } from '../test/support/scratchNetns';
import { r4, summary } from './bench-stats';

const SERVICES = 100;
const NODES = 3;
const TARGET_MS = 100;
const LAB = 'bench-services';

/** 3 nodes; Pod `p<i>-<n>` (sleep) on node n labelled app=svc-<i>; Service svc-<i> over app=svc-<i>, every other one a NodePort. */
export function benchTopology(): Topology {
  const nodes = Array.from({ length: NODES }, (_, n) => ({ name: `node${n + 1}`, ip: `192.168.1.${100 + n}`, podCIDR: `10.244.${n + 1}.0/24` }));
  const pods: PodSpec[] = [];
  const services: ServiceSpec[] = [];
  for (let i = 0; i < SERVICES; i++) {
    for (const node of nodes) pods.push({ name: `p${i}-${node.name}`, node: node.name, containers: [{ name: 'main', workload: 'sleep' }], labels: { app: `svc-${i}` } });
    services.push({
      name: `svc-${i}`, selector: { labels: { app: `svc-${i}` } }, type: i % 2 ? 'NodePort' : 'ClusterIP', clusterIP: `10.96.0.${100 + i}`, protocol: 'tcp',
      port: 80, targetPort: 8080, ...(i % 2 ? { nodePort: 30080 + i } : {}), externalTrafficPolicy: i % 4 === 3 ? 'Local' : 'Cluster',
    });
  }
  return { name: LAB, network: { cidr: '192.168.1.0/24' }, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodes, pods, services };
}

/** This file bundled into one script, so the launcher can start it as the lab process (already one when run as a bundle). */
function bundleSelf(): string {
  if (__filename.endsWith('.js')) return __filename;
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-services-'));
  chmodSync(dir, 0o755);
  const out = join(dir, 'bench-services.js');
  buildSync({ entryPoints: [__filename], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  return out;
}

/** The kube-proxy input of `node` for the lab as `st` shows it. */
function inputOf(st: LabStatus, node: string): KubeProxyInput {
  const n = st.nodes.find((x) => x.name === node) ?? { name: node, ip: '' };
  const services = (st.topology.services ?? []).map((spec) => ({
    spec, endpoints: (st.services?.find((s) => s.name === spec.name)?.endpoints ?? []).map((e) => ({ ...e, port: e.ports[0]?.port ?? spec.targetPort })),
  }));
  return { node: { name: n.name, ip: n.ip }, clusterCIDR: st.topology.clusterCIDR, serviceCIDR: st.serviceCIDR ?? '10.96.0.0/12', services };
}

/** Deletes and re-creates one endpoint Pod per run; returns the lab's own rule-update times and what the client saw. */
async function recreateRuns(runs: number): Promise<Record<string, unknown>> {
  const client = await requireLab(LAB);
  const events: Extract<LabEvent, { event: 'service' }>[] = [];
  client.onEvent((e) => e.event === 'service' && events.push(e));
  await client.call('watch', {});
  const added: number[] = [];
  const removed: number[] = [];
  const addPodMs: number[] = [];
  let before: LabStatus | undefined;
  let after: LabStatus | undefined;
  try {
    for (let r = 0; r < runs; r++) {
      const svc = `svc-${(r * 37) % SERVICES}`;
      const pod = `p${(r * 37) % SERVICES}-node${(r % NODES) + 1}`;
      before ??= await client.call('status', {});
      const spec = before.topology.pods.find((p) => p.name === pod) as PodSpec;
      events.length = 0;
      await client.call('deletePod', { name: pod });
      removed.push(...events.filter((e) => e.service.name === svc && e.rulesMs !== undefined).slice(0, 1).map((e) => e.rulesMs as number));
      events.length = 0;
      const t0 = performance.now();
      const info = await client.call('addPod', { name: pod, node: spec.node, containers: [{ name: 'main', workload: 'sleep' }], labels: spec.labels });
      addPodMs.push(performance.now() - t0);
      const update = events.find((e) => e.service.name === svc && e.service.endpoints.some((ep) => ep.ip === info.ip));
      if (update?.rulesMs === undefined) throw new Error(`no service event for ${svc} with ${pod}'s new IP ${info.ip}`);
      added.push(update.rulesMs);
      if (r === 0) after = await client.call('status', {});
    }
  } finally {
    client.close();
  }
  return { added, removed, addPodMs, before, after };
}

/**
 * The raw floor: `nft -f` of the same partial update (and back, alternately), timed in scratch namespaces loaded with node1's table:
 * once in one namespace, and once in three at the same time (the lab updates its three nodes at once).
 */
async function rawDelta(before: LabStatus, after: LabStatus, runs: number): Promise<{ one: number[]; three: number[] }> {
  const nft = findExecutable('nft') ?? 'nft';
  const scratch = await Promise.all([0, 1, 2].map(() => startScratchNetns())); // as the lab: a user namespace when not root
  try {
    const a = inputOf(before, 'node1');
    const b = inputOf(after, 'node1');
    for (const ns of scratch) {
      for (const script of kubeProxyScripts(a, kubeProxyPlan(a))) await runOk([...ns.enter, nft, '-f', '-'], { input: script, timeoutMs: 20_000 }, 'loading');
    }
    const deltas = [kubeProxyDelta(kubeProxyPlan(a), kubeProxyPlan(b)), kubeProxyDelta(kubeProxyPlan(b), kubeProxyPlan(a))];
    const load = async (enter: string[], input: string) => {
      const res = await run([...enter, nft, '-f', '-'], { input, timeoutMs: 20_000 });
      if (res.code !== 0) throw new Error(`nft -f of the delta failed: ${res.stderr}`);
    };
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const one: number[] = [];
    const three: number[] = [];
    for (let i = 0; i < runs; i++) one.push(await timed(() => load(scratch[0].enter, deltas[i % 2])));
    // `runs` is even, so the first namespace is back where the other two are.
    for (let i = 0; i < runs; i++) three.push(await timed(() => Promise.all(scratch.map((ns) => load(ns.enter, deltas[i % 2])))));
    return { one, three };
  } finally {
    for (const ns of scratch) ns.stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 10;
  const entry = bundleSelf();
  await stopLab(LAB).catch(() => undefined); // no lab left from an interrupted run: nothing to stop
  const t0 = performance.now();
  await startLab({ lab: LAB, topology: benchTopology(), entry });
  const buildSeconds = (performance.now() - t0) / 1000;
  try {
    const r = await recreateRuns(runs);
    const raw = await rawDelta(r.before as LabStatus, r.after as LabStatus, Math.max(runs * 2, 20)); // even, see rawDelta
    const ms = summary(r.added as number[]);
    console.log(JSON.stringify({
      case: `${SERVICES} Services x ${NODES} endpoints on ${NODES} nodes: one endpoint Pod deleted and re-created`,
      lab: { nodes: NODES, pods: SERVICES * NODES, services: SERVICES, rootless: process.getuid?.() !== 0, buildSeconds: r4(buildSeconds) },
      ruleUpdateAfterPodRunningMs: ms,
      ruleUpdateOnPodTerminatingMs: summary(r.removed as number[]),
      addPodRoundTripMs: summary(r.addPodMs as number[]),
      rawNftDeltaOneNodeMs: summary(raw.one),
      rawNftDeltaThreeNodesAtOnceMs: summary(raw.three),
      loadAverage: loadavg().map((x) => r4(x)),
      target: { ms: TARGET_MS, medianMet: (ms.median ?? Infinity) <= TARGET_MS, everyRunMet: (ms.max ?? Infinity) <= TARGET_MS },
    }, null, 2));
  } finally {
    await stopLab(LAB);
  }
}

if (process.argv[2] === '__lab-process') {
  const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];
  runDaemon({ lab: arg('lab'), socket: arg('socket'), stateDir: arg('state'), rootless: process.argv.includes('--rootless'), tools: JSON.parse(arg('tools')) })
    .catch((e: unknown) => {
      console.error((e as Error).stack ?? String(e));
      process.exit(1);
    });
} else if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error((e as Error).stack ?? String(e));
    process.exit(1);
  });
}
