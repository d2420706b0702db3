import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/cliError';
import { POD_HELP, labelsFrom, parseContainerFlag, podCommand } from '../../../src/cli/commands/pod';

describe('podnet pod', () => {
  describe('parseContainerFlag', () => {
    it('a bare name leaves workload and port to the lab defaults', () => {
      assert.deepEqual(parseContainerFlag('web'), { name: 'web' });
    });

    it('NAME:WORKLOAD sets the workload', () => {
      assert.deepEqual(parseContainerFlag('helper:sidecar'), { name: 'helper', workload: 'sidecar' });
    });

    it('NAME:WORKLOAD:PORT sets the port as a number', () => {
      assert.deepEqual(parseContainerFlag('api:web:9090'), { name: 'api', workload: 'web', port: 9090 });
    });

    it('rejects more than three parts, with the expected shape and the help text', () => {
      assert.throws(
        () => parseContainerFlag('a:b:c:d'),
        (e: unknown) => e instanceof UsageError && /"a:b:c:d" should look like NAME\[:WORKLOAD\[:PORT\]\]/.test(e.message) && e.help === POD_HELP,
      );
    });

    it('rejects a port that is not a whole number', () => {
      for (const bad of ['api:web:http', 'api:web:80.5', 'api:web:', 'api:web:0x50', 'api:web:1e3']) {
        assert.throws(() => parseContainerFlag(bad), (e: unknown) => e instanceof UsageError && /is not a number/.test(e.message), bad);
      }
    });

    it('rejects an empty name', () => {
      assert.throws(() => parseContainerFlag(':sidecar'), UsageError);
      assert.throws(() => parseContainerFlag(''), UsageError);
    });
  });
});

describe('podnet pod create --label', () => {
  it('collects every --label, each one or several KEY=VALUE joined by commas', () => {
    assert.deepEqual(labelsFrom(['app=web', 'tier=front,track=canary']), { app: 'web', tier: 'front', track: 'canary' });
    assert.equal(labelsFrom(undefined), undefined);
    assert.equal(labelsFrom([]), undefined);
  });

  it('a bad label or a key given twice is one error naming --label, with the pod help', () => {
    assert.throws(() => labelsFrom(['app']), (e: unknown) => e instanceof UsageError && /^--label "app": "app" should look like KEY=VALUE/.test(e.message) && e.help === POD_HELP);
    assert.throws(() => labelsFrom(['app=web', 'app=api']), (e: unknown) => e instanceof UsageError && /^--label "app=api": key "app" is given twice/.test(e.message));
  });

  it('--label on pod delete is refused before any lab is contacted', async () => {
    await assert.rejects(podCommand(['delete', 'pod-a', '--label', 'app=web']), (e: unknown) => e instanceof UsageError && /--label is for pod create/.test(e.message));
  });
});
