import { strict as assert } from 'node:assert';
import { ARTICLE_TOPOLOGY_YAML, parseTopology } from '../../../src/model/topologySpec';
import { TOPOLOGY_NODE_LABEL } from '../../../src/providers/kind/kindConfig';
import { DEFAULT_WORKLOAD_IMAGE, imagePullAdvice, workloadManifests } from '../../../src/providers/kind/workloads';

const article = parseTopology(ARTICLE_TOPOLOGY_YAML);
type Container = { name: string; image: string; args: string[]; ports?: { containerPort: number }[] };
type Manifest = { metadata: { name: string; labels: Record<string, string> }; spec: { nodeSelector: Record<string, string>; containers: Container[] } };

describe('kind workloads from a topology', () => {
  const pods = workloadManifests(article) as unknown as Manifest[];

  it('makes one Pod per topology Pod, pinned to the worker of its topology node', () => {
    assert.deepEqual(pods.map((p) => [p.metadata.name, p.spec.nodeSelector[TOPOLOGY_NODE_LABEL]]), [['pod-a', 'node1'], ['pod-b', 'node1'], ['pod-c', 'node2']]);
  });

  it('runs web containers as agnhost netexec on their port, the sidecar on another port of the same Pod', () => {
    const a = pods[0].spec.containers;
    assert.deepEqual(a.map((c) => [c.name, c.image, c.args[0], c.ports?.[0].containerPort]), [['web', DEFAULT_WORKLOAD_IMAGE, 'netexec', 8080], ['sidecar', DEFAULT_WORKLOAD_IMAGE, 'netexec', 9090]]);
  });

  it('labels every Pod as PodNet\'s, so cleanup can find it', () => {
    for (const p of pods) assert.equal(p.metadata.labels['app.kubernetes.io/managed-by'], 'podnet-lab');
  });

  it('takes another image when asked, and says how to load an image that cannot be pulled', () => {
    const custom = workloadManifests(article, 'localhost/web:1') as unknown as Manifest[];
    assert.ok(custom.every((p) => p.spec.containers.every((c) => c.image === 'localhost/web:1')));
    assert.match(imagePullAdvice('localhost/web:1', 'podnet'), /kind load docker-image localhost\/web:1 --name podnet/);
  });
});
