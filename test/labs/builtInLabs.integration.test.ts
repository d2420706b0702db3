/** Every built-in lab pack passes `podnet lab run` on the real embedded lab (what trainers' CI does with their packs). */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, testableModes } from '../support/cli';

const LABS = join(__dirname, '..', '..', 'labs');
const packs = readdirSync(LABS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('built-in lab packs', function () {
  this.timeout(240_000);
  const mode = testableModes()[0];

  it('are all there: one per claim of the article (01-10), then the lessons of later issues (Services: 11, 12; routed or overlay: 13)', () => {
    assert.deepEqual(packs.slice(0, 10).map((p) => p.slice(0, 3)), ['01-', '02-', '03-', '04-', '05-', '06-', '07-', '08-', '09-', '10-']);
    for (const id of ['11-stable-address', '12-reach-from-outside', '13-routed-or-overlay']) assert.ok(packs.includes(id), packs.join(', '));
  });

  for (const dir of packs) {
    it(`${dir} validates and passes every check on a real lab`, async () => {
      const validate = await runCli(mode, ['lab', 'validate', join(LABS, dir)]);
      assert.equal(validate.code, 0, validate.stderr);
      const res = await runCli(mode, ['lab', 'run', join(LABS, dir), '--json', '--lab', `ibuilt-${dir.slice(0, 2)}`], { timeoutMs: 230_000 });
      const report = JSON.parse(res.stdout || '{}') as { passed?: boolean; steps?: { id: string; checks: { passed: boolean; message: string }[] }[] };
      const failed = (report.steps ?? []).flatMap((s) => s.checks.filter((c) => !c.passed).map((c) => `${s.id}: ${c.message}`));
      assert.equal(res.code, 0, `${dir}: ${failed.join(' | ') || res.stderr}`);
      assert.equal(report.passed, true);
    });
  }
});
