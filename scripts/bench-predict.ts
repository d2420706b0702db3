// Helper for scripts/bench.mjs: times predictTrace on a snapshot file, without a lab.
// Run through tsx: `node --import tsx scripts/bench-predict.ts SNAPSHOT [RUNS] [SEED]`.
// Picks RUNS Pod pairs with a seeded PRNG, alternating a pair on different nodes and a pair on the same
// node, and ICMP / TCP 8080 every other pair of each kind. Every prediction is timed with performance.now()
// (each call builds its own NetIndex, as one `podnet trace` does). Prints one line of JSON on stdout.
// `node --import tsx scripts/bench-predict.ts --services [RUNS] [SEED]`: the Services case instead (bench-predict-services.ts).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseSnapshot } from '../src/snapshot/validate';
import { predictTrace } from '../src/tracer/predict';
import type { TraceRequest } from '../src/tracer/types';
import { prng, r4, summary } from './bench-stats';
import { benchServices } from './bench-predict-services';

const WARMUP = 20;

function main(): void {
  const [file, runsArg = '200', seedArg = '1'] = process.argv.slice(2);
  if (file === '--services') {
    benchServices(Number(runsArg), Number(seedArg)).then((out) => process.stdout.write(`${JSON.stringify(out)}\n`), (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    });
    return;
  }
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
