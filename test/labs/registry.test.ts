/** Finding packs: the built-in labs/ folder, extra folders, a path, or an id. */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabPackError, LabPackInvalidError } from '../../src/labs/errors';
import { builtInLabsDir, findLabPack, listLabPacks } from '../../src/labs/registry';
import { FIXTURES, REPO, tempDir } from './helpers';

describe('lab pack registry', () => {
  it('finds the built-in labs/ folder from the source tree (and from dist/ in the bundle)', () => {
    assert.equal(builtInLabsDir(), join(REPO, 'labs'));
  });

  it('lists the built-in packs and those of extra folders; a broken one is a problem, not a crash', () => {
    const extra = tempDir('podnet-packs-');
    mkdirSync(join(extra, 'broken'));
    writeFileSync(join(extra, 'broken', 'lab.yaml'), 'id: broken\n');
    const { packs, problems } = listLabPacks([FIXTURES, extra]);
    assert.ok(packs.some((p) => p.id === 'own-ip' && p.builtIn));
    assert.deepEqual(packs.filter((p) => !p.builtIn).map((p) => p.id), ['failing', 'mini']);
    assert.deepEqual(problems.map((p) => p.dir), [join(extra, 'broken')]);
    assert.ok(problems[0].errors.some((e) => e.location.field === 'title'));
  });

  it('finds a pack by path, by lab.yaml, by built-in id, or by the id of an extra folder', () => {
    assert.equal(findLabPack(join(FIXTURES, 'mini')).pack.id, 'mini');
    assert.equal(findLabPack(join(FIXTURES, 'mini', 'lab.yaml')).pack.id, 'mini');
    const builtIn = findLabPack('own-ip');
    assert.equal(builtIn.builtIn, true);
    assert.equal(builtIn.pack.dir, join(REPO, 'labs', '01-own-ip'));
    assert.equal(findLabPack('failing', [FIXTURES]).pack.id, 'failing');
  });

  it('an unknown id says so and lists the known packs; a broken pack throws every problem', () => {
    assert.throws(() => findLabPack('no-such-pack'), (e: unknown) => e instanceof LabPackError && /neither a lab pack folder or \.zip nor the id of a known pack/.test(e.message) && /own-ip/.test(e.hint ?? ''));
    const dir = tempDir('podnet-labtest-');
    writeFileSync(join(dir, 'lab.yaml'), 'id: x\nsteps: []\n');
    assert.throws(() => findLabPack(dir), (e: unknown) => e instanceof LabPackInvalidError && e.errors.length > 2);
  });
});
