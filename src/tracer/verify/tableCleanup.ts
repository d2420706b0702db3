/** Removes the trace tables after a probe; a failure is reported as a warning with the command to run by hand, never swallowed. */
import type { LabProvider } from '../../providers/provider';
import type { SnapshotSource } from '../../snapshot/types';
import { prettyCommand } from '../../util/exec';
import { execTargetFor } from './namespaceTarget';

/** The nft script that removes the tables; declaring each first makes it succeed when one is already gone. */
export function removeScript(name: string): string {
  return `table inet ${name}\ndelete table inet ${name}\ntable bridge ${name}\ndelete table bridge ${name}\n`;
}

/** The `podnet exec` target options that reach a namespace id. */
function execArgs(namespaceId: string): string[] {
  const t = execTargetFor(namespaceId);
  switch (t.kind) {
    case 'pod': return [t.pod];
    case 'node': return ['--node', t.node];
    case 'wire': return ['--wire'];
    case 'dockerHost': return ['--docker-host'];
    case 'dockerContainer': return ['--docker-container', t.container];
    case 'client': return ['--client'];
    case 'router': return ['--router'];
  }
}

/** The commands a user can paste to remove the tables from one namespace by hand. */
export function removeByHand(namespaceId: string, table: string, source: SnapshotSource): string {
  const where = source.provider === 'kube' || source.context ? ['--context', source.context ?? source.lab] : ['--lab', source.lab];
  const cmd = (family: string) => prettyCommand(['podnet', 'exec', ...where, ...execArgs(namespaceId), '--', 'nft', 'delete', 'table', family, table]);
  return `${cmd('inet')} and ${cmd('bridge')}${source.provider === 'kube' ? ' (or podnet cluster cleanup)' : ''}`;
}

/** True when the namespace itself is gone (its Pod deleted meanwhile): nothing is left in it to remove. */
function namespaceGone(message: string): boolean {
  return /not found|no such (pod|node|container|namespace)|does not exist|not running/i.test(message);
}

/** Removes the tables from every namespace; returns one warning per namespace where that failed. */
export async function removeTraceTables(lab: LabProvider, namespaces: string[], table: string, source: SnapshotSource): Promise<string[]> {
  const results = await Promise.all(namespaces.map(async (ns): Promise<string | undefined> => {
    let why: string;
    try {
      const res = await lab.exec(execTargetFor(ns), ['nft', '-f', '-'], { input: removeScript(table), timeoutMs: 5000 });
      if (res.code === 0) return undefined;
      why = res.timedOut ? 'timed out' : res.stderr.trim() || `exit ${res.code}`;
    } catch (e) {
      why = (e as Error).message;
    }
    // A namespace that vanished meanwhile took its tables with it: that is the one failure that leaves nothing behind.
    if (namespaceGone(why)) return undefined;
    return `could not remove the trace tables ${table} in ${ns} (${why}); remove them by hand: ${removeByHand(ns, table, source)}`;
  }));
  return results.filter((w): w is string => w !== undefined);
}
