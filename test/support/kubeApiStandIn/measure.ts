/**
 * Measures the watcher against the stand-in: 1,000 Pods from list into pods(), and upsert()-to-onChange latency (median). Run: npx tsx
 * test/support/kubeApiStandIn/measure.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printMeasurements, quantiles, startTimedWatcher } from './measureReport';
import { KubeApiStandIn } from './server';

/** The measured numbers, in milliseconds. */
export interface WatcherMeasurements {
  pods: number;
  listToPodsMs: number;
  eventMedianMs: number;
  eventP90Ms: number;
  events: number;
}

function pod(i: number): Parameters<KubeApiStandIn['upsert']>[0] {
  const node = `node-${i % 3}`;
  return {
    kind: 'Pod',
    metadata: { namespace: `ns-${i % 10}`, name: `pod-${i}`, labels: { app: `app-${i % 25}` } },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: { phase: 'Running', podIP: `10.244.${i % 3}.${(i % 250) + 2}`, containerStatuses: [{ name: 'web', ready: true, restartCount: 0 }] },
  };
}

/** Starts a stand-in with `podCount` Pods, times the first list into pods(), then `events` single upserts to onChange. */
export async function measureWatcher(podCount = 1000, events = 200): Promise<WatcherMeasurements> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-measure-'));
  const standIn = await KubeApiStandIn.start();
  try {
    for (let i = 0; i < podCount; i++) standIn.upsert(pod(i));
    const { watcher, listMs: listToPodsMs } = await startTimedWatcher(standIn, dir);
    const got = watcher.pods().length;
    if (got !== podCount) throw new Error(`expected ${podCount} pods, got ${got}`);
    while (standIn.openWatches() < 2) await new Promise((r) => setTimeout(r, 10));
    const latencies: number[] = [];
    for (let i = 0; i < events; i++) {
      const seen = new Promise<void>((resolve) => {
        const off = watcher.onChange((c) => {
          if (c.kind === 'pod' && c.pod.name === `pod-${i}` && c.pod.labels.round === String(i)) {
            off();
            resolve();
          }
        });
      });
      const p = pod(i);
      p.metadata.labels = { ...p.metadata.labels, round: String(i) };
      const start = performance.now();
      standIn.upsert(p);
      await seen;
      latencies.push(performance.now() - start);
    }
    watcher.stop();
    const at = quantiles(latencies);
    return { pods: podCount, listToPodsMs, eventMedianMs: at(0.5), eventP90Ms: at(0.9), events };
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) printMeasurements(measureWatcher());
