/** Pack zips: extracted only when every entry is safe; each refusal names the zip and the entry. */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabPackInvalidError } from '../../src/labs/errors';
import { validateLabPackPath, openLabPackPath } from '../../src/labs/registry';
import { extractZip, ZIP_LIMITS } from '../../src/labs/zip';
import { FIXTURES, writeZip, type ZipEntrySpec } from './helpers';

const mini = (prefix = ''): ZipEntrySpec[] => ['lab.yaml', 'steps/01-look.md', 'steps/02-recreate.md'].map((f) => ({ name: `${prefix}${f}`, data: readFileSync(join(FIXTURES, 'mini', f)) }));

/** The errors extractZip throws for `entries`, as [field, message]. */
function refusals(entries: ZipEntrySpec[], limits = ZIP_LIMITS): { zip: string; errors: [string | undefined, string][] } {
  const zip = writeZip(entries);
  try {
    extractZip(zip, limits).cleanup();
  } catch (e) {
    assert.ok(e instanceof LabPackInvalidError, String(e));
    assert.ok(e.errors.every((x) => x.location.file === zip && x.location.line === undefined));
    return { zip, errors: e.errors.map((x) => [x.location.field, x.message]) };
  }
  assert.fail('the zip was extracted');
}

describe('lab pack zips', () => {
  it('extracts a good zip into a fresh folder and the pack inside validates (at the top or in one folder)', () => {
    for (const prefix of ['', 'mini/']) {
      const zip = writeZip([...(prefix ? [{ name: prefix, method: 0 }] : []), ...mini(prefix)]);
      const opened = openLabPackPath(zip);
      try {
        assert.equal(opened.pack.id, 'mini');
        assert.equal(opened.builtIn, false);
        assert.match(opened.pack.dir, /podnet-pack-/);
        assert.equal(readFileSync(join(opened.pack.dir, 'steps/01-look.md'), 'utf8'), readFileSync(join(FIXTURES, 'mini/steps/01-look.md'), 'utf8'));
        assert.equal(statSync(join(opened.pack.dir, 'lab.yaml')).mode & 0o777, 0o644);
      } finally {
        opened.close();
      }
      assert.equal(existsSync(opened.pack.dir), false, 'close() removes the temp folder');
    }
  });

  it('refuses ../ entries, absolute paths and backslashes, and writes nothing', () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('podnet-pack-')).length;
    const { errors } = refusals([...mini(), { name: '../evil.sh', data: 'x' }, { name: 'steps/../../evil', data: 'x' }, { name: '/etc/cron.d/evil', data: 'x' }, { name: 'C:/evil', data: 'x' }, { name: 'steps\\evil.md', data: 'x' }]);
    assert.deepEqual(errors.map(([f]) => f), ['entry "../evil.sh"', 'entry "steps/../../evil"', 'entry "/etc/cron.d/evil"', 'entry "C:/evil"', 'entry "steps\\evil.md"']);
    assert.match(errors[0][1], /uses "\.\.", which would leave the pack folder/);
    assert.match(errors[2][1], /absolute path/);
    assert.match(errors[4][1], /backslash/);
    assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('podnet-pack-')).length, before);
  });

  it('refuses symlinks and special files, encrypted and duplicate entries', () => {
    const { errors } = refusals([...mini(), { name: 'steps/link.md', data: '/etc/shadow', mode: 0o120777, method: 0 }, { name: 'fifo', mode: 0o010644 }, { name: 'secret.md', data: 'x', flags: 1 }, { name: 'lab.yaml', data: 'id: twice' }]);
    assert.deepEqual(errors.map(([f, m]) => `${f}: ${m}`), [
      'entry "steps/link.md": refused: it is a symbolic link, which could point outside the pack',
      'entry "fifo": refused: it is a special file, which could point outside the pack',
      'entry "secret.md": refused: it is encrypted',
      'entry "lab.yaml": refused: the name appears twice in the zip',
    ]);
  });

  it('refuses what is too big: per file, in total, too many entries, and a zip bomb ratio', () => {
    const limits = { ...ZIP_LIMITS, fileBytes: 1000, totalBytes: 1500, entries: 5 };
    assert.match(refusals([{ name: 'big.md', data: 'x'.repeat(1001), method: 0 }], limits).errors[0][1], /1001 bytes uncompressed; the limit per file is 1000/);
    const total = refusals([{ name: 'a.md', data: 'a'.repeat(800), method: 0 }, { name: 'b.md', data: 'b'.repeat(800), method: 0 }], limits).errors;
    assert.deepEqual(total.map(([f]) => f), ['entry "b.md"']);
    assert.match(total[0][1], /1600 bytes uncompressed; the limit is 1500/);
    const many = refusals(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.md`, data: 'x' })), limits);
    assert.match(many.errors[0][1], /6 entries; a lab pack may have at most 5/);
    const bomb = refusals([{ name: 'bomb.md', data: Buffer.alloc(4 << 20) }]).errors;
    assert.match(bomb[0][1], /would expand \d+ times \(\d+ -> 4194304 bytes\), like a zip bomb/);
  });

  it('an entry that lies about its size is stopped while inflating', () => {
    const { errors } = refusals([{ name: 'liar.md', data: 'y'.repeat(5000), declaredSize: 100 }]);
    assert.deepEqual(errors, [['entry "liar.md"', 'refused: it inflates to more than the 100 bytes it declares']]);
  });

  it('podnet lab validate on a bad zip reports each entry, with the zip as the file', () => {
    const zip = writeZip([...mini(), { name: '../../evil', data: 'x' }]);
    const { errors } = validateLabPackPath(zip);
    assert.deepEqual(errors.map((e) => e.format()), [`${zip}: entry "../../evil": refused: its path uses "..", which would leave the pack folder (store every file under a plain relative path such as steps/01-intro.md)`]);
  });

  it('errors inside a zipped pack name the zip and the file in it', () => {
    const entries = mini().map((e) => (e.name === 'lab.yaml' ? { ...e, data: String(e.data).replace('node: node2\n      - type: receiverSawSender', 'node: node9\n      - type: receiverSawSender') } : e));
    const zip = writeZip(entries);
    const { errors } = validateLabPackPath(zip);
    assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
    assert.equal(errors[0].location.file, `${zip}!/lab.yaml`);
    assert.equal(errors[0].location.field, 'steps[1].checks[1].node');
    assert.equal(typeof errors[0].location.line, 'number');
  });

  it('refuses a file that is not a zip at all', () => {
    const zip = writeZip([]);
    writeFileSync(zip, 'not a zip, just text that is long enough to be searched');
    assert.throws(() => extractZip(zip), /not a zip file/);
  });
});
