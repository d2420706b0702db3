import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/cli/cliError';
import { formatLabels, parseLabels, parseNameList, parsePortNumber } from '../../src/cli/labelArgs';

/** Asserts `fn` throws one UsageError whose message names `option` and matches `pattern`. */
function usageError(fn: () => unknown, option: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.ok(e.message.startsWith(option), `"${e.message}" should start with ${option}`);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

describe('CLI label, name list and port parsing', () => {
  describe('parseLabels', () => {
    it('reads one KEY=VALUE and several joined by commas, keeping empty values and prefixed keys', () => {
      assert.deepEqual(parseLabels('app=web', '--selector'), { app: 'web' });
      assert.deepEqual(parseLabels('app=web,tier=front', '--selector'), { app: 'web', tier: 'front' });
      assert.deepEqual(parseLabels('example.com/team=net,flag=', '--label'), { 'example.com/team': 'net', flag: '' });
    });

    it('merges into the labels of earlier repeats of the option, and refuses a key given twice across them', () => {
      const into = parseLabels('app=web', '--label');
      parseLabels('tier=front', '--label', undefined, into);
      assert.deepEqual(into, { app: 'web', tier: 'front' });
      usageError(() => parseLabels('app=api', '--label', undefined, into), '--label', /key "app" is given twice/);
    });

    it('refuses a pair without "=", naming the option and the pair', () => {
      usageError(() => parseLabels('app', '--selector'), '--selector', /"app" should look like KEY=VALUE/);
      usageError(() => parseLabels('app=web,,x=y', '--selector'), '--selector', /"" should look like KEY=VALUE/);
    });

    it('refuses keys and values Kubernetes would refuse, with the model\'s reason after the option and its text', () => {
      usageError(() => parseLabels('=web', '--selector'), '--selector "=web": ', /label key '' has no name/);
      usageError(() => parseLabels('-app=web', '--label'), '--label "-app=web": ', /label key '-app' is not valid/);
      usageError(() => parseLabels(`${'a'.repeat(64)}=x`, '--label'), '--label', /is 64 characters long; the limit is 63/);
      usageError(() => parseLabels('Example.com/app=x', '--label'), '--label', /the prefix 'Example.com' of label key 'Example.com\/app' is not a DNS subdomain/);
      usageError(() => parseLabels('app=web server', '--selector'), '--selector', /the value 'web server' of label 'app' is not valid/);
      usageError(() => parseLabels('app=web-', '--selector'), '--selector', /the value 'web-' of label 'app'/);
    });
  });

  describe('parseNameList', () => {
    it('splits names on commas', () => assert.deepEqual(parseNameList('pod-a,pod-c', '--pods'), ['pod-a', 'pod-c']));

    it('refuses an empty name and a name given twice', () => {
      usageError(() => parseNameList('pod-a,', '--pods'), '--pods', /has an empty name/);
      usageError(() => parseNameList('pod-a,pod-a', '--pods'), '--pods', /names pod-a twice/);
    });
  });

  describe('parsePortNumber', () => {
    it('reads whole numbers in range', () => {
      assert.equal(parsePortNumber('80', '--port'), 80);
      assert.equal(parsePortNumber('65535', '--port'), 65535);
      assert.equal(parsePortNumber('30000', '--node-port', undefined, 30000, 32767), 30000);
    });

    it('refuses port 0, text, signs, fractions and numbers out of range, naming the option and the range', () => {
      for (const bad of ['0', 'http', '-1', '+80', '80.5', '1e3', '0x50', '65536', '', ' 80']) {
        usageError(() => parsePortNumber(bad, '--port'), '--port', /must be a whole number from 1 to 65535/);
      }
      usageError(() => parsePortNumber('29999', '--node-port', undefined, 30000, 32767), '--node-port', /from 30000 to 32767/);
    });
  });

  it('formatLabels prints k=v sorted by key like kubectl, or <none>', () => {
    assert.equal(formatLabels({ tier: 'front', app: 'web' }), 'app=web,tier=front');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });
});
