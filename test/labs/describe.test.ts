import { strict as assert } from 'node:assert';
import { actionArgv } from '../../src/labs/describe';

describe('the exact argv of a lab action', () => {
  const exec = { id: 'a', run: ['podnet', 'exec', 'pod-a', '--', 'ip', 'addr'] };

  it('names the embedded lab with --lab before the command\'s own --', () => {
    assert.deepEqual(actionArgv(exec, 'pack-own-ip'), ['podnet', 'exec', 'pod-a', '--lab', 'pack-own-ip', '--', 'ip', 'addr']);
  });

  it('names a cluster by --context, and by --kubeconfig too when the run was given one (the VS Code setting)', () => {
    assert.deepEqual(actionArgv(exec, { context: 'kind-podnet' }), ['podnet', 'exec', 'pod-a', '--context', 'kind-podnet', '--', 'ip', 'addr']);
    assert.deepEqual(actionArgv(exec, { context: 'kind-podnet', kubeconfig: '/w/kube.yaml' }),
      ['podnet', 'exec', 'pod-a', '--context', 'kind-podnet', '--kubeconfig', '/w/kube.yaml', '--', 'ip', 'addr']);
  });
});
