/** What the stand-in measurement scripts share: a warmed-up watcher timed from start to listed, quantiles, printing a result. */
import { ClusterWatcher } from '../../../src/providers/kube/api/clusterWatcher';
import { loadKubeTarget } from '../../../src/providers/kube/api/kubeconfig';
import { writeKubeconfig } from './kubeconfigFile';
import type { KubeApiStandIn } from './server';

/**
 * A watcher on `standIn` (kubeconfig written in `dir`), started after a throw-away one has warmed up module loading and the
 * TLS session so the number is the watcher's own; `listMs` is from start() to its first lists being in.
 */
export async function startTimedWatcher(standIn: KubeApiStandIn, dir: string): Promise<{ watcher: ClusterWatcher; listMs: number }> {
  const target = loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) });
  const warm = new ClusterWatcher(target);
  await warm.start();
  warm.stop();
  const watcher = new ClusterWatcher(target);
  const t0 = performance.now();
  await watcher.start();
  return { watcher, listMs: performance.now() - t0 };
}

/** A quantile reader over `samples` (sorted here, in place): at(0.5) is the median. */
export function quantiles(samples: number[]): (q: number) => number {
  samples.sort((a, b) => a - b);
  return (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
}

/** Prints the measurements as one JSON line (numbers to 2 decimals); on failure prints the error and sets a failing exit code. */
export function printMeasurements(measuring: Promise<object>): void {
  measuring.then(
    (m) => console.log(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
