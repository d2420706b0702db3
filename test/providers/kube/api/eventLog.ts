/** Records a ClusterWatcher's changes (Services: `service updated NS/NAME ip,ip`) and trouble, and waits (event-driven, with a deadline) for a condition. */
import type { ClusterChange } from '../../../../src/providers/kube/clusterTypes';
import type { ClusterWatcher } from '../../../../src/providers/kube/api/clusterWatcher';
import type { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';

/** A change as a short string: `pod added default/web-1`, `node deleted node-b`, `resync`. */
export function describeChange(c: ClusterChange): string {
  if (c.kind === 'resync') return 'resync';
  if (c.kind === 'pod') return `pod ${c.change} ${c.pod.namespace}/${c.pod.name}`;
  return `node ${c.change} ${c.node.name}`;
}

/** Everything a watcher reported, in order. */
export class EventLog {
  readonly changes: string[] = [];
  readonly troubles: KubeAccessError[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(watcher: ClusterWatcher) {
    watcher.onChange((c) => this.push(() => this.changes.push(describeChange(c))));
    watcher.onServiceChange((change, s) => this.push(() => this.changes.push(`service ${change} ${s.namespace}/${s.name} ${s.endpoints.map((e) => e.ip).join(',')}`)));
    watcher.onTrouble((e) => this.push(() => this.troubles.push(e)));
  }

  /** Resolves once `pred` holds (checked after every report), rejects after `ms` with what was seen. */
  until(pred: (log: EventLog) => boolean, ms = 10_000): Promise<void> {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`condition not met in ${ms} ms; changes: ${JSON.stringify(this.changes)}; troubles: ${this.troubles.map((t) => t.message).join(' | ')}`)), ms);
      const check = (): void => {
        if (!pred(this)) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private push(record: () => void): void {
    record();
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Polls `fn` every 10 ms until it returns true, for state that has no event (e.g. a bookmark's resourceVersion); rejects after `ms`. */
export async function eventually(fn: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`${what} did not happen in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
