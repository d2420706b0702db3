/** Releasing namespace files: "already gone" is success, any other failure is reported with the file it concerns. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Namespaces } from '../../../../src/providers/embedded/daemon/namespaces';
import { locateTools } from '../../../../src/providers/embedded/preflight';

describe('Namespaces.remove (real umount, no namespace mounted)', () => {
  let dir: string;
  let ns: Namespaces;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-ns-'));
    const { tools } = locateTools();
    assert.ok(tools, 'umount and friends must be installed (npm run setup)');
    ns = new Namespaces(tools, dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('treats files that exist but were never mounted (a half-made Pod) as released, and deletes them', async () => {
    const f = ns.files('pod-half');
    writeFileSync(f.net, '');
    writeFileSync(f.uts, '');
    await ns.remove('pod-half');
    assert.equal(existsSync(f.net), false);
    assert.equal(existsSync(f.uts), false);
  });

  it('treats missing files as already removed', async () => {
    await ns.remove('pod-never-made');
  });

  it('rejects, naming the file, when a namespace file cannot be deleted instead of reporting success', async () => {
    const f = ns.files('pod-stuck');
    mkdirSync(f.net);
    writeFileSync(join(f.net, 'keep'), ''); // a non-empty folder where the file should be: unlink fails with EISDIR
    await assert.rejects(ns.remove('pod-stuck'), (e: Error) => e.message.includes(f.net) && /could not delete/.test(e.message) && e.cause !== undefined);
  });
});
