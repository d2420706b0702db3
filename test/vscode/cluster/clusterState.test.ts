/** A cluster's status kept current one watch event at a time: sorted inserts, IP changes, deletes, namespaces. */
import { strict as assert } from 'node:assert';
import { toLabStatus } from '../../../src/providers/kube/toLabStatus';
import { applyClusterChange, filterNamespace, namespacesOf, sortedStatus } from '../../../src/vscode/cluster/clusterState';
import { cluster, kubeNode, kubePod, source } from './clusterFixture';

function start() {
  const { nodes, pods } = cluster();
  const st = sortedStatus(toLabStatus(source(), nodes, pods));
  const byName = (name: string) => nodes.find((n) => n.name === name);
  return { st, nodes, byName };
}

describe('applyClusterChange (the cluster status, one event at a time)', () => {
  it('adds a Pod in name order without touching the other Pod objects', () => {
    const { st, byName } = start();
    const { status, applied } = applyClusterChange(st, { kind: 'pod', change: 'added', pod: kubePod('default', 'web-05', 'podnet-worker', '10.244.1.9') }, byName);
    assert.deepEqual(status.pods.map((p) => p.name), [...st.pods.map((p) => p.name), 'default/web-05'].sort());
    assert.equal(applied.kind === 'pod' && applied.previous, undefined);
    for (const p of st.pods) assert.equal(status.pods.find((q) => q.name === p.name), p, `${p.name} is the same object`);
    assert.notEqual(status.pods, st.pods, 'a new array, so the old status stays as it was');
  });

  it('replaces a re-created Pod with its new IP and reports the old one', () => {
    const { st, byName } = start();
    const { status, applied } = applyClusterChange(st, { kind: 'pod', change: 'updated', pod: kubePod('default', 'web-1', 'podnet-worker', '10.244.1.7') }, byName);
    assert.equal(status.pods.find((p) => p.name === 'default/web-1')?.ip, '10.244.1.7');
    assert.equal(status.pods.length, st.pods.length);
    assert.ok(applied.kind === 'pod' && applied.previous?.ip === '10.244.1.2');
  });

  it('removes a deleted Pod and keeps the rest sorted', () => {
    const { st, byName } = start();
    const { status } = applyClusterChange(st, { kind: 'pod', change: 'deleted', pod: kubePod('default', 'web-0', 'podnet-control-plane', '10.244.0.5') }, byName);
    assert.ok(!status.pods.some((p) => p.name === 'default/web-0'));
    assert.deepEqual(status.pods.map((p) => p.name), [...status.pods.map((p) => p.name)].sort());
  });

  it("gives a hostNetwork Pod its node's IP", () => {
    const { st, byName } = start();
    const { status } = applyClusterChange(st, { kind: 'pod', change: 'added', pod: kubePod('kube-system', 'kindnet-a', 'podnet-control-plane', '', { hostNetwork: true }) }, byName);
    const p = status.pods.find((x) => x.name === 'kube-system/kindnet-a');
    assert.equal(p?.ip, '172.18.0.2');
    assert.equal(p?.hostNetwork, true);
  });

  it("keeps a node's wiring (read by node access) when the API updates it, and records Ready", () => {
    const { st, byName } = start();
    const wired = { ...st, nodes: st.nodes.map((n) => (n.name === 'podnet-worker' ? { ...n, cni: 'bridge' as const, bridge: 'cbr0', bridgeIP: '10.244.1.1' } : n)) };
    const { status } = applyClusterChange(wired, { kind: 'node', change: 'updated', node: kubeNode('podnet-worker', '172.18.0.3', '10.244.1.0/24', false) }, byName);
    const n = status.nodes.find((x) => x.name === 'podnet-worker') as (typeof status.nodes)[number] & { ready?: boolean };
    assert.equal(n.bridge, 'cbr0');
    assert.equal(n.ready, false);
  });

  it('lists namespaces with Pod counts and filters the Pods to one, keeping every node', () => {
    const { st } = start();
    assert.deepEqual(namespacesOf(st), [{ namespace: 'default', pods: 3 }, { namespace: 'kube-system', pods: 2 }]);
    const only = filterNamespace(st, 'kube-system');
    assert.deepEqual(only.pods.map((p) => p.name), ['kube-system/coredns-1', 'kube-system/kube-proxy-x']);
    assert.equal(only.nodes.length, 2);
    assert.equal(only.cluster?.namespace, 'kube-system');
    assert.equal(filterNamespace(st, undefined), st);
  });
});
