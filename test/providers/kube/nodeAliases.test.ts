import { strict as assert } from 'node:assert';
import type { ClusterSource } from '../../../src/providers/embedded/control/protocol';
import type { KubeNode, KubePod } from '../../../src/providers/kube/clusterTypes';
import { isManaged, managedPodManifest } from '../../../src/providers/kube/managedPods';
import { nodeAliases, toLabStatus } from '../../../src/providers/kube/toLabStatus';

const source: ClusterSource = { context: 'kind-pn', cluster: 'kind-pn', server: 'https://127.0.0.1:6443', access: 'container', accessDescription: 'docker exec', namespace: 'default' };

const node = (name: string, labels?: Record<string, string>): KubeNode => ({
  name, internalIP: '172.18.0.3', podCIDRs: ['10.244.1.0/24'], ready: true, providerID: '', resourceVersion: '1', ...(labels ? { labels } : {}),
});

const managedPod = (name: string, image: string, labels: Record<string, string>): KubePod => ({
  namespace: 'default', name, uid: name, node: 'pn-worker', podIPs: ['10.244.1.5'], phase: 'Running', deleting: false, hostNetwork: false,
  containers: [{ name: 'web', image, ports: [] }], readyContainers: 1, restarts: 0, labels, createdAt: '', resourceVersion: '1',
});

describe('kube provider: a PodNet kind worker answers to its topology node (alias)', () => {
  it('takes the alias from the podnet.dev/topology-node label, and none from a node without it or with its own name', () => {
    assert.deepEqual(nodeAliases(node('pn-worker', { 'podnet.dev/topology-node': 'node1' })), ['node1']);
    assert.deepEqual(nodeAliases(node('pn-control-plane', { 'node-role.kubernetes.io/control-plane': '' })), []);
    assert.deepEqual(nodeAliases(node('node1', { 'podnet.dev/topology-node': 'node1' })), []);
    assert.deepEqual(nodeAliases(node('hand-made')), []);
  });

  it('puts the alias into the status only for nodes that have one', () => {
    const st = toLabStatus(source, [node('pn-worker', { 'podnet.dev/topology-node': 'node1' }), node('pn-control-plane', {})], []);
    assert.deepEqual(st.nodes.map((n) => [n.name, n.aliases]), [['pn-control-plane', undefined], ['pn-worker', ['node1']]]);
  });

  it('pins a new PodNet Pod by the alias label on a PodNet kind worker, by nodeName elsewhere, copying the image of the Pods PodNet made', () => {
    const siblings = [managedPod('pod-a', 'registry.example/agnhost:9', { 'app.kubernetes.io/managed-by': 'podnet-lab', 'podnet.dev/topology': 'article' })];
    const m = managedPodManifest({ name: 'pod-c', node: 'node2' }, node('pn-worker2', { 'podnet.dev/topology-node': 'node2' }), siblings) as { metadata: { labels: Record<string, string> }; spec: { nodeSelector?: Record<string, string>; nodeName?: string; containers: { image: string; args: string[] }[] } };
    assert.deepEqual(m.spec.nodeSelector, { 'podnet.dev/topology-node': 'node2' });
    assert.equal(m.metadata.labels['app.kubernetes.io/managed-by'], 'podnet-lab');
    assert.equal(m.metadata.labels['podnet.dev/topology'], 'article');
    assert.equal(m.spec.containers[0].image, 'registry.example/agnhost:9');
    assert.deepEqual(m.spec.containers[0].args.slice(0, 2), ['netexec', '--http-port=8080']);
    const plain = managedPodManifest({ name: 'x', node: 'worker-7' }, node('worker-7'), []) as { spec: { nodeSelector?: unknown; nodeName?: string } };
    assert.equal(plain.spec.nodeSelector, undefined);
    assert.equal(plain.spec.nodeName, 'worker-7');
  });

  it('refuses a Pod name Kubernetes would refuse, and treats only labelled Pods as PodNet\'s', () => {
    assert.throws(() => managedPodManifest({ name: 'Bad_Name', node: 'n' }, node('n'), []), /not valid/);
    assert.equal(isManaged(managedPod('a', 'i', { 'app.kubernetes.io/managed-by': 'podnet-lab' })), true);
    assert.equal(isManaged(managedPod('b', 'i', { 'app.kubernetes.io/managed-by': 'helm' })), false);
  });
});
