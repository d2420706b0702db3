import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterWatcher } from '../../../../src/providers/kube/api/clusterWatcher';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { endpointSliceObject, serviceObject, type EndpointFacts } from '../../../support/kubeApiStandIn/serviceObjects';
import { EventLog, eventually } from './eventLog';
import { nodeObject, podObject } from './fixtures';

const WEB = { namespace: 'default', name: 'web', clusterIP: '10.96.0.10', type: 'NodePort' as const, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] };
const ep = (ip: string, name: string, node: string, ready = true): EndpointFacts => ({ ip, pod: { namespace: 'default', name }, node, ready });

describe('Services and EndpointSlices: list + watch against the kube-apiserver stand-in', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let watcher: ClusterWatcher | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-svcwatch-'));
    standIn = await KubeApiStandIn.start();
    standIn.upsert(nodeObject('node-a', '172.18.0.2', '10.244.1.0/24'));
    standIn.upsert(podObject('default', 'web-1', 'node-a', '10.244.1.2', { app: 'web' }));
    standIn.upsert(serviceObject(WEB));
    standIn.upsert(endpointSliceObject(WEB, [ep('10.244.1.2', 'web-1', 'node-a')], [{ port: 8080 }]));
    standIn.upsert(serviceObject({ namespace: 'shop', name: 'cart', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
  });

  afterEach(async () => {
    watcher?.stop();
    watcher = undefined;
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(namespace?: string): { w: ClusterWatcher; log: EventLog } {
    const target = loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) });
    watcher = new ClusterWatcher(target, { namespace, backoff: { initialMs: 50, maxMs: 400 } });
    return { w: watcher, log: new EventLog(watcher) };
  }

  it('lists Services with their slices\' endpoints once, then watches both (no polling)', async () => {
    const { w } = start();
    await w.start();
    const svcs = w.services()!;
    assert.deepEqual(svcs.map((s) => `${s.namespace}/${s.name} ${s.type} ${s.clusterIP}`), ['default/web NodePort 10.96.0.10', 'shop/cart ClusterIP 10.96.0.20']);
    assert.deepEqual(svcs[0].ports, [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }]);
    assert.deepEqual(svcs[0].endpoints, [{ ip: '10.244.1.2', pod: 'default/web-1', node: 'node-a', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] }]);
    assert.deepEqual(svcs[1].endpoints, []);
    assert.deepEqual(svcs[1].ports[0].targetPort, 'http');
    await eventually(() => standIn.openWatches() === 4, 'four watches open');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(standIn.count('list', '/api/v1/services'), 1);
    assert.equal(standIn.count('list', '/apis/discovery.k8s.io/v1/endpointslices'), 1);
    assert.equal(standIn.count('watch', '/api/v1/services'), 1);
    assert.equal(standIn.count('watch', '/apis/discovery.k8s.io/v1/endpointslices'), 1);
  });

  it('a Pod re-created with a new IP: the slice change reaches onServiceChange as the Service updated, its ClusterIP unchanged', async () => {
    const { w, log } = start();
    await w.start();
    standIn.upsert(endpointSliceObject(WEB, [ep('10.244.1.7', 'web-1', 'node-a', false)], [{ port: 8080 }]));
    await log.until((l) => l.changes.includes('service updated default/web 10.244.1.7'));
    standIn.upsert(endpointSliceObject(WEB, [ep('10.244.1.7', 'web-1', 'node-a')], [{ port: 8080 }]));
    await log.until((l) => l.changes.filter((c) => c === 'service updated default/web 10.244.1.7').length === 2);
    const web = w.services()!.find((s) => s.name === 'web')!;
    assert.equal(web.clusterIP, '10.96.0.10');
    assert.deepEqual(web.endpoints.map((e) => [e.ip, e.ready]), [['10.244.1.7', true]]);
    standIn.upsert(serviceObject({ namespace: 'default', name: 'db', clusterIP: '10.96.0.30', ports: [{ port: 5432 }] }));
    standIn.remove('Service', 'shop', 'cart');
    await log.until((l) => l.changes.includes('service deleted shop/cart '));
    assert.ok(log.changes.includes('service added default/db '));
    assert.deepEqual(w.services()!.map((s) => s.name), ['db', 'web']);
  });

  it('with a namespace it lists and watches only that namespace\'s Services and slices', async () => {
    const { w, log } = start('shop');
    await w.start();
    assert.deepEqual(w.services()!.map((s) => `${s.namespace}/${s.name}`), ['shop/cart']);
    assert.equal(standIn.count('list', '/api/v1/namespaces/shop/services'), 1);
    assert.equal(standIn.count('list', '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices'), 1);
    standIn.upsert(serviceObject({ namespace: 'default', name: 'elsewhere', clusterIP: '10.96.0.40', ports: [{ port: 1 }] }));
    standIn.upsert(endpointSliceObject({ namespace: 'shop', name: 'cart' }, [ep('10.244.1.3', 'cart-1', 'node-a')], [{ name: 'http', port: 8080 }]));
    await log.until((l) => l.changes.includes('service updated shop/cart 10.244.1.3'));
    assert.ok(!log.changes.some((c) => c.includes('elsewhere')));
  });

  it('Services that may not be listed are left out with a warning; Pods and nodes still work', async () => {
    standIn.forbid('list', 'endpointslices');
    const { w } = start();
    await w.start();
    assert.equal(w.services(), undefined);
    assert.equal(w.pods().length, 1);
    const warning = w.warnings().find((e) => e.code === 'FORBIDDEN');
    assert.match(warning?.message ?? '', /^cannot list endpointslices\.discovery\.k8s\.io at cluster scope.*PodNet shows no Services/);
  });

  it('a Service with an unreadable shape is skipped with its reason, the others are read', async () => {
    standIn.upsert({ kind: 'Service', metadata: { namespace: 'default', name: 'weird' }, spec: { type: 'Teleport', clusterIP: '10.96.0.50', ports: [{ port: 80 }] } });
    const { w } = start();
    await w.start();
    assert.deepEqual(w.services()!.map((s) => s.name), ['web', 'cart']);
    assert.deepEqual(w.serviceProblems(), ['Service default/weird skipped: spec.type "Teleport" is not ClusterIP, NodePort, LoadBalancer or ExternalName']);
  });
});
