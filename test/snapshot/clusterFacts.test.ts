import { strict as assert } from 'node:assert';
import type { KubeNode, KubePod } from '../../src/providers/kube/clusterTypes';
import { toLabStatus } from '../../src/providers/kube/toLabStatus';
import { clusterFacts, namespaceTargets } from '../../src/snapshot/clusterFacts';

const node: KubeNode = { name: 'kind-worker', internalIP: '172.18.0.3', podCIDRs: ['10.244.1.0/24'], ready: true, providerID: '', resourceVersion: '1' };
const pod = (name: string, over: Partial<KubePod>): KubePod => ({
  namespace: 'default', name, uid: name, node: 'kind-worker', podIPs: ['10.244.1.2'], phase: 'Running', deleting: false, hostNetwork: false,
  containers: [], readyContainers: 0, restarts: 0, labels: {}, createdAt: '', resourceVersion: '1', ...over,
});

describe('snapshot namespaces of a cluster', () => {
  const st = toLabStatus({ context: 'c', cluster: 'c', server: 's', access: 'container', accessDescription: '' }, [node], [
    pod('web', {}),
    pod('proxy', { hostNetwork: true, podIPs: ['172.18.0.3'] }),
    pod('no-ip-yet', { podIPs: [] }),
    pod('pending', { phase: 'Pending', podIPs: [] }),
  ]);

  it('collects no wire, each node, and only Pods with a namespace of their own (not hostNetwork, with an IP)', () => {
    assert.deepEqual(namespaceTargets(st).map((t) => [t.id, t.target]), [
      ['node/kind-worker', { kind: 'node', node: 'kind-worker' }],
      ['pod/default/web', { kind: 'pod', pod: 'default/web' }],
    ]);
  });

  it('records the same Pods as cluster facts, with ranges covering the nodes', () => {
    const facts = clusterFacts(st);
    assert.deepEqual(facts.pods.map((p) => p.name), ['default/web']);
    assert.equal(facts.clusterCIDR, '10.244.1.0/24');
    assert.deepEqual(facts.network, { cidr: '172.18.0.3/32' });
  });

  it('leaves unknown ranges out instead of writing empty strings', () => {
    const bare = toLabStatus({ context: 'c', cluster: 'c', server: 's', access: 'none', accessDescription: '' }, [{ ...node, internalIP: '', podCIDRs: [] }], []);
    const facts = clusterFacts(bare);
    assert.equal('clusterCIDR' in facts, false);
    assert.equal('network' in facts, false);
  });
});
