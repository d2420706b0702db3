import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAttached, startProcess, ToolMissingError } from '../../src/util/exec';
import { running } from '../support/processState';

describe('exec: attached and long-lived processes (the same module as run)', () => {
  it('runAttached resolves with the exit code, 128 + N for a signal, and 124 when its timeout ran out', async () => {
    assert.equal(await runAttached(['sh', '-c', 'exit 3']), 3);
    assert.equal(await runAttached(['sh', '-c', 'kill -TERM $$']), 128 + 15);
    assert.equal(await runAttached(['sleep', '30'], { timeoutMs: 200 }), 124);
  });

  it('runAttached: a timeout also ends what the command started (the real program behind nsenter), not only the command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podnet-attached-'));
    try {
      const pidFile = join(dir, 'pid');
      assert.equal(await runAttached(['sh', '-c', 'sleep 30 & echo $! > "$1"; wait', 'sh', pidFile], { timeoutMs: 500 }), 124);
      const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
      await new Promise((r) => setTimeout(r, 100)); // SIGKILL is delivered at once; give the kernel a moment to end it
      assert.equal(running(grandchild), false, 'the grandchild is gone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runAttached rejects with a ToolMissingError naming a program that does not exist', async () => {
    await assert.rejects(runAttached(['podnet-no-such-program']), (e: unknown) => e instanceof ToolMissingError && e.tool === 'podnet-no-such-program');
  });

  it('startProcess starts argv without a shell and hands back the child', async () => {
    const child = startProcess(['sh', '-c', 'echo "$1"', 'sh', '$(id) ; *'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.deepEqual([code, out], [0, '$(id) ; *\n']);
  });
});
