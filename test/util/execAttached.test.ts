import { strict as assert } from 'node:assert';
import { runAttached, startProcess, ToolMissingError } from '../../src/util/exec';

describe('exec: attached and long-lived processes (the same module as run)', () => {
  it('runAttached resolves with the exit code, 128 + N for a signal, and 124 when its timeout ran out', async () => {
    assert.equal(await runAttached(['sh', '-c', 'exit 3']), 3);
    assert.equal(await runAttached(['sh', '-c', 'kill -TERM $$']), 128 + 15);
    assert.equal(await runAttached(['sleep', '30'], { timeoutMs: 200 }), 124);
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
