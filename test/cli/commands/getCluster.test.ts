import { strict as assert } from 'node:assert';
import { kubeAge, kubeNodesTable, kubePodsTable } from '../../../src/cli/commands/getCluster';
import type { KubeNode, KubePod } from '../../../src/providers/kube/clusterTypes';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const pod = (ns: string, name: string, over: Partial<KubePod> = {}): KubePod => ({
  namespace: ns, name, uid: name, node: 'kind-worker', podIPs: ['10.244.1.2'], phase: 'Running', deleting: false, hostNetwork: false,
  containers: [{ name: 'c', image: 'i', ports: [] }, { name: 'd', image: 'i', ports: [] }], readyContainers: 1, restarts: 3, labels: {}, createdAt: ago(300), resourceVersion: '1', ...over,
});

describe('podnet get on a cluster: kubectl-shaped output', () => {
  it('formats ages the way kubectl does', () => {
    assert.deepEqual([45, 200, 600, 3 * 3600 + 60, 20 * 3600, 3 * 86400 + 3600, 100 * 86400, 3 * 365 * 86400 + 5 * 86400].map((s) => kubeAge(ago(s), NOW)),
      ['45s', '3m20s', '10m', '3h1m', '20h', '3d1h', '100d', '3y5d']);
    assert.equal(kubeAge(undefined, NOW), '<unknown>');
  });

  it('prints Pods with kubectl get pods -o wide columns, NAMESPACE first with -A, sorted by namespace and name', () => {
    const pods = [pod('web', 'b'), pod('kube-system', 'z', { deleting: true, podIPs: [], node: '' }), pod('web', 'a')];
    const lines = kubePodsTable(pods, { wide: true, allNamespaces: true, now: NOW }).split('\n');
    assert.deepEqual(lines[0].split(/\s{2,}/), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s{2,}/)), [
      ['kube-system', 'z', '1/2', 'Terminating', '3', '5m', '<none>', '<none>'],
      ['web', 'a', '1/2', 'Running', '3', '5m', '10.244.1.2', 'kind-worker'],
      ['web', 'b', '1/2', 'Running', '3', '5m', '10.244.1.2', 'kind-worker'],
    ]);
    assert.deepEqual(kubePodsTable(pods, { wide: false, allNamespaces: false, now: NOW }).split('\n')[0].split(/\s{2,}/), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  });

  it('--show-labels adds LABELS last, k=v sorted by key, <none> for a Pod without labels', () => {
    const pods = [pod('web', 'a', { labels: { tier: 'front', app: 'web' } }), pod('web', 'b')];
    const rows = kubePodsTable(pods, { wide: true, allNamespaces: false, showLabels: true, now: NOW }).split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => [r[0], r[7]]), [['NAME', 'LABELS'], ['a', 'app=web,tier=front'], ['b', '<none>']]);
  });

  it('prints Nodes with STATUS, INTERNAL-IP, POD-CIDR and how PodNet reaches them', () => {
    const nodes: KubeNode[] = [{ name: 'w', internalIP: '172.18.0.3', podCIDRs: ['10.244.1.0/24'], ready: false, providerID: '', resourceVersion: '1' }];
    const lines = kubeNodesTable(nodes, { wide: true, access: 'container', now: NOW }).split('\n');
    assert.deepEqual(lines[0].split(/\s{2,}/), ['NAME', 'STATUS', 'ROLES', 'AGE', 'INTERNAL-IP', 'POD-CIDR', 'ACCESS']);
    assert.deepEqual(lines[1].split(/\s{2,}/), ['w', 'NotReady', '<none>', '<unknown>', '172.18.0.3', '10.244.1.0/24', 'container']);
  });
});
