import { strict as assert } from 'node:assert';
import type { KubeNode, KubePod } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { NoNodeAccess } from '../../../../src/providers/kube/nodeAccess/noAccess';

const node: KubeNode = { name: 'n1', internalIP: '10.0.0.1', podCIDRs: [], ready: true, providerID: 'aws:///x', resourceVersion: '1' };
const pod = { namespace: 'default', name: 'web', uid: 'u', node: 'n1', hostNetwork: false } as KubePod;

describe('NoNodeAccess', () => {
  it('rejects node and Pod commands with NO_NODE_ACCESS and one sentence saying how to get node details', async () => {
    const access = new NoNodeAccess('API only: the nodes are not containers this machine runs (providerID aws:///x)');
    assert.equal(access.method, 'none');
    for (const attempt of [access.execNode(node, ['ip', 'route']), access.execPod(pod, node, ['ip', 'addr'])]) {
      await assert.rejects(attempt, (e: unknown) => {
        assert.ok(e instanceof KubeAccessError);
        assert.equal(e.code, 'NO_NODE_ACCESS');
        assert.match(e.message, /install docker/);
        assert.match(e.message, /--debug-pods/);
        assert.equal(e.message.split('\n').length, 1);
        return true;
      });
    }
  });

  it('names where the command would have run', async () => {
    const access = new NoNodeAccess();
    await assert.rejects(access.execPod(pod, node, ['ip']), /`ip` in Pod default\/web/);
    await assert.rejects(access.execNode(node, ['nft']), /`nft` in node n1/);
  });

  it('keeps the reason it was given as its description, and closes without doing anything', async () => {
    const access = new NoNodeAccess('API only: because');
    assert.equal(access.description, 'API only: because');
    await access.close();
  });
});
