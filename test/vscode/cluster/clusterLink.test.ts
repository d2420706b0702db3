/**
 * The extension's cluster session (ClusterLink, what LabSession runs in cluster mode) on the real KubeProvider, reading
 * the kube-apiserver stand-in (real list/watch wire format, HTTPS on 127.0.0.1): one change per watch event, no re-list
 * per event, a namespace filter, and one status re-read after the watch had to re-list.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeProvider } from '../../../src/providers/kube/kubeProvider';
import { ClusterLink, type ClusterViewChange } from '../../../src/vscode/cluster/clusterLink';
import { writeKubeconfig } from '../../support/kubeApiStandIn/kubeconfigFile';
import { endpointSliceObject, serviceObject } from '../../support/kubeApiStandIn/serviceObjects';
import { KubeApiStandIn } from '../../support/kubeApiStandIn/server';
import { nodeObject, podObject, type TestbedPodFacts } from '../../support/testbedCluster';

const pod = (namespace: string, name: string, node: string, ip: string, gen = 0): TestbedPodFacts =>
  ({ namespace, name, uid: `uid-${name}-${gen}`, node, ip, containers: [{ name: 'web', port: 8080 }] });

describe('ClusterLink on the real KubeProvider (kube-apiserver stand-in)', function () {
  this.timeout(60_000);
  let standIn: KubeApiStandIn;
  let dir = '';
  let link: ClusterLink | undefined;
  let changes: ClusterViewChange[] = [];

  /** Resolves with the first change (from now on) that matches. */
  function next(match: (c: ClusterViewChange) => boolean, timeoutMs = 10_000): Promise<ClusterViewChange> {
    const seen = changes.length;
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => {
        const hit = changes.slice(seen).find(match);
        if (hit) return resolve(hit);
        if (Date.now() - t0 > timeoutMs) return reject(new Error(`no matching change within ${timeoutMs} ms; saw ${JSON.stringify(changes.slice(seen))}`));
        setTimeout(poll, 5);
      };
      poll();
    });
  }

  beforeEach(async () => {
    standIn = await KubeApiStandIn.start();
    standIn.upsert(nodeObject({ name: 'node-a', ip: '172.18.0.2', podCIDR: '10.244.0.0/24', providerID: 'test://node-a' }, true));
    standIn.upsert(nodeObject({ name: 'node-b', ip: '172.18.0.3', podCIDR: '10.244.1.0/24', providerID: 'test://node-b' }));
    standIn.upsert(podObject(pod('default', 'web-1', 'node-a', '10.244.0.5')));
    standIn.upsert(podObject(pod('default', 'web-2', 'node-b', '10.244.1.5')));
    standIn.upsert(podObject(pod('shop', 'cart-0', 'node-b', '10.244.1.6')));
    dir = mkdtempSync(join(tmpdir(), 'podnet-clusterlink-'));
    const kubeconfig = writeKubeconfig(dir, { target: standIn, context: 'kind-test', cluster: 'kind-test' });
    changes = [];
    const provider = await KubeProvider.connect({ kubeconfig, context: 'kind-test', namespace: 'all', env: { HOME: dir, PATH: process.env.PATH } });
    link = await ClusterLink.open(provider, (c) => changes.push(c));
  });

  afterEach(async () => {
    await link?.close();
    link = undefined;
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the API's Pods as NAMESPACE/NAME with their IPs, sorted, after one list", () => {
    assert.deepEqual(link!.status!.pods.map((p) => [p.name, p.ip, p.node]), [
      ['default/web-1', '10.244.0.5', 'node-a'], ['default/web-2', '10.244.1.5', 'node-b'], ['shop/cart-0', '10.244.1.6', 'node-b'],
    ]);
    assert.equal(link!.status!.cluster?.context, 'kind-test');
    assert.deepEqual(changes, [{ kind: 'all' }]);
    assert.equal(standIn.count('list', '/api/v1/pods'), 1);
  });

  it('turns a re-created Pod (same name, new IP) into one in-place row change, without listing again', async () => {
    const seen = next((c) => c.kind === 'pod' && c.pod.ip === '10.244.1.77');
    standIn.upsert(podObject(pod('default', 'web-2', 'node-b', '10.244.1.77', 1)));
    const c = await seen;
    assert.ok(c.kind === 'pod' && c.change === 'updated' && c.moved === false && c.pod.name === 'default/web-2');
    assert.equal(link!.status!.pods.find((p) => p.name === 'default/web-2')?.ip, '10.244.1.77');
    assert.equal(standIn.count('list', '/api/v1/pods'), 1, 'no re-list per event');
  });

  it("reports a Deployment's replacement as a deletion and an addition on the Pod's node", async () => {
    const deleted = next((c) => c.kind === 'pod' && c.change === 'deleted');
    standIn.remove('Pod', 'default', 'web-1');
    assert.equal((await deleted).kind === 'pod' && (await deleted as Extract<ClusterViewChange, { kind: 'pod' }>).pod.name, 'default/web-1');
    const added = next((c) => c.kind === 'pod' && c.change === 'added');
    standIn.upsert(podObject(pod('default', 'web-1b', 'node-a', '10.244.0.9')));
    const c = (await added) as Extract<ClusterViewChange, { kind: 'pod' }>;
    assert.equal(c.pod.node, 'node-a');
    assert.deepEqual(link!.status!.pods.map((p) => p.name), ['default/web-1b', 'default/web-2', 'shop/cart-0']);
  });

  it('shows one namespace when asked, and stays silent about events in the others while counting them', async () => {
    link!.setNamespace('shop');
    assert.deepEqual(link!.status!.pods.map((p) => p.name), ['shop/cart-0']);
    assert.equal(link!.status!.nodes.length, 2, 'every node stays');
    const shopEvent = next((c) => c.kind === 'pod');
    standIn.upsert(podObject(pod('default', 'web-3', 'node-a', '10.244.0.7')));
    standIn.upsert(podObject(pod('shop', 'cart-1', 'node-a', '10.244.0.8')));
    const c = (await shopEvent) as Extract<ClusterViewChange, { kind: 'pod' }>;
    assert.equal(c.pod.name, 'shop/cart-1', 'the default-namespace event was not reported');
    assert.deepEqual(link!.namespaces(), [{ namespace: 'default', pods: 3 }, { namespace: 'shop', pods: 2 }]);
    link!.setNamespace(undefined);
    assert.equal(link!.status!.pods.length, 5);
  });

  it("follows a Service's EndpointSlice: a re-created Pod is one service change with the new endpoint, the ClusterIP stays; a namespace filter hides other namespaces' Services", async () => {
    const svc = { namespace: 'default', name: 'web', clusterIP: '10.96.0.10', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } };
    const added = next((c) => c.kind === 'service' && c.change === 'added');
    standIn.upsert(serviceObject(svc));
    await added;
    const slice = (ip: string) => endpointSliceObject(svc, [{ ip, pod: { namespace: 'default', name: 'web-1' }, node: 'node-a' }], [{ port: 8080 }]);
    const first = next((c) => c.kind === 'service' && c.service.endpoints.some((e) => e.ip === '10.244.0.5'));
    standIn.upsert(slice('10.244.0.5'));
    await first;
    const moved = next((c) => c.kind === 'service' && c.service.endpoints.some((e) => e.ip === '10.244.0.99'));
    standIn.upsert(slice('10.244.0.99'));
    const c = (await moved) as Extract<ClusterViewChange, { kind: 'service' }>;
    assert.equal(c.change, 'updated');
    const shown = link!.status!.services!.find((s) => s.name === 'web')!;
    assert.equal(shown.clusterIP, '10.96.0.10');
    assert.deepEqual(shown.endpoints.map((e) => [e.ip, e.pod, e.ready]), [['10.244.0.99', 'default/web-1', true]]);
    link!.setNamespace('shop');
    assert.deepEqual(link!.status!.services, [], 'no Service of namespace shop');
  });

  it('catches up after the watch had to list again (history compacted, connection dropped): the missed Pod is shown, a full refresh fired', async () => {
    const all = next((c) => c.kind === 'all', 20_000);
    // In one tick, so the watcher can only come back after the history is gone: its resume gets 410 Gone.
    standIn.dropWatches();
    standIn.upsert(podObject(pod('default', 'web-4', 'node-b', '10.244.1.9')));
    standIn.compact();
    await all;
    // The relist's differences come as events before its resync; the re-read then shows the same Pods.
    const deadline = Date.now() + 10_000;
    while (!link!.status!.pods.some((p) => p.name === 'default/web-4') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(link!.status!.pods.some((p) => p.name === 'default/web-4' && p.ip === '10.244.1.9'), 'the Pod made while the watch was down is shown');
    assert.equal(standIn.count('list', '/api/v1/pods'), 2, 'one list at connect, one after the 410');
  });
});
