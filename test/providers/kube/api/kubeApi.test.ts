import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { nodeObject, podObject } from './fixtures';

describe('KubeApi against the kube-apiserver stand-in (HTTPS, real wire format)', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let api: KubeApi;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-kubeapi-'));
    standIn = await KubeApiStandIn.start({ podIP: (p) => (p.spec as { nodeName?: string }).nodeName === 'node-b' ? '10.244.2.9' : undefined });
    standIn.upsert(nodeObject('node-a', '172.18.0.2', '10.244.1.0/24'));
    standIn.upsert(nodeObject('node-b', '172.18.0.3', '10.244.2.0/24'));
    standIn.upsert(podObject('default', 'web-1', 'node-a', '10.244.1.5', { app: 'web' }));
    standIn.upsert(podObject('shop', 'cart', 'node-b', '10.244.2.7', { app: 'cart' }));
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
  });

  afterEach(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists nodes and pods (all namespaces, one namespace, by label) from the stand-in', async () => {
    const nodes = await api.listNodes();
    assert.deepEqual(nodes.map((n) => [n.name, n.internalIP, n.podCIDRs[0], n.ready]), [
      ['node-a', '172.18.0.2', '10.244.1.0/24', true],
      ['node-b', '172.18.0.3', '10.244.2.0/24', true],
    ]);
    assert.deepEqual((await api.listPods()).map((p) => `${p.namespace}/${p.name}@${p.node}=${p.podIPs[0]}`), ['default/web-1@node-a=10.244.1.5', 'shop/cart@node-b=10.244.2.7']);
    assert.deepEqual((await api.listPods('shop')).map((p) => p.name), ['cart']);
    assert.deepEqual((await api.listPodsByLabel('app=web')).map((p) => p.name), ['web-1']);
    assert.deepEqual((await api.listPodsByLabel('app=web', 'shop')).map((p) => p.name), []);
  });

  it('creates a Pod that the stand-in puts on a node, reads it, deletes it, and a second delete of it counts as done', async () => {
    await api.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'podnet-debug-node-b', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'podnet' } }, spec: { nodeName: 'node-b', hostNetwork: true, containers: [{ name: 'debug', image: 'busybox' }] } });
    const pod = await api.readPod('default', 'podnet-debug-node-b');
    assert.equal(pod?.node, 'node-b');
    assert.equal(pod?.phase, 'Running');
    assert.deepEqual(pod?.podIPs, ['10.244.2.9']);
    assert.equal(pod?.hostNetwork, true);
    assert.deepEqual((await api.listPodsByLabel('app.kubernetes.io/managed-by=podnet')).map((p) => p.name), ['podnet-debug-node-b']);
    await api.deletePod('default', 'podnet-debug-node-b');
    assert.equal(await api.readPod('default', 'podnet-debug-node-b'), undefined);
    await api.deletePod('default', 'podnet-debug-node-b');
  });

  it('reports a forbidden delete instead of treating it as done (only 404 is tolerated)', async () => {
    standIn.forbid('delete', 'pods', 'shop');
    await assert.rejects(api.deletePod('shop', 'cart'), (e: KubeAccessError) => e.code === 'FORBIDDEN' && /cannot delete pods in namespace shop/.test(e.message));
  });
});
