import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBUG_POD_SELECTOR } from '../../../src/providers/kube/nodeAccess/debugPodManifest';
import type { Snapshot } from '../../../src/snapshot/types';
import type { TraceResult } from '../../../src/tracer/types';
import { runCli, type CliResult } from '../../support/cli';
import { dockerEngineForTest, type DockerEngine } from '../../support/docker/engine';
import { createTestbed, destroyTestbed, type Testbed } from '../../support/testbed/testbed';
import { startTestbedCluster, type TestbedCluster } from '../../support/testbedCluster';
import { startDebugPodKubelet, type DebugPodKubelet } from '../../providers/kube/nodeAccess/debugPodKubelet';

const BED = 'podnet-h4dbg';

describe('podnet --debug-pods on "remote" nodes (non-kind providerIDs) of a Docker test bed behind the kube-apiserver stand-in', function () {
  this.timeout(300_000);
  let engine: DockerEngine;
  let bed: Testbed;
  let cluster: TestbedCluster;
  let kubelet: DebugPodKubelet;
  let dir: string;
  const podnet = (args: string[]): Promise<CliResult> => runCli('root', [...cluster.args, ...args], { timeoutMs: 180_000 });
  const debugPodsLeft = () => cluster.standIn.store.list({ kind: 'Pod', labelSelector: DEBUG_POD_SELECTOR }).items.length;

  before(async function () {
    engine = await dockerEngineForTest(this);
    await destroyTestbed(engine, BED);
    bed = await createTestbed(engine, {
      cluster: BED, workers: 1, cni: 'ptp', pods: [
        { namespace: 'default', name: 'pod-a', node: `${BED}-control-plane` },
        { namespace: 'default', name: 'pod-c', node: `${BED}-worker` },
      ],
    });
    cluster = await startTestbedCluster(engine, bed, { providerID: (n) => `gce://project/zone/${n.name}` });
    kubelet = startDebugPodKubelet(engine, bed, cluster.standIn);
    dir = mkdtempSync(join(tmpdir(), 'podnet-debugpods-'));
  });
  after(async () => {
    kubelet?.stop();
    await kubelet?.settled().catch((e: unknown) => console.error(e));
    await cluster?.close();
    if (bed) await destroyTestbed(engine, bed);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without a terminal and without --yes: prints the exact manifests, creates nothing, exits 2', async () => {
    const res = await podnet(['snapshot', `--debug-pods=${bed.image}`]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /kind: Pod/);
    assert.match(res.stderr, new RegExp(`image: ${bed.image.replace(/[.:]/g, '\\$&')}`));
    assert.match(res.stderr, /app\.kubernetes\.io\/managed-by: podnet-lab/);
    assert.match(res.stderr, /add --yes/);
    assert.equal(debugPodsLeft(), 0);
  });

  it('with --yes: the snapshot reads every node and Pod through debug Pods, records access debugPod, and deletes them after', async () => {
    const file = join(dir, 'snap.json');
    const res = await podnet(['snapshot', `--debug-pods=${bed.image}`, '--yes', '-o', file]);
    assert.equal(res.code, 0, res.stderr);
    const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    assert.equal(snap.source.access, 'debugPod');
    assert.deepEqual(snap.namespaces.map((n) => n.id), [`node/${BED}-control-plane`, `node/${BED}-worker`, 'pod/default/pod-a', 'pod/default/pod-c']);
    assert.equal(snap.namespaces.find((n) => n.id === 'pod/default/pod-a')?.links.find((l) => l.name === 'eth0')?.peer?.namespace, `node/${BED}-control-plane`);
    assert.equal(debugPodsLeft(), 0, 'the debug Pods were deleted');
  });

  it('with --yes: a cross-node trace is verified through the debug Pods', async () => {
    const res = await podnet(['trace', 'pod-a', 'pod-c', '--json', `--debug-pods=${bed.image}`, '--yes']);
    const r = JSON.parse(res.stdout) as TraceResult;
    assert.equal(res.code, 0, `${r.verification?.differences.join('; ')} ${r.warnings.join('; ')}`);
    assert.equal(r.verification?.natVerdict, 'no-nat');
    assert.ok(r.verification?.matches, r.verification?.differences.join('; '));
    assert.equal(debugPodsLeft(), 0);
  });
});
