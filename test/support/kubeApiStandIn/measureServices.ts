/**
 * Measures the Service side of the watcher against the stand-in: 100 Services x 3 endpoints from list into services(), and an
 * EndpointSlice upsert (a Pod replaced) to onServiceChange latency (median, p90). Run: npx tsx test/support/kubeApiStandIn/measureServices.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printMeasurements, quantiles, startTimedWatcher } from './measureReport';
import { KubeApiStandIn } from './server';
import { endpointSliceObject, serviceObject } from './serviceObjects';

const svc = (i: number) => ({ namespace: 'default', name: `svc-${i}`, clusterIP: `10.96.${i >> 8}.${(i % 250) + 2}`, selector: { app: `a${i}` }, ports: [{ port: 80, targetPort: 8080 }] });
const slice = (i: number, round: number) => endpointSliceObject(svc(i), [0, 1, 2].map((k) => ({
  ip: `10.244.${k}.${((i * 3 + round) % 250) + 2}`, pod: { namespace: 'default', name: `p-${i}-${k}` }, node: `node-${k}`,
})), [{ port: 8080 }]);

/** Stand-in with `count` Services of 3 endpoints each; times the first list into services(), then `events` slice upserts to onServiceChange. */
export async function measureServiceWatch(count = 100, events = 200): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-measure-svc-'));
  const standIn = await KubeApiStandIn.start();
  try {
    for (let i = 0; i < count; i++) {
      standIn.upsert(serviceObject(svc(i)));
      standIn.upsert(slice(i, 0));
    }
    const { watcher, listMs } = await startTimedWatcher(standIn, dir);
    const got = watcher.services()?.length;
    if (got !== count) throw new Error(`expected ${count} Services, got ${got}`);
    while (standIn.openWatches() < 4) await new Promise((r) => setTimeout(r, 10));
    const latencies: number[] = [];
    for (let e = 1; e <= events; e++) {
      const i = e % count;
      const want = `10.244.0.${((i * 3 + e) % 250) + 2}`;
      const seen = new Promise<void>((resolve) => {
        const off = watcher.onServiceChange((_c, s) => {
          if (s.name !== `svc-${i}` || !s.endpoints.some((x) => x.ip === want)) return;
          off();
          resolve();
        });
      });
      const start = performance.now();
      standIn.upsert(slice(i, e));
      await seen;
      latencies.push(performance.now() - start);
    }
    watcher.stop();
    const at = quantiles(latencies);
    return { services: count, endpointsEach: 3, listToServicesMs: listMs, sliceToChangeMedianMs: at(0.5), sliceToChangeP90Ms: at(0.9), events };
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) printMeasurements(measureServiceWatch());
