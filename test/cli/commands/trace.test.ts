/** `podnet trace --snapshot`: prediction from a recorded snapshot with no lab at all, and its bad-input errors. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceResult } from '../../../src/tracer/types';
import { runCli, testableModes } from '../../support/cli';

const fixture = (name: string) => join(__dirname, '..', '..', 'fixtures', 'snapshots', name);
const mode = testableModes()[0];

function tempCopy(name: string, edit: (json: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-trace-'));
  chmodSync(dir, 0o755);
  const json = JSON.parse(readFileSync(fixture('article.json'), 'utf8')) as Record<string, unknown>;
  edit(json);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  chmodSync(file, 0o644);
  return file;
}

describe('podnet trace --snapshot (no lab needed)', function () {
  this.timeout(30_000);

  it('takes TO as POD:PORT like --port, and refuses both naming different ports', async () => {
    const res = await runCli(mode, ['trace', 'pod-a', 'pod-c:8080', '--snapshot', fixture('article.json'), '--json']);
    assert.equal(res.code, 0, res.stderr);
    const t = JSON.parse(res.stdout) as TraceResult;
    assert.deepEqual([t.request.to.name, t.request.proto, t.request.port], ['pod-c', 'tcp', 8080]);
    const both = await runCli(mode, ['trace', 'pod-a', 'pod-c:8080', '--port', '80', '--snapshot', fixture('article.json')]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /pod-c:8080 and --port 80 name different ports/);
  });

  it('predicts from a recorded snapshot and sends nothing', async () => {
    const res = await runCli(mode, ['trace', 'pod-a', 'pod-c', '--snapshot', fixture('article.json'), '--json']);
    assert.equal(res.code, 0, res.stderr);
    const t = JSON.parse(res.stdout) as TraceResult;
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.verification, undefined);
    assert.ok(t.hops.every((h) => h.kernel === undefined), 'no kernel to ask');
  });

  it('prints the text trace with a note that it is a prediction, and exits 4 when not delivered', async () => {
    const res = await runCli(mode, ['trace', 'pod-a', '10.244.9.9', '--snapshot', fixture('article.json')]);
    assert.equal(res.code, 4);
    assert.match(res.stdout, /NO_ROUTE: node1 has no route to 10\.244\.9\.9/);
    assert.match(res.stdout, /prediction from the snapshot .*nothing was sent/);
  });

  it('names the JSON path of a bad field in a snapshot', async () => {
    const file = tempCopy('bad.json', (j) => {
      ((j.namespaces as Record<string, unknown>[])[1].links as Record<string, unknown>[])[0].ifindex = 'x';
    });
    const res = await runCli(mode, ['trace', 'pod-a', 'pod-c', '--snapshot', file]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /\$\.namespaces\[1\]\.links\[0\]\.ifindex/);
  });

  it('refuses a snapshot from a newer PodNet Lab and says to update', async () => {
    const file = tempCopy('newer.json', (j) => {
      j.version = 99;
    });
    const res = await runCli(mode, ['trace', 'pod-a', 'pod-c', '--snapshot', file]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /version 99.*update PodNet Lab/i);
  });

  it('reports a missing snapshot file as a usage error', async () => {
    const res = await runCli(mode, ['trace', 'pod-a', 'pod-c', '--snapshot', '/nonexistent/x.json']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /cannot read the file \(ENOENT\)/);
  });
});
