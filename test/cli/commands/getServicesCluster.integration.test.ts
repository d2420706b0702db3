/** `podnet get svc|endpoints` and `podnet service` on a cluster served by the kube-apiserver stand-in: kubectl's columns, -n/-A, read-only. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import { runCli } from '../../support/cli';
import { writeKubeconfig } from '../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../support/kubeApiStandIn/server';
import { endpointSliceObject, serviceObject } from '../../support/kubeApiStandIn/serviceObjects';
import { nodeObject, podObject } from '../../support/testbedCluster';

const WEB = { namespace: 'default', name: 'web', clusterIP: '10.96.0.10', type: 'NodePort' as const, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] };
const CART = { namespace: 'shop', name: 'cart', clusterIP: '10.96.0.20', selector: { app: 'cart' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] };

/** Rows of a printed table, cells split at two or more spaces. */
const rows = (text: string) => text.trim().split('\n').map((l) => l.split(/\s{2,}/));

describe('podnet get svc|endpoints on a cluster served by the kube-apiserver stand-in', function () {
  this.timeout(120_000);
  let standIn: KubeApiStandIn;
  let dir: string;
  let kubeconfig: string;
  const podnet = (...args: string[]) => runCli('root', [...args, '--kubeconfig', kubeconfig]);

  before(async () => {
    standIn = await KubeApiStandIn.start();
    standIn.upsert(nodeObject({ name: 'node-a', ip: '10.0.0.11', podCIDR: '10.244.1.0/24', providerID: 'gce://p/z/node-a' }));
    standIn.upsert(podObject({ namespace: 'default', name: 'web-1', uid: 'u1', node: 'node-a', ip: '10.244.1.2', containers: [{ name: 'c', port: 8080 }] }));
    standIn.upsert(podObject({ namespace: 'default', name: 'web-2', uid: 'u2', node: 'node-a', ip: '10.244.1.3', containers: [{ name: 'c', port: 8080 }] }));
    standIn.upsert(serviceObject(WEB));
    standIn.upsert(endpointSliceObject(WEB, [
      { ip: '10.244.1.2', pod: { namespace: 'default', name: 'web-1' }, node: 'node-a' },
      { ip: '10.244.1.3', pod: { namespace: 'default', name: 'web-2' }, node: 'node-a', ready: false },
    ], [{ port: 8080 }]));
    standIn.upsert(serviceObject(CART));
    dir = mkdtempSync(join(tmpdir(), 'podnet-svc-cluster-'));
    kubeconfig = writeKubeconfig(dir, { target: standIn, context: 'stand-in' });
  });
  after(async () => {
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('get svc -A -o wide: NAMESPACE first, kubectl\'s columns, sorted by namespace and name, the API\'s selector', async () => {
    const res = await podnet('get', 'svc', '-A', '-o', 'wide');
    assert.equal(res.code, 0, res.stderr);
    const [header, ...body] = rows(res.stdout);
    assert.deepEqual(header, ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.deepEqual(body.map((r) => [...r.slice(0, 6), r[7]]), [
      ['default', 'web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP', 'app=web'],
      ['shop', 'cart', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', 'app=cart'],
    ]);
  });

  it('get endpoints -n NS: no NAMESPACE column, only ready endpoints; a Service without a slice has <none>', async () => {
    const web = await podnet('get', 'endpoints', '-n', 'default', '-o', 'wide');
    assert.equal(web.code, 0, web.stderr);
    assert.deepEqual(rows(web.stdout).map((r) => [r[0], r[1], r[3], r[4]]), [['NAME', 'ENDPOINTS', 'PODS', 'NOT-READY'], ['web', '10.244.1.2:8080', 'default/web-1@node-a', 'default/web-2']]);
    const shop = await podnet('get', 'ep', '-n', 'shop');
    assert.deepEqual(rows(shop.stdout).map((r) => r.slice(0, 2)), [['NAME', 'ENDPOINTS'], ['cart', '<none>']]);
  });

  it('-o json is the ServiceInfo list; an empty namespace says so like kubectl', async () => {
    const res = await podnet('get', 'svc', '-A', '-o', 'json');
    assert.equal(res.code, 0, res.stderr);
    const list = JSON.parse(res.stdout) as ServiceInfo[];
    assert.deepEqual(list.map((s) => [s.namespace, s.clusterIP, s.ports[0].port]), [['default', '10.96.0.10', 80], ['shop', '10.96.0.20', 80]]);
    const none = await podnet('get', 'svc', '-n', 'empty');
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr.trim(), 'No resources found in empty namespace.');
  });

  it('service create and delete refuse in one sentence: Services on a cluster are made with kubectl', async () => {
    for (const args of [['service', 'create', 'api', '--selector', 'app=api', '--port', '80'], ['service', 'delete', 'web']]) {
      const res = await podnet(...args);
      assert.equal(res.code, 1, res.stderr);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.match(res.stderr, /^podnet: Services on a cluster are created and deleted with kubectl .*PodNet only reads them/);
    }
    const after = JSON.parse((await podnet('get', 'svc', '-A', '-o', 'json')).stdout) as ServiceInfo[];
    assert.deepEqual(after.map((s) => s.clusterIP), ['10.96.0.10', '10.96.0.20'], 'nothing changed on the cluster');
  });
});
