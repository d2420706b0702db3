import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTICLE_TOPOLOGY_YAML, parseTopology } from '../../../src/model/topologySpec';
import { serviceManifests } from '../../../src/providers/kind/serviceWorkloads';
import { workloadManifests } from '../../../src/providers/kind/workloads';

const topology = parseTopology(readFileSync(join(__dirname, '../../fixtures/kind/services-topology.yaml'), 'utf8'));
type Svc = {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown> & { ports: Record<string, unknown>[] };
};
type Pod = { metadata: { name: string; labels: Record<string, string> } };

describe('kind Service manifests from a topology', () => {
  const [web, pick] = serviceManifests(topology) as unknown as Svc[];

  it('makes a ClusterIP Service with the topology\'s ClusterIP, one unnamed TCP port with its targetPort, and the label selector as given', () => {
    assert.deepEqual(web.spec, { type: 'ClusterIP', clusterIP: '10.96.0.100', selector: { app: 'web' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] });
  });

  it('makes a NodePort Service with its nodePort and externalTrafficPolicy; a pods: selector becomes PodNet\'s selection label', () => {
    assert.deepEqual(pick.spec, {
      type: 'NodePort', clusterIP: '10.96.0.101', selector: { 'service.podnet.dev/pick-a': 'true' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30081 }], externalTrafficPolicy: 'Local',
    });
  });

  it('labels every Service as PodNet\'s and its topology\'s, in namespace default', () => {
    for (const s of [web, pick]) {
      assert.equal(s.metadata.namespace, 'default');
      assert.deepEqual(s.metadata.labels, { 'app.kubernetes.io/managed-by': 'podnet-lab', 'podnet.dev/topology': 'kind-services' });
    }
  });

  it('gives the Pods their topology labels, and the selection label only to the Pods a pods: selector names', () => {
    const pods = workloadManifests(topology) as unknown as Pod[];
    const labels = Object.fromEntries(pods.map((p) => [p.metadata.name, p.metadata.labels]));
    assert.equal(labels['pod-a']['service.podnet.dev/pick-a'], 'true');
    assert.equal(labels['pod-a'].app, 'pod-a', 'a Pod without topology labels keeps app: NAME');
    for (const p of ['pod-b', 'pod-c']) {
      assert.equal(labels[p].app, 'web', 'topology labels win over the default app label');
      assert.equal(labels[p]['service.podnet.dev/pick-a'], undefined);
      assert.equal(labels[p]['app.kubernetes.io/managed-by'], 'podnet-lab');
    }
  });

  it('makes no Service for a topology without services:', () => {
    assert.deepEqual(serviceManifests(parseTopology(ARTICLE_TOPOLOGY_YAML)), []);
  });
});
