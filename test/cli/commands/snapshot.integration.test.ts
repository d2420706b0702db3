/** `podnet snapshot` end to end: record a real lab to a file, validate it, and the errors when there is nothing to record. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliOk, testableModes } from '../../support/cli';

for (const mode of testableModes()) {
  describe(`podnet snapshot (${mode})`, function () {
    this.timeout(120_000);
    const lab = `isnapcli-${mode === 'root' ? 'root' : 'user'}`;
    let dir: string;

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      dir = mkdtempSync(join(tmpdir(), 'podnet-snapcli-'));
      chmodSync(dir, 0o777); // the unprivileged run writes here too
    });

    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('writes a snapshot with -o that `snapshot validate` accepts (exit 0), with a one-line summary on stderr', async () => {
      const file = join(dir, 'snap.json');
      const rec = await runCli(mode, ['snapshot', '-o', file, '--lab', lab]);
      assert.equal(rec.code, 0, rec.stderr);
      assert.equal(rec.stdout, '');
      assert.match(rec.stderr, new RegExp(`^snapshot of lab "${lab}" to ${file}: 6 namespaces, \\d+ links, \\d+ addresses, \\d+ routes, \\d+ fdb entries in \\d+ ms\\n$`));
      const snap = JSON.parse(readFileSync(file, 'utf8')) as { source: { rootless: boolean } };
      assert.equal(snap.source.rootless, mode === 'unprivileged');
      const val = await runCli(mode, ['snapshot', 'validate', file]);
      assert.equal(val.code, 0, val.stderr);
      assert.match(val.stdout, /: valid \(snapshot of lab ".*", 6 namespaces, captured /);
    });

    it('prints the snapshot on stdout without -o', async () => {
      const res = await runCliOk(mode, ['snapshot', '--lab', lab]);
      assert.equal(JSON.parse(res.stdout).format, 'podnet-snapshot');
      assert.ok(res.stdout.endsWith('}\n'));
    });

    it('validate exits 1 naming the JSON path of the bad field', async () => {
      const file = join(dir, 'bad.json');
      const good = JSON.parse((await runCliOk(mode, ['snapshot', '--lab', lab])).stdout);
      good.namespaces[2].links[0].ifindex = 'x';
      writeFileSync(file, JSON.stringify(good));
      chmodSync(file, 0o644);
      const res = await runCli(mode, ['snapshot', 'validate', file]);
      assert.equal(res.code, 1);
      assert.equal(res.stderr, `podnet: ${file}: $.namespaces[2].links[0].ifindex: expected a number, got "x"\n`);
    });

    it('exits 1 with "no lab named" when no lab is running', async () => {
      const res = await runCli(mode, ['snapshot', '--lab', 'isnap-none']);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /no lab named "isnap-none" is running/);
      assert.equal(res.stdout, '');
    });

    it('exits 2 on a usage mistake', async () => {
      assert.equal((await runCli(mode, ['snapshot', 'validate'])).code, 2);
      assert.equal((await runCli(mode, ['snapshot', 'frobnicate'])).code, 2);
    });
  });
}
