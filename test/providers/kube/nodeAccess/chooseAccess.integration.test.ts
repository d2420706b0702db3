import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import type { KubeNode, NodeAccess } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { chooseNodeAccess, probeRuntime } from '../../../../src/providers/kube/nodeAccess/chooseAccess';
import { debugPodManifest } from '../../../../src/providers/kube/nodeAccess/debugPodManifest';
import { dockerEngineForTest, type DockerEngine } from '../../../support/docker/engine';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { createTestbed, destroyTestbed, type Testbed } from '../../../support/testbed/testbed';
import { nodeObject } from '../../../support/testbedCluster';
import { startDebugPodKubelet, type DebugPodKubelet } from './debugPodKubelet';

const CLUSTER = 'podnet-h3c';
const STOPPED = 'podnet-h3c-stopped';

function addresses(json: string): string[] {
  return (JSON.parse(json) as { addr_info?: { local: string }[] }[]).flatMap((l) => (l.addr_info ?? []).map((a) => a.local));
}

describe('chooseNodeAccess on the Docker test bed (real docker inspect) and the kube-apiserver stand-in', function () {
  this.timeout(300_000);
  let engine: DockerEngine;
  let bed: Testbed;
  let standIn: KubeApiStandIn;
  let kubelet: DebugPodKubelet;
  let api: KubeApi;
  let dir: string;
  let nodes: KubeNode[];
  const opened: NodeAccess[] = [];
  const choose = async (...args: Parameters<typeof chooseNodeAccess>): Promise<NodeAccess> => {
    const access = await chooseNodeAccess(...args);
    opened.push(access);
    return access;
  };
  const asCloud = (ns: KubeNode[]): KubeNode[] => ns.map((n, i) => ({ ...n, providerID: `aws:///eu-west-1a/i-000${i}` }));

  before(async function () {
    engine = await dockerEngineForTest(this);
    bed = await createTestbed(engine, { cluster: CLUSTER, workers: 1, cni: 'bridge', pods: [] });
    await engine.dockerOk(['create', '--name', STOPPED, bed.image, 'sleep', '1']);
    standIn = await KubeApiStandIn.start();
    for (const n of bed.nodes) standIn.upsert(nodeObject(n));
    kubelet = startDebugPodKubelet(engine, bed, standIn);
    dir = mkdtempSync(join(tmpdir(), 'podnet-choose-'));
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
    nodes = await api.listNodes();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((a) => a.close()));
    await kubelet?.settled();
  });

  after(async () => {
    kubelet?.stop();
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (engine) await engine.docker(['rm', '-f', STOPPED]);
    if (engine && bed) await destroyTestbed(engine, bed);
  });

  it('probes all node containers with one inspect: running, stopped and missing ones told apart', async () => {
    const names = [...bed.nodes.map((n) => n.container), STOPPED, 'podnet-h3c-ghost'];
    const probe = await probeRuntime('docker', names, engine.env);
    assert.deepEqual(probe, { runtime: 'docker', installed: true, running: bed.nodes.map((n) => n.container), stopped: [STOPPED] });
  });

  it('uses docker exec into the node containers when every node is a kind container running here', async () => {
    const access = await choose(nodes, { api, env: engine.env, debugPods: { image: bed.image, namespace: 'default' } });
    assert.equal(access.method, 'container');
    assert.match(access.description, /docker exec into the node containers \(kind\)/);
    // The tests run as root on the engine's own machine: every node container is entered directly.
    assert.match(access.description, /\(entered directly with nsenter: same machine, root\)$/);
    for (const node of nodes) {
      const r = await access.execNode(node, ['ip', '-j', 'addr', 'show']);
      assert.ok(addresses(r.stdout).includes(node.internalIP), r.stdout + r.stderr);
    }
    assert.equal(standIn.store.list({ kind: 'Pod' }).items.length, 0, 'no debug Pod is created when containers will do');
  });

  it('says API only, naming the missing containers, for kind nodes this machine does not run', async () => {
    const elsewhere = nodes.map((n) => ({ ...n, providerID: `kind://docker/other/${n.name}-elsewhere` }));
    const access = await choose(elsewhere, { api, env: engine.env });
    assert.equal(access.method, 'none');
    assert.match(access.description, /^API only: the node containers .*-elsewhere do not exist in this machine's docker \(the cluster runs elsewhere\); use --debug-pods/);
    await assert.rejects(access.execNode(elsewhere[0], ['ip', 'route']), (e: unknown) => e instanceof KubeAccessError && e.code === 'NO_NODE_ACCESS');
  });

  it('says which node container is stopped', async () => {
    const access = await choose([{ ...nodes[0], providerID: `kind://docker/${CLUSTER}/${STOPPED}` }], { api, env: engine.env });
    assert.equal(access.method, 'none');
    assert.match(access.description, new RegExp(`${STOPPED} are stopped \\(start them with docker start\\)`));
  });

  it('says docker is not installed when the CLI cannot be found, and reports an unreachable daemon as such', async () => {
    const noDocker = await choose(nodes, { api, env: { PATH: join(dir, 'empty-bin') } });
    assert.match(noDocker.description, /^API only: the nodes are kind containers but docker is not installed here/);
    const noDaemon = await choose(nodes, { api, env: { ...engine.env, DOCKER_HOST: `unix://${join(dir, 'no.sock')}` } });
    assert.match(noDaemon.description, /^API only: docker inspect failed here \(.*(Cannot connect|no\.sock).*\)/);
  });

  it('creates debug Pods for cloud nodes only with the user\'s opt-in, after showing the exact manifests', async () => {
    const cloud = asCloud(nodes);
    const none = await choose(cloud, { api, env: engine.env });
    assert.equal(none.description, 'API only: the nodes are not containers this machine runs (providerID aws:///eu-west-1a/i-0000); use --debug-pods for node details');

    const shown: string[] = [];
    const settings = { image: bed.image, namespace: 'default' };
    const access = await choose(cloud, { api, env: engine.env, debugPods: settings, confirmDebugPods: async (y) => (shown.push(y), true) });
    assert.equal(access.method, 'debugPod');
    assert.match(access.description, /^the nodes are not containers this machine runs \(providerID aws:.*\); privileged debug Pods/);
    assert.deepEqual(parseAllDocuments(shown[0]).map((d) => d.toJSON()), cloud.map((n) => debugPodManifest(n, settings)));
    const r = await access.execNode(cloud[1], ['ip', '-j', 'addr', 'show']);
    assert.ok(addresses(r.stdout).includes(cloud[1].internalIP));
    await access.close();
    assert.equal(standIn.store.list({ kind: 'Pod' }).items.length, 0);
  });

  it('creates nothing when the user declines the shown debug Pods', async () => {
    const access = await choose(asCloud(nodes), {
      api,
      debugPods: { image: bed.image, namespace: 'default' },
      confirmDebugPods: async () => false,
    });
    assert.equal(access.method, 'none');
    assert.match(access.description, /debug Pods were declined/);
    assert.equal(standIn.store.list({ kind: 'Pod' }).items.length, 0);
  });
});
