import { strict as assert } from 'node:assert';
import { LabError } from '../../../src/providers/embedded/control/labError';
import type { ClusterChange } from '../../../src/providers/kube/clusterTypes';
import { KubeProvider } from '../../../src/providers/kube/kubeProvider';
import { collectSnapshot } from '../../../src/snapshot/collect';
import { traceLive } from '../../../src/tracer/runTrace';
import type { Testbed } from '../../support/testbed/testbed';
import { podObject, startTestbedKube, stopTestbedKube, type TestbedCluster, type TestbedKube } from '../../support/testbedCluster';

const BED = 'podnet-h4br';

describe('KubeProvider in-process on a cbr0 (bridge) Docker test bed behind the kube-apiserver stand-in', function () {
  this.timeout(300_000);
  let t: TestbedKube | undefined;
  let bed: Testbed;
  let cluster: TestbedCluster;
  let kube: KubeProvider;

  before(async function () {
    t = await startTestbedKube(this, {
      cluster: BED, workers: 1, cni: 'bridge', pods: [
        { namespace: 'default', name: 'pod-a', node: `${BED}-control-plane` },
        { namespace: 'default', name: 'pod-b', node: `${BED}-control-plane` },
        { namespace: 'web', name: 'pod-c', node: `${BED}-worker` },
      ],
    });
    ({ bed, cluster, kube } = t);
  });
  after(() => stopTestbedKube(t));

  it('status: nodes read as bridge (cbr0 with its gateway address), Pods as NAMESPACE/NAME, no wire', async () => {
    const st = await kube.status();
    assert.equal(st.wireBridge, '');
    assert.equal(st.cluster?.access, 'container');
    assert.deepEqual(st.nodes.map((n) => [n.name, n.cni, n.bridge, n.bridgeIP]), bed.nodes.map((n) => [n.name, 'bridge', 'cbr0', n.podCIDR.replace(/0\/24$/, '1')]));
    assert.deepEqual(st.pods.map((p) => [p.name, p.ip]), [['default/pod-a', bed.pods[0].ip], ['default/pod-b', bed.pods[1].ip], ['web/pod-c', bed.pods[2].ip]]);
  });

  it('snapshot shows cbr0 on each node with the Pods\' host veths as its ports', async () => {
    const snap = await collectSnapshot(kube);
    const cp = snap.namespaces.find((n) => n.id === `node/${BED}-control-plane`)!;
    const ports = cp.links.filter((l) => l.master === 'cbr0');
    assert.deepEqual(ports.map((l) => l.peer?.namespace).sort(), ['pod/default/pod-a', 'pod/default/pod-b']);
    assert.ok(cp.addresses.some((a) => a.ifname === 'cbr0' && a.address === '10.244.0.1'));
  });

  it('a same-node trace crosses cbr0 and a cross-node one routes, both verified; a bare Pod name finds its namespace', async () => {
    const same = await traceLive(kube, { from: 'default/pod-a', to: 'default/pod-b' }, { verify: true });
    assert.equal(same.result.disposition, 'DELIVERED');
    assert.ok(same.result.hops.some((h) => h.decision === 'bridge-forward' || h.decision === 'bridge-flood'));
    assert.ok(same.result.verification?.matches, same.result.verification?.differences.join('; '));
    const cross = await traceLive(kube, { from: 'default/pod-a', to: 'pod-c' }, { verify: true });
    assert.equal(cross.result.disposition, 'DELIVERED');
    assert.equal(cross.result.verification?.natVerdict, 'no-nat');
    assert.ok(cross.result.verification?.matches, cross.result.verification?.differences.join('; '));
  });

  it('refuses the wire and the Docker host, and any change to a Pod PodNet did not make: a cluster is read-only', async () => {
    await assert.rejects(kube.exec({ kind: 'wire' }, ['true']), (e: unknown) => e instanceof LabError && e.code === 'BAD_REQUEST' && /a cluster has no wire namespace/.test(e.message));
    await assert.rejects(kube.exec({ kind: 'dockerHost' }, ['true']), /a cluster has no Docker-style host/);
    await assert.rejects(kube.addPod({ name: 'pod-a', node: `${BED}-worker` }), (e: unknown) => e instanceof LabError && e.code === 'CONFLICT' && /already exists/.test(e.message));
    await assert.rejects(kube.addPod({ name: 'x', node: 'no-such-node' }), (e: unknown) => e instanceof LabError && e.code === 'NOT_FOUND');
    await assert.rejects(kube.deletePod('default/pod-a'), /read-only/);
    await assert.rejects(kube.exec({ kind: 'pod', pod: 'default/nope' }, ['true']), (e: unknown) => e instanceof LabError && e.code === 'NOT_FOUND' && /no Pod default\/nope/.test(e.message));
  });

  it('passes the watcher\'s typed changes through onChange', async () => {
    const seen: ClusterChange[] = [];
    kube.onChange((c) => seen.push(c));
    cluster.standIn.upsert({ ...podObject({ namespace: 'web', name: 'late', uid: 'late-1', node: `${BED}-worker`, ip: '10.244.1.250', containers: [] }), kind: 'Pod' });
    for (let i = 0; i < 100 && !seen.some((c) => c.kind === 'pod' && c.pod.name === 'late'); i++) await new Promise((r) => setTimeout(r, 50));
    const added = seen.find((c) => c.kind === 'pod' && c.pod.name === 'late');
    assert.ok(added && added.kind === 'pod');
    assert.equal(added.change, 'added');
    assert.deepEqual(added.pod.podIPs, ['10.244.1.250']);
    assert.ok((await kube.status()).pods.some((p) => p.name === 'web/late'));
  });
});
