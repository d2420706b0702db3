// The Services case of scripts/bench-predict.ts: "100 Services x 3 endpoints on 3 nodes", median prediction time of
// Pod -> Service (target <= 5 ms). The snapshot is test/fixtures/snapshots/three-nodes.json (recorded from a real
// 3-node lab) with kube-proxy's nftables table on every node as the lab's generator writes it for 100 Services, each
// selecting one Pod per node; the tables are loaded into the real nft in a scratch namespace and listed back as
// `nft -j` JSON (test/support/serviceSnapshot.ts), so the evaluator reads what it reads on a live lab.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSnapshot } from '../src/snapshot/validate';
import { predictTrace } from '../src/tracer/predict';
import { serviceSpec, withServices, type ServiceWithPods } from '../test/support/serviceSnapshot';
import { prng, r4, summary } from './bench-stats';

const SERVICES = 100;
const WARMUP = 20;
const TARGET_MS = 5;

/** 100 Services; Service i selects the (i mod 4)-th Pod of each node, so every Pod backs 25 Services. */
function services(byNode: string[][]): ServiceWithPods[] {
  return Array.from({ length: SERVICES }, (_, i) => ({
    spec: serviceSpec(`svc-${i}`, i, { clusterIP: `10.96.${1 + (i >> 8)}.${i & 255}` }),
    pods: byNode.map((pods) => pods[i % pods.length]),
  }));
}

/** Times `runs` predictions Pod -> Service (random Pod, random Service, seeded) and says whether the median meets the target. */
export async function benchServices(runs: number, seed: number): Promise<Record<string, unknown>> {
  const file = join(__dirname, '..', 'test', 'fixtures', 'snapshots', 'three-nodes.json');
  const base = parseSnapshot(readFileSync(file, 'utf8'), file);
  const nodes = base.cluster.nodes.map((n) => n.name);
  const byNode = nodes.map((n) => base.cluster.pods.filter((p) => p.node === n).map((p) => p.name));
  const t0 = performance.now();
  const snapshot = await withServices(base, services(byNode));
  const buildMs = performance.now() - t0;
  const rand = prng(seed);
  const pods = snapshot.cluster.pods.map((p) => p.name);
  const requests = Array.from({ length: runs }, () => ({ from: pods[Math.floor(rand() * pods.length)], to: `svc-${Math.floor(rand() * SERVICES)}` }));
  for (let i = 0; i < WARMUP; i++) predictTrace(snapshot, requests[i % requests.length]); // let the JIT settle, untimed
  const times: number[] = [];
  const dispositions: Record<string, number> = {};
  let named = 0;
  for (const req of requests) {
    const start = performance.now();
    const result = predictTrace(snapshot, req);
    times.push(performance.now() - start);
    dispositions[result.disposition] = (dispositions[result.disposition] ?? 0) + 1;
    if (result.service?.candidates.length === nodes.length) named++;
  }
  const rules = snapshot.namespaces.filter((n) => n.kind === 'node').map((n) => (Array.isArray(n.filter.nft) ? n.filter.nft.length : 0));
  const ms = summary(times);
  return {
    case: `${SERVICES} Services x ${nodes.length} endpoints on ${nodes.length} nodes: Pod -> Service`,
    snapshot: { nodes: nodes.length, pods: pods.length, services: SERVICES, nftObjectsPerNode: rules, buildMs: r4(buildMs) },
    warmup: WARMUP, ms, dispositions, serviceNamedWithAllCandidates: named,
    target: { medianMs: TARGET_MS, met: (ms.median ?? Infinity) <= TARGET_MS },
  };
}
