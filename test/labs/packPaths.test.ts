/** Pack files for UIs (step pages, images): only real files inside the pack folder, and not too big. */
import { strict as assert } from 'node:assert';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PACK_FILE_BYTES, readPackFile, resolveInPack } from '../../src/labs/packPaths';
import { makePack, tempDir } from './helpers';

describe('pack paths', () => {
  it('reads a file inside the pack, also through a link that stays inside', () => {
    const dir = makePack({ 'steps/a.md': '# A\n' });
    symlinkSync('a.md', join(dir, 'steps/alias.md'));
    assert.equal(readPackFile(dir, 'steps/a.md').toString(), '# A\n');
    assert.equal(readPackFile(dir, 'steps/alias.md').toString(), '# A\n');
  });

  it('refuses "..", absolute paths, backslashes, folders, links leading out, and files over the limit', () => {
    const dir = makePack({});
    const outside = join(tempDir('podnet-outside-'), 'secret.md');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(dir, 'steps/out.md'));
    writeFileSync(join(dir, 'big.md'), Buffer.alloc(MAX_PACK_FILE_BYTES + 1));
    const problem = (rel: string) => {
      const r = resolveInPack(dir, rel);
      return 'problem' in r ? r.problem : 'ok';
    };
    assert.match(problem('../x.md'), /uses "\.\."/);
    assert.match(problem('/etc/passwd'), /absolute path/);
    assert.match(problem('steps\\a.md'), /backslash/);
    assert.match(problem('steps'), /not a regular file/);
    assert.match(problem('steps/out.md'), /symbolic link that leads outside the pack folder/);
    assert.throws(() => readPackFile(dir, 'steps/out.md'), /cannot open steps\/out\.md in the lab pack .*symbolic link/);
    assert.throws(() => readPackFile(dir, 'big.md'), /more than the 1048576-byte limit/);
  });
});
