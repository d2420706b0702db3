// Helper for scripts/bench.mjs: times predictTrace on a snapshot file, without a lab.
// Run through tsx: `node --import tsx scripts/bench-predict.ts SNAPSHOT [RUNS] [SEED]`.
// Picks RUNS Pod pairs with a seeded PRNG, alternating a pair on different nodes and a pair on the same
// node, and ICMP / TCP 8080 every other pair of each kind. Every prediction is timed with performance.now()
// (each call builds its own NetIndex, as one `podnet trace` does). Prints one line of JSON on stdout.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseSnapshot } from '../src/snapshot/validate';
import { predictTrace } from '../src/tracer/predict';
import type { TraceRequest } from '../src/tracer/types';

const WARMUP = 20;

/** mulberry32: a small seeded PRNG, so two runs pick the same pairs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r4 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toFixed(4)) : null);
const summary = (xs: number[]) => ({
  count: xs.length, median: r4(median(xs)), min: r4(Math.min(...xs)), p95: r4(percentile(xs, 95)), max: r4(Math.max(...xs)),
});

function main(): void {
  const [file, runsArg = '200', seedArg = '1'] = process.argv.slice(2);
  if (!file) throw new Error('usage: node --import tsx scripts/bench-predict.ts SNAPSHOT [RUNS] [SEED]');
  const runs = Number(runsArg);
  const rand = prng(Number(seedArg));
  const text = readFileSync(file, 'utf8');
  const t0 = performance.now();
  const snapshot = parseSnapshot(text, file);
  const parseMs = performance.now() - t0;

  const pods = snapshot.cluster.pods;
  const nodes = [...new Set(pods.map((p) => p.node))];
  if (nodes.length < 2) throw new Error(`the snapshot needs Pods on at least 2 nodes (it has ${pods.length} Pods on ${nodes.length})`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const pair = (sameNode: boolean): [string, string] => {
    for (;;) {
      const a = pick(pods);
      const b = pick(pods);
      if (a.name !== b.name && (a.node === b.node) === sameNode) return [a.name, b.name];
    }
  };
  const requests: { kind: 'crossNode' | 'sameNode'; req: TraceRequest }[] = [];
  for (let i = 0; i < runs; i++) {
    const sameNode = i % 2 === 1;
    const [from, to] = pair(sameNode);
    const tcp = (i >> 1) % 2 === 1;
    requests.push({ kind: sameNode ? 'sameNode' : 'crossNode', req: tcp ? { from, to, proto: 'tcp', port: 8080 } : { from, to, proto: 'icmp' } });
  }

  for (let i = 0; i < WARMUP; i++) predictTrace(snapshot, requests[i % requests.length].req); // let the JIT settle, untimed
  const times = { all: [] as number[], crossNode: [] as number[], sameNode: [] as number[], icmp: [] as number[], tcp: [] as number[] };
  const dispositions: Record<string, number> = {};
  let hops = 0;
  for (const { kind, req } of requests) {
    const start = performance.now();
    const result = predictTrace(snapshot, req);
    const ms = performance.now() - start;
    times.all.push(ms);
    times[kind].push(ms);
    times[req.proto === 'tcp' ? 'tcp' : 'icmp'].push(ms);
    dispositions[result.disposition] = (dispositions[result.disposition] ?? 0) + 1;
    hops += result.hops.length;
  }
  const out = {
    snapshot: { namespaces: snapshot.namespaces.length, pods: pods.length, nodes: nodes.length, bytes: Buffer.byteLength(text), parseMs: r4(parseMs) },
    warmup: WARMUP,
    ms: { all: summary(times.all), crossNode: summary(times.crossNode), sameNode: summary(times.sameNode), icmp: summary(times.icmp), tcp: summary(times.tcp) },
    dispositions,
    meanHops: r4(hops / requests.length),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
