import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTopology } from '../../../src/model/topologySpec';
import { deleteTopologyServices, ensureTopologyServices, serviceOps } from '../../../src/providers/kind/clusterServices';
import { serviceManifest } from '../../../src/providers/kind/serviceWorkloads';
import { KubeApi } from '../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../src/providers/kube/api/kubeconfig';
import { writeKubeconfig } from '../../support/kubeApiStandIn/kubeconfigFile';
import { serviceObject } from '../../support/kubeApiStandIn/serviceObjects';
import { KubeApiStandIn } from '../../support/kubeApiStandIn/server';

const topology = parseTopology(readFileSync(join(__dirname, '../../fixtures/kind/services-topology.yaml'), 'utf8'));
type Spec = { clusterIP: string; type: string; ports: { nodePort?: number; targetPort: number }[]; selector: Record<string, string> };

describe('PodNet\'s Services on a cluster, through KubeApi against the kube-apiserver stand-in (HTTPS, real wire format)', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let api: KubeApi;
  const names = (): string[] => standIn.store.list({ kind: 'Service' }).items.map((s) => s.metadata.name).sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-kindsvc-'));
    standIn = await KubeApiStandIn.start({});
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
  });
  afterEach(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the topology\'s Services as the API stores them (ClusterIP, NodePort, selector), and a second ensure creates nothing', async () => {
    assert.deepEqual(await ensureTopologyServices(serviceOps(api), topology), ['web', 'pick-a']);
    const pick = standIn.store.get('Service', 'default', 'pick-a');
    const spec = pick?.spec as Spec;
    assert.deepEqual([spec.type, spec.clusterIP, spec.ports[0].nodePort, spec.ports[0].targetPort], ['NodePort', '10.96.0.101', 30081, 8080]);
    assert.deepEqual(spec.selector, { 'service.podnet.dev/pick-a': 'true' });
    assert.deepEqual(await ensureTopologyServices(serviceOps(api), topology), []);
    assert.deepEqual(names(), ['pick-a', 'web']);
  });

  it('replaces PodNet\'s Services of another topology, and leaves Services PodNet did not make alone', async () => {
    standIn.upsert(serviceObject({ namespace: 'default', name: 'theirs', clusterIP: '10.96.5.5', ports: [{ port: 80 }] }));
    await api.createService(serviceManifest({ ...topology.services![0], name: 'old', clusterIP: '10.96.0.200' }, { name: 'other-pack' }));
    await ensureTopologyServices(serviceOps(api), topology);
    assert.deepEqual(names(), ['pick-a', 'theirs', 'web']);
  });

  it('deletes only the topology\'s Services (by its label or a name it has), with nothing to report', async () => {
    standIn.upsert(serviceObject({ namespace: 'default', name: 'theirs', clusterIP: '10.96.5.5', ports: [{ port: 80 }] }));
    await ensureTopologyServices(serviceOps(api), topology);
    assert.deepEqual(await deleteTopologyServices(serviceOps(api), topology), []);
    assert.deepEqual(names(), ['theirs']);
    assert.deepEqual(await deleteTopologyServices(serviceOps(api), topology), [], 'deleting again finds nothing to delete');
  });

  it('a ClusterIP another Service holds is refused by the API in one sentence naming the Service, and nothing is created', async () => {
    standIn.upsert(serviceObject({ namespace: 'default', name: 'theirs', clusterIP: '10.96.0.100', ports: [{ port: 80 }] }));
    await assert.rejects(ensureTopologyServices(serviceOps(api), topology), /web.*10\.96\.0\.100.*already allocated/s);
    assert.deepEqual(names(), ['theirs']);
  });
});
