/** The batched reads (one `ip -batch`, one `cat` of both sysctls) against a real embedded lab (root): same snapshot as one command each. */
import { strict as assert } from 'node:assert';
import type { ExecResult, ExecTarget, LabStatus, PodInfo, PodRequest } from '../../src/providers/embedded/control/protocol';
import { EmbeddedLab } from '../../src/providers/embedded/embeddedLab';
import type { LabProvider } from '../../src/providers/provider';
import { collectSnapshot } from '../../src/snapshot/collect';
import { IP_BATCH, SYSCTL_BATCH } from '../../src/snapshot/collectBatch';
import type { Snapshot } from '../../src/snapshot/types';
import { runCli, runCliOk, runningAsRoot } from '../support/cli';

const LAB = 'ibatch';

/** A real lab that counts exec calls and, when `noBatches`, answers the batches as an `ip`/`cat` without them would (exit 1). */
class Counting implements LabProvider {
  readonly kind = 'embedded';
  readonly argvs: string[][] = [];
  constructor(private readonly real: EmbeddedLab, private readonly noBatches: boolean) {}
  status(): Promise<LabStatus> {
    return this.real.status();
  }
  exec(target: ExecTarget, argv: string[], opts?: { timeoutMs?: number; input?: string }): Promise<ExecResult> {
    this.argvs.push(argv);
    const batch = argv.join(' ') === IP_BATCH.argv.join(' ') || argv.join(' ') === SYSCTL_BATCH.join(' ');
    if (this.noBatches && batch) return Promise.resolve({ code: 1, stdout: '', stderr: 'Option "-batch" is unknown', timedOut: false });
    return this.real.exec(target, argv, opts);
  }
  addPod(req: PodRequest): Promise<PodInfo> {
    return this.real.addPod(req);
  }
  deletePod(name: string): Promise<{ name: string; ip: string }> {
    return this.real.deletePod(name);
  }
  close(): void {}
}

const withoutTime = (s: Snapshot) => ({ ...s, capturedAt: '' });

(runningAsRoot() ? describe : describe.skip)('collectSnapshot with batched reads on the article lab (root)', function () {
  this.timeout(120_000);
  let lab: EmbeddedLab;

  before(async () => {
    await runCli('root', ['lab', 'down', '--lab', LAB]);
    await runCliOk('root', ['lab', 'up', '--lab', LAB, '-q']);
    lab = await EmbeddedLab.connect(LAB);
  });
  after(async () => {
    lab?.close();
    await runCli('root', ['lab', 'down', '--lab', LAB]);
  });

  it('gives exactly the snapshot of one command per table (IPv6 routes left out as -4 does), with 5 processes per namespace instead of 9', async () => {
    const batched = new Counting(lab, false);
    const single = new Counting(lab, true);
    const a = await collectSnapshot(batched);
    const b = await collectSnapshot(single);
    assert.deepEqual(withoutTime(a), withoutTime(b));
    const namespaces = a.namespaces.length;
    assert.equal(batched.argvs.length, 5 * namespaces, batched.argvs.map((x) => x.join(' ')).join('\n'));
    const all = await lab.exec({ kind: 'node', node: 'node1' }, ['ip', '-j', 'route', 'show', 'table', 'all']);
    assert.match(all.stdout, /"dst":"[0-9a-f:]*:[0-9a-f:/]*"/, 'the node has IPv6 routes for the batch to leave out');
    assert.ok(a.namespaces.every((n) => n.routes.every((r) => !r.dst.includes(':'))), 'an IPv6 route was collected');
    assert.ok(a.namespaces.some((n) => n.addresses.some((x) => x.family === 'inet6')), 'addresses keep inet6');
  });
});
