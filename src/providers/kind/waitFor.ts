/** Waits on a watched cluster until a condition holds, woken by its change events (no polling), with a deadline and cancellation. */
import type { KubeProvider } from '../kube/kubeProvider';
import { KindError } from './kindCli';

/** Resolves once `ready()` is true; rejects with `why()` when `timeoutMs` passes or `signal` aborts. */
export function waitFor(lab: Pick<KubeProvider, 'onChange'>, ready: () => boolean, timeoutMs: number, signal: AbortSignal | undefined, why: () => string): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(new KindError('cancelled', ''));
    const timer = setTimeout(() => finish(new KindError(`timed out after ${Math.round(timeoutMs / 1000)} s: ${why()}`, '')), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    lab.onChange(() => {
      if (!done && ready()) finish();
    });
  });
}
