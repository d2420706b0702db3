import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SpecError } from '../../src/model/topology';
import { LabError } from '../../src/providers/embedded/control/labError';
import { KubeAccessError } from '../../src/providers/kube/kubeAccessError';
import { UsageError } from '../../src/cli/cliError';
import { describeError, outputModeOf } from '../../src/cli/reportError';
import { RunError, run } from '../../src/util/exec';

/** Runs the real CLI from source (node + tsx) and returns its exit code and output. */
async function podnet(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await run([process.execPath, '--require', 'tsx/cjs', 'src/cli/main.ts', ...args], { timeoutMs: 60_000, env: { ...process.env, PODNET_LAB: 'h12-no-such-lab' } });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI errors in text and JSON', () => {
  it('gives every kind of error a stable code, the exit code of the text form and its details', () => {
    assert.deepEqual(describeError(new UsageError('bad flag', 'HELP')), { message: 'bad flag', code: 'USAGE', exitCode: 2 });
    const spec = describeError(new SpecError('not a range', { file: 't.yaml', line: 3, column: 5, field: 'network' }));
    assert.equal(spec.code, 'INVALID_TOPOLOGY');
    assert.deepEqual(spec.location, { file: 't.yaml', line: 3, column: 5, field: 'network' });
    assert.match(spec.message, /^invalid topology: t\.yaml:3:5: network: not a range$/);
    assert.deepEqual(describeError(new LabError('no such Pod', 'NOT_FOUND', 'pod')), { message: 'pod: no such Pod', code: 'NOT_FOUND', exitCode: 1, field: 'pod' });
    assert.equal(describeError(new KubeAccessError('cluster gone \x1b[31m', 'UNREACHABLE')).code, 'UNREACHABLE');
    const failed = describeError(new RunError(['ip', 'link'], { code: 1, signal: null, stdout: '', stderr: 'boom', timedOut: false }));
    assert.deepEqual([failed.code, failed.command], ['COMMAND_FAILED', ['ip', 'link']]);
    assert.equal(describeError(new Error('x')).code, 'UNEXPECTED');
  });

  it('reads the JSON mode from --json, -o json, -ojson and --output=json, but not after -- nor from snapshot -o FILE', () => {
    assert.equal(outputModeOf('trace', ['a', 'b', '--json']), 'json');
    assert.equal(outputModeOf('get', ['pods', '-o', 'json']), 'json');
    assert.equal(outputModeOf('get', ['pods', '-ojson']), 'json');
    assert.equal(outputModeOf('lab', ['status', '--output=json']), 'json');
    assert.equal(outputModeOf('get', ['pods', '-o', 'wide']), 'text');
    assert.equal(outputModeOf('exec', ['pod-a', '--', 'cat', '--json']), 'text');
    assert.equal(outputModeOf('snapshot', ['-o', 'json']), 'text');
  });

  it('prints a usage error of a JSON command as one JSON object on stderr, nothing on stdout, exit code 2 as in text', async () => {
    const json = await podnet('get', 'pods', '-o', 'json', '--bogus');
    assert.equal(json.code, 2);
    assert.equal(json.stdout, '');
    const body = JSON.parse(json.stderr) as { error: { message: string; code: string; exitCode: number } };
    assert.equal(body.error.code, 'USAGE');
    assert.equal(body.error.exitCode, 2);
    assert.match(body.error.message, /^Unknown option '--bogus'/);
    const text = await podnet('get', 'pods', '-o', 'wide', '--bogus');
    assert.equal(text.code, 2);
    assert.match(text.stderr, /^podnet: Unknown option '--bogus'/);
  });

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal((await podnet('--version')).stdout.trim(), pkg.version);
  });
});
