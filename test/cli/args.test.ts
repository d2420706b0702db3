import { strict as assert } from 'node:assert';
import { labName, outputFormat, parse, splitAtDoubleDash } from '../../src/cli/args';
import { UsageError } from '../../src/cli/cliError';

describe('cli args', () => {
  describe('splitAtDoubleDash', () => {
    it('splits at the first -- and keeps later ones in the command', () => {
      assert.deepEqual(splitAtDoubleDash(['pod-a', '-c', 'web', '--', 'sh', '-c', 'echo --', '--']), {
        before: ['pod-a', '-c', 'web'],
        after: ['sh', '-c', 'echo --', '--'],
      });
    });

    it('returns no command when there is no --, and an empty one when -- is last', () => {
      assert.deepEqual(splitAtDoubleDash(['pod-a']), { before: ['pod-a'], after: undefined });
      assert.deepEqual(splitAtDoubleDash(['pod-a', '--']), { before: ['pod-a'], after: [] });
    });
  });

  describe('labName', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.PODNET_LAB;
      delete process.env.PODNET_LAB;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.PODNET_LAB;
      else process.env.PODNET_LAB = saved;
    });

    it('accepts a valid name given with --lab', () => {
      assert.equal(labName('demo'), 'demo');
      assert.equal(labName('lab-2'), 'lab-2');
    });

    it('rejects names that could escape the runtime folder or are not DNS-like', () => {
      for (const bad of ['../x', 'a/b', '.', 'Demo', '-x', 'x-', '', 'a'.repeat(33)]) {
        assert.throws(() => labName(bad), (e: unknown) => e instanceof UsageError && e.message.includes(`"${bad}"`), `should reject ${JSON.stringify(bad)}`);
      }
    });

    it('falls back to PODNET_LAB, then to "default", and validates PODNET_LAB too', () => {
      assert.equal(labName(undefined), 'default');
      process.env.PODNET_LAB = 'from-env';
      assert.equal(labName(undefined), 'from-env');
      assert.equal(labName('flag-wins'), 'flag-wins');
      process.env.PODNET_LAB = '../etc';
      assert.throws(() => labName(undefined), UsageError);
    });
  });

  describe('outputFormat', () => {
    const allowed = ['table', 'json', 'yaml'] as const;

    it('returns the fallback when no format is given and an allowed value as is', () => {
      assert.equal(outputFormat(undefined, allowed, 'table'), 'table');
      assert.equal(outputFormat('json', allowed, 'table'), 'json');
    });

    it('rejects an unknown format with a UsageError naming the allowed ones', () => {
      assert.throws(
        () => outputFormat('xml', allowed, 'table'),
        (e: unknown) => e instanceof UsageError && e.message === '-o xml is not supported (use table, json, yaml)',
      );
    });
  });

  describe('parse', () => {
    it('parses the command options plus --lab and -h', () => {
      const { values, positionals } = parse(['pod-a', '--node', 'node1', '--lab', 'demo', '-h'], { node: { type: 'string' } }, 'HELP');
      assert.deepEqual({ ...values }, { node: 'node1', lab: 'demo', help: true });
      assert.deepEqual(positionals, ['pod-a']);
    });

    it('keeps an option error whole when the option itself contains ": "', () => {
      assert.throws(
        () => parse(['--lab: x'], {}, 'HELP'),
        (e: unknown) => e instanceof UsageError && e.message.startsWith("Unknown option '--lab: x'."),
      );
    });

    it('turns an unknown flag into a UsageError that names it and carries the help text', () => {
      assert.throws(
        () => parse(['--bogus'], { node: { type: 'string' } }, 'HELP TEXT'),
        (e: unknown) => e instanceof UsageError && /^Unknown option '--bogus'/.test(e.message) && e.help === 'HELP TEXT',
      );
    });

    it('turns a missing option value into a UsageError', () => {
      assert.throws(() => parse(['--node'], { node: { type: 'string' } }, 'HELP'), (e: unknown) => e instanceof UsageError && /--node/.test(e.message));
    });
  });
});
