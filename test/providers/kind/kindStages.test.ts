import { strict as assert } from 'node:assert';
import { parseKindStage } from '../../../src/providers/kind/kindStages';

describe('kind stage lines', () => {
  it('reads a started stage as kind prints it without a terminal', () => {
    assert.deepEqual(parseKindStage(' • Ensuring node image (kindest/node:v1.31.0) 🖼  ...'), { stage: 'Ensuring node image (kindest/node:v1.31.0)', state: 'started' });
  });

  it('reads done and failed stages, emoji and colours stripped', () => {
    assert.deepEqual(parseKindStage(' ✓ Preparing nodes 📦 📦 📦'), { stage: 'Preparing nodes', state: 'done' });
    assert.deepEqual(parseKindStage(' \x1b[32m✓\x1b[0m Joining worker nodes 🚜'), { stage: 'Joining worker nodes', state: 'done' });
    assert.deepEqual(parseKindStage(' ✗ Starting control-plane 🕹️'), { stage: 'Starting control-plane', state: 'failed' });
  });

  it('ignores every other line', () => {
    for (const line of ['Creating cluster "podnet" ...', 'Set kubectl context to "kind-podnet"', '', ' • ', 'ERROR: failed to create cluster']) {
      assert.equal(parseKindStage(line), undefined, line);
    }
  });
});
