/**
 * Removing the trace tables: a failure becomes a warning with the exact commands to run by hand, never silence.
 * The lab here is a stand-in that records argv and answers as a lab whose nft fails would (the real failure cannot be
 * provoked on demand); the removal script itself runs against the real kernel in the integration tests.
 */
import { strict as assert } from 'node:assert';
import type { ExecResult, ExecTarget } from '../../../src/providers/embedded/control/protocol';
import type { LabProvider } from '../../../src/providers/provider';
import type { SnapshotSource } from '../../../src/snapshot/types';
import { removeScript, removeTraceTables } from '../../../src/tracer/verify/tableCleanup';

function standIn(answer: (target: ExecTarget) => ExecResult | Error): LabProvider & { calls: string[] } {
  const calls: string[] = [];
  return {
    kind: 'embedded', calls,
    status: () => Promise.reject(new Error('not used')),
    addPod: () => Promise.reject(new Error('not used')),
    deletePod: () => Promise.reject(new Error('not used')),
    close: () => undefined,
    exec: (target, argv) => {
      calls.push(`${JSON.stringify(target)} ${argv.join(' ')}`);
      const a = answer(target);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

const embedded: SnapshotSource = { provider: 'embedded', lab: 'demo' };
const ok: ExecResult = { code: 0, stdout: '', stderr: '', timedOut: false };

describe('removeTraceTables', () => {
  it('warns, naming the namespace and the exact podnet exec commands, when nft fails to remove the tables', async () => {
    const lab = standIn((t) => (t.kind === 'node' ? { code: 1, stdout: '', stderr: 'Error: Could not process rule: Operation not permitted', timedOut: false } : ok));
    const warnings = await removeTraceTables(lab, ['pod/pod-a', 'node/node1'], 'podnet_trace_abc123', embedded);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not remove the trace tables podnet_trace_abc123 in node\/node1 \(Error: Could not process rule: Operation not permitted\)/);
    assert.match(warnings[0], /podnet exec --lab demo --node node1 -- nft delete table inet podnet_trace_abc123 and podnet exec --lab demo --node node1 -- nft delete table bridge podnet_trace_abc123/);
  });

  it('on a cluster, names the context and podnet cluster cleanup', async () => {
    const lab = standIn(() => ({ code: -1, stdout: '', stderr: '', timedOut: true }));
    const [w] = await removeTraceTables(lab, ['pod/default/web-1'], 'podnet_trace_abc123', { provider: 'kube', lab: 'kind-x', context: 'kind-x' });
    assert.match(w, /\(timed out\); remove them by hand: podnet exec --context kind-x default\/web-1 -- nft delete table inet/);
    assert.match(w, /podnet cluster cleanup/);
  });

  it('says nothing when the namespace itself is gone (its Pod was deleted): nothing is left there', async () => {
    const lab = standIn(() => new Error('pod "pod-x" not found'));
    assert.deepEqual(await removeTraceTables(lab, ['pod/pod-x'], 'podnet_trace_abc123', embedded), []);
  });

  it('removes both tables in one script that also succeeds when one is already gone', () => {
    assert.equal(removeScript('t'), 'table inet t\ndelete table inet t\ntable bridge t\ndelete table bridge t\n');
  });
});
