import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { cleanupDebugPods, findLeftovers } from '../../../../src/providers/kube/nodeAccess/cleanup';
import { DEBUG_POD_LABELS } from '../../../../src/providers/kube/nodeAccess/debugPodManifest';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';

const pod = (namespace: string, name: string, labels: Record<string, string>) =>
  ({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { namespace, name, labels },
    spec: { nodeName: 'n1', containers: [{ name: 'debug', image: 'example/leftover:1' }] },
    status: { phase: 'Running' },
  }) as const;

describe('cleanup of debug Pods against the kube-apiserver stand-in', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let api: KubeApi;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-cleanup-'));
    standIn = await KubeApiStandIn.start();
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
    standIn.upsert(pod('default', 'podnet-debug-n1', { ...DEBUG_POD_LABELS }));
    standIn.upsert(pod('tools', 'podnet-debug-n2', { ...DEBUG_POD_LABELS, extra: 'x' }));
    standIn.upsert(pod('default', 'web', { app: 'web' }));
    standIn.upsert(pod('default', 'other-tool', { 'app.kubernetes.io/managed-by': 'podnet-lab' }));
  });

  afterEach(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = () => standIn.store.list({ kind: 'Pod' }).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

  it('finds leftover debug Pods in every namespace by both labels, and nothing else', async () => {
    const found = await findLeftovers(api);
    assert.deepEqual(found.map((p) => `${p.namespace}/${p.name}`).sort(), ['default/podnet-debug-n1', 'tools/podnet-debug-n2']);
  });

  it('removes exactly the labelled debug Pods and says which', async () => {
    const { removed } = await cleanupDebugPods(api);
    assert.deepEqual(removed.sort(), ['default/podnet-debug-n1', 'tools/podnet-debug-n2']);
    assert.deepEqual(names(), ['default/other-tool', 'default/web']);
    assert.deepEqual(await cleanupDebugPods(api), { removed: [] }, 'a second run finds nothing');
  });

  it('reports a Pod it may not delete by name (one sentence, cause kept) after removing the others', async () => {
    standIn.forbid('delete', 'pods', 'tools');
    await assert.rejects(cleanupDebugPods(api), (e: unknown) => {
      assert.ok(e instanceof KubeAccessError);
      assert.match(e.message, /^Could not remove PodNet's debug Pod tools\/podnet-debug-n2 \(.*forbidden.*\); delete it with kubectl or run `podnet cluster cleanup` again\.$/s);
      assert.doesNotMatch(e.message, /\n/);
      assert.ok(e.cause instanceof KubeAccessError, 'the API error stays as the cause');
      return true;
    });
    assert.deepEqual(names(), ['default/other-tool', 'default/web', 'tools/podnet-debug-n2']);
  });
});
