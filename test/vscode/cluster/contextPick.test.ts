/** Which kubeconfig Connect to Cluster reads, and the order its contexts are offered in. */
import { strict as assert } from 'node:assert';
import { contextPickItems, kubeconfigSource } from '../../../src/vscode/cluster/contextPick';

describe('Connect to Cluster: kubeconfig and context pick', () => {
  it('offers the current context first, then the others by name, each with its cluster and server', () => {
    const items = contextPickItems([
      { name: 'prod', cluster: 'gke-prod', server: 'https://10.0.0.1', namespace: 'default', current: false },
      { name: 'kind-podnet', cluster: 'kind-podnet', server: 'https://127.0.0.1:6443', namespace: 'default', current: true },
      { name: 'dev', cluster: 'dev', server: 'https://127.0.0.1:7443', namespace: 'team-a', current: false },
    ]);
    assert.deepEqual(items.map((i) => i.context), ['kind-podnet', 'dev', 'prod']);
    assert.match(items[0].description, /^current · cluster kind-podnet/);
    assert.equal(items[0].detail, 'https://127.0.0.1:6443');
    assert.match(items[1].description, /namespace team-a/);
    assert.doesNotMatch(items[2].description, /current/);
  });

  it('reads the podnet.kubeconfig setting first, then $KUBECONFIG, then ~/.kube/config', () => {
    assert.deepEqual(kubeconfigSource(' /tmp/k.yaml ', { KUBECONFIG: '/a' }, '/home/u'), { path: '/tmp/k.yaml', shown: '/tmp/k.yaml (setting podnet.kubeconfig)' });
    assert.deepEqual(kubeconfigSource(undefined, { KUBECONFIG: '/a:/b' }, '/home/u'), { shown: '/a:/b ($KUBECONFIG)' });
    assert.deepEqual(kubeconfigSource('', {}, '/home/u'), { shown: '/home/u/.kube/config' });
  });
});
