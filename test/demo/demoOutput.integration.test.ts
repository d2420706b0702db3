/** `podnet demo` whose stdout goes away (a reader that leaves, a full disk) still tears its lab down and exits non-zero quietly. */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { runCliClosingStdout, runCliToFullDisk } from '../support/brokenOutput';
import { runCli, runtimeDirFor } from '../support/cli';

const LAB = 'idemo-out';
const filesOf = (lab: string) => readdirSync(runtimeDirFor('root')).filter((f) => f.startsWith(`${lab}.`));

describe('podnet demo with stdout that goes away', function () {
  this.timeout(120_000);
  afterEach(async () => {
    await runCli('root', ['lab', 'down', '--lab', LAB]);
  });

  for (const [how, runIt] of [
    ['a reader that leaves after one line (| head -1)', (args: string[]) => runCliClosingStdout(args, 1)],
    ['a full disk (> /dev/full)', (args: string[]) => runCliToFullDisk(args)],
  ] as const) {
    it(`with stdout going to ${how}: no lab, no start lock, no log left, exit 1, no stack trace`, async () => {
      const res = await runIt(['demo', '--lab', LAB]);
      assert.equal(res.code, 1, res.stderr);
      assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
      assert.doesNotMatch(res.stderr, /Unhandled|EPIPE/);
      if (how.includes('full')) assert.equal(res.stderr.trim(), 'podnet: could not write the output (ENOSPC)');
      else assert.match(res.stdout, /^PodNet Lab demo: /);
      assert.equal((await runCli('root', ['lab', 'status', '--lab', LAB])).code, 3, 'the lab is gone');
      assert.deepEqual(filesOf(LAB), []);
    });
  }
});
