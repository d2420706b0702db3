/** One runner for lab actions (CLI runner and VS Code terminal alike): streamed decoding, one timeout exit code, capped output. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_NOT_RUN_EXIT, ACTION_TIMEOUT_EXIT, MAX_ACTION_OUTPUT, runActionArgv } from '../../src/labs/actionRun';

describe('lab action runner (runActionArgv, used by podnet lab run and the lab panel terminal)', () => {
  let dir: string;
  /** Writes a stand-in for dist/cli.js: a real Node program the runner starts exactly as it starts the CLI. */
  const entry = (name: string, code: string): string => {
    const file = join(dir, name);
    writeFileSync(file, code);
    return file;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'podnet-action-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a multi-byte character whole when it straddles the 64 KiB pipe boundary, in the result and in the streamed text', async () => {
    // 65535 ASCII bytes, then "€" (3 bytes) so that its first byte ends the first 64 KiB read; then one split by hand across two writes.
    const cli = entry('straddle.js', `
      const euro = Buffer.from('€');
      process.stdout.write(Buffer.concat([Buffer.alloc(65535, 0x61), euro, Buffer.from('x')]), () => {
        process.stdout.write(euro.subarray(0, 1), () => setTimeout(() => process.stdout.write(euro.subarray(1)), 50));
      });
      process.stderr.write(Buffer.concat([Buffer.alloc(65535, 0x62), euro]));`);
    let streamedOut = '';
    let streamedErr = '';
    const r = await runActionArgv(['podnet', 'get', 'pods'], { cliEntry: cli, cwd: dir, timeoutMs: 30_000, onStdout: (t) => (streamedOut += t), onStderr: (t) => (streamedErr += t) });
    const expected = `${'a'.repeat(65535)}€x€`;
    assert.equal(r.code, 0);
    assert.equal(r.stdout, expected);
    assert.equal(streamedOut, expected);
    assert.equal(streamedErr, `${'b'.repeat(65535)}€`);
    assert.ok(!streamedOut.includes('\uFFFD') && !r.stderr.includes('\uFFFD'));
  });

  it('passes the argv after "podnet" to the CLI entry unchanged, in the pack folder, and reports its exit code', async () => {
    const cli = entry('echo.js', 'console.log(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() })); process.exit(3);');
    const r = await runActionArgv(['podnet', 'exec', 'pod-a', '--lab', 'x', '--', 'sh', '-c', 'echo $HOME; ls'], { cliEntry: cli, cwd: dir, timeoutMs: 30_000 });
    assert.equal(r.code, 3);
    assert.deepEqual(JSON.parse(r.stdout), { argv: ['exec', 'pod-a', '--lab', 'x', '--', 'sh', '-c', 'echo $HOME; ls'], cwd: dir });
  });

  it('reports an action killed at its timeout with exit code 124 and timedOut', async () => {
    const cli = entry('hang.js', 'process.stdout.write("started\\n"); setInterval(() => undefined, 1000);');
    const r = await runActionArgv(['podnet', 'get', 'pods'], { cliEntry: cli, cwd: dir, timeoutMs: 500 });
    assert.deepEqual([r.code, r.timedOut, r.stdout], [ACTION_TIMEOUT_EXIT, true, 'started\n']);
  });

  it('keeps at most 1 MiB of output per stream', async () => {
    const cli = entry('big.js', `process.stdout.write(Buffer.alloc(${MAX_ACTION_OUTPUT} + 4096, 0x7a));`);
    const r = await runActionArgv(['podnet', 'snapshot'], { cliEntry: cli, cwd: dir, timeoutMs: 30_000 });
    assert.equal(r.code, 0);
    assert.equal(r.stdout.length, MAX_ACTION_OUTPUT);
  });

  it('reports an action that could not start with exit code 127 and the reason on stderr', async () => {
    const r = await runActionArgv(['podnet', 'get', 'pods'], { cliEntry: join(dir, 'x.js'), cwd: join(dir, 'no-such-folder'), timeoutMs: 30_000 });
    assert.equal(r.code, ACTION_NOT_RUN_EXIT);
    assert.match(r.stderr, /could not start/);
  });
});
