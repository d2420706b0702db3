// Helper for scripts/bench.mjs (section `cluster`): 1,000 Pods from a list + watch into the extension's tree, in ONE PLAIN
// NODE PROCESS (no VS Code): the real KubeProvider (list + watch over HTTPS) against the kube-apiserver stand-in
// (test/support/kubeApiStandIn, same process), the extension's ClusterLink (what LabSession runs in cluster mode) and
// the Network view's rows (networkChildren + the row texts the tree items show). VS Code's own TreeItem rendering is not
// in these numbers. Run through tsx:  node --expose-gc --import tsx scripts/bench-cluster.ts [PODS] [EVENTS]
// Prints progress on stderr and one line of JSON on stdout.
import { performance } from 'node:perf_hooks';
import type { LabStatus } from '../src/providers/embedded/control/protocol';
import { KubeProvider } from '../src/providers/kube/kubeProvider';
import { ClusterLink, type ClusterViewChange } from '../src/vscode/cluster/clusterLink';
import { clusterNodeDescription, clusterPodDescription } from '../src/vscode/tree/clusterText';
import { ElementCache, type NetElement, networkChildren, podNamed } from '../src/vscode/tree/elements';
import { podObject } from '../test/support/testbedCluster';
import { benchPod, seedBenchCluster } from './bench-cluster-seed';

const log = (msg: string) => process.stderr.write(`bench-cluster: ${msg}\n`);
const r1 = (x: number) => Number(x.toFixed(1));
const mib = (b: number) => r1(b / 1048576);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc so memory is measured after a full collection');
  g();
  g();
}
const mem = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
};

/** Every row of the Network view, expanded, with the texts the tree items show; returns the row count. */
function buildRows(st: LabStatus, cache: ElementCache, el?: NetElement): number {
  let rows = 0;
  for (const child of networkChildren(st, el, cache)) {
    rows++;
    if (child.kind === 'node') clusterNodeDescription(st, child.node);
    if (child.kind === 'pod') {
      const p = podNamed(st, child.pod);
      if (p) clusterPodDescription(p);
    }
    rows += buildRows(st, cache, child);
  }
  return rows;
}

async function main(): Promise<void> {
  const pods = Number(process.argv[2] ?? 1000);
  const events = Number(process.argv[3] ?? 30);
  const cluster = await seedBenchCluster(pods);
  const { standIn, kubeconfig, dir } = cluster;
  let link: ClusterLink | undefined;
  try {
    const connect = () => KubeProvider.connect({ kubeconfig, context: 'bench', namespace: 'all', env: { HOME: dir, PATH: process.env.PATH } });
    log(`stand-in seeded with ${cluster.nodes} nodes and ${pods} Pods; a first (cold) connect loads the Kubernetes client`);
    const c0 = performance.now();
    const cold = await connect();
    const coldMs = performance.now() - c0;
    await cold.closeAndWait();
    const before = mem();

    let waiting: ((c: ClusterViewChange) => void) | undefined;
    const t0 = performance.now();
    const provider = await connect();
    const tConnected = performance.now();
    link = await ClusterLink.open(provider, (c) => waiting?.(c));
    const tSession = performance.now();
    const cache = new ElementCache();
    const rows = buildRows(link.status!, cache);
    const tTree = performance.now();
    if (link.status!.pods.length !== pods) throw new Error(`the session shows ${link.status!.pods.length} Pods, not ${pods}`);
    log(`connected (${provider.source.access}): ${rows} rows in ${r1(tTree - t0)} ms`);

    // A Deployment re-creating a Pod: the same name gets a new IP (MODIFIED), one event at a time.
    const latencies: number[] = [];
    for (let e = 0; e < events; e++) {
      const i = (e * 37) % pods;
      const next = benchPod(i, 251 + (e % 4), e + 1);
      const seen = new Promise<number>((resolve) => {
        waiting = (c) => {
          if (c.kind !== 'pod' || c.pod.name !== `${next.namespace}/${next.name}` || c.pod.ip !== next.ip) return;
          const st = link!.status!;
          const node = st.nodes.find((n) => n.name === c.pod.node);
          // What the Network view does for it: the Pod's row (or its node's children when it moved) and their texts.
          if (c.moved && node) buildRows(st, cache, cache.get({ id: `node:${node.name}`, kind: 'node', node: node.name }));
          clusterPodDescription(c.pod);
          resolve(performance.now());
        };
      });
      const sent = performance.now();
      standIn.upsert(podObject(next));
      latencies.push((await seen) - sent);
    }
    waiting = undefined;
    const after = mem();
    const result = {
      environment: 'plain Node process: real KubeProvider over HTTPS to the in-process stand-in, ClusterLink, Network view rows (no VS Code)',
      pods, nodes: cluster.nodes, rows, access: provider.source.access,
      coldConnectMs: r1(coldMs), connectMs: r1(tConnected - t0), sessionMs: r1(tSession - tConnected), treeMs: r1(tTree - tSession),
      connectToTreeMs: r1(tTree - t0),
      event: { runs: latencies.length, medianMs: r1(pct(latencies, 0.5)), p95Ms: r1(pct(latencies, 0.95)), maxMs: r1(Math.max(...latencies)) },
      memory: {
        rssGrowthMiB: mib(after.rss - before.rss), heapGrowthMiB: mib(after.heapUsed - before.heapUsed),
        externalGrowthMiB: mib(after.external - before.external),
        rssAfterMiB: mib(after.rss), heapAfterMiB: mib(after.heapUsed),
      },
      listRequests: standIn.count('list', '/api/v1/pods'),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await link?.close().catch((e: unknown) => log(`closing the provider failed: ${String(e)}`));
    await cluster.close();
  }
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
