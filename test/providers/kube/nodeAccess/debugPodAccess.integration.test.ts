import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import type { KubeNode, KubePod } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { findLeftovers } from '../../../../src/providers/kube/nodeAccess/cleanup';
import { DebugPodAccess } from '../../../../src/providers/kube/nodeAccess/debugPodAccess';
import { DEBUG_POD_LABELS, debugPodManifest, debugPodName } from '../../../../src/providers/kube/nodeAccess/debugPodManifest';
import { dockerEngineForTest, type DockerEngine } from '../../../support/docker/engine';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { addTestbedPods, createTestbed, destroyTestbed, removeTestbedPod, type Testbed } from '../../../support/testbed/testbed';
import { nodeObject, podObject } from '../../../support/testbedCluster';
import { EXITING_IMAGE, startDebugPodKubelet, type DebugPodKubelet } from './debugPodKubelet';

const CLUSTER = 'podnet-h3';
const NS = 'podnet-debug';
const UNPULLABLE = 'registry.invalid/podnet/never:1';

/** Every address in an `ip -j addr show` output. */
function addresses(json: string): string[] {
  return (JSON.parse(json) as { addr_info?: { local: string }[] }[]).flatMap((l) => (l.addr_info ?? []).map((a) => a.local));
}

describe('DebugPodAccess on the Docker test bed, through the kube-apiserver stand-in (debug Pods as real containers)', function () {
  this.timeout(300_000);
  let engine: DockerEngine;
  let bed: Testbed;
  let standIn: KubeApiStandIn;
  let kubelet: DebugPodKubelet;
  let api: KubeApi;
  let dir: string;
  let nodes: KubeNode[];
  const opened: DebugPodAccess[] = [];

  const debugPodsLeft = () => standIn.store.list({ kind: 'Pod', labelSelector: 'podnet.dev/role=node-debug' }).items;
  const podNamed = async (name: string): Promise<KubePod> => {
    const p = await api.readPod('default', name);
    assert.ok(p, `the stand-in serves Pod default/${name}`);
    return p;
  };
  const start = async (image = bed.image, timeoutMs?: number): Promise<DebugPodAccess> => {
    const access = await DebugPodAccess.start(api, nodes, { image, namespace: NS, timeoutMs });
    opened.push(access);
    return access;
  };

  before(async function () {
    engine = await dockerEngineForTest(this);
    bed = await createTestbed(engine, {
      cluster: CLUSTER,
      workers: 1,
      cni: 'ptp',
      pods: [
        { namespace: 'default', name: 'web-a', node: `${CLUSTER}-control-plane` },
        { namespace: 'default', name: 'web-b', node: `${CLUSTER}-worker` },
        { namespace: 'default', name: 'host-b', node: `${CLUSTER}-worker`, hostNetwork: true },
      ],
    });
    // Real kind nodes (Debian) have /var/run as an ABSOLUTE symlink to /run; make the worker so, since followed through
    // /proc/1/root such a link resolves against the debug Pod's own root instead of the node's.
    const worker = bed.nodes[1].container;
    await engine.dockerOk(['exec', worker, 'sh', '-c', 'rm /var/run && ln -s /run /var/run && readlink /var/run']);
    standIn = await KubeApiStandIn.start();
    for (const n of bed.nodes) standIn.upsert(nodeObject(n));
    for (const p of bed.pods) standIn.upsert(podObject(p));
    kubelet = startDebugPodKubelet(engine, bed, standIn);
    dir = mkdtempSync(join(tmpdir(), 'podnet-debugpod-'));
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
    nodes = await api.listNodes();
    assert.equal(nodes.length, 2);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((a) => a.close()));
    await kubelet?.settled();
  });

  after(async () => {
    kubelet?.stop();
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (engine && bed) await destroyTestbed(engine, bed);
  });

  it('creates one debug Pod per node through the HTTP API, exactly the manifest shown to the user, and waits until they run', async () => {
    const progress: string[] = [];
    const access = await DebugPodAccess.start(api, nodes, { image: bed.image, namespace: NS, onProgress: (m) => progress.push(m) });
    opened.push(access);
    assert.equal(access.method, 'debugPod');
    assert.deepEqual(access.created().sort(), nodes.map((n) => `${NS}/${debugPodName(n.name)}`).sort());
    for (const node of nodes) {
      const stored = standIn.store.get('Pod', NS, debugPodName(node.name));
      assert.ok(stored, `debug Pod for ${node.name} exists`);
      const shown = debugPodManifest(node, { image: bed.image, namespace: NS }) as { metadata: Record<string, unknown>; spec: unknown };
      assert.deepEqual(stored.spec, shown.spec, 'the spec the API received is the one shown');
      assert.deepEqual(stored.metadata.labels, { ...DEBUG_POD_LABELS });
      assert.deepEqual(stored.metadata.annotations, shown.metadata.annotations);
      assert.equal((stored.status as { phase: string }).phase, 'Running');
    }
    assert.equal(progress.filter((m) => /is running on node/.test(m)).length, 2, progress.join('\n'));
  });

  it('runs node commands in the node\'s network namespace (its InternalIP is there) via nsenter -t 1 -n', async () => {
    const access = await start();
    for (const node of nodes) {
      const r = await access.execNode(node, ['ip', '-j', 'addr', 'show']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(addresses(r.stdout).includes(node.internalIP), `${node.name} has ${node.internalIP}: ${r.stdout}`);
    }
    const last = standIn.execSessions.at(-1);
    assert.deepEqual(last?.command.slice(0, 4), ['nsenter', '-t', '1', '-n']);
    assert.equal(last?.container, 'debug');
  });

  it('enters each Pod\'s own network namespace although the debug Pod cannot see the node\'s /run/netns itself', async () => {
    const access = await start();
    // The premise: the debug Pod's own mount namespace has no Pod namespaces in it (unlike the node's).
    const own = await engine.docker(['exec', kubelet.containerOf(NS, debugPodName(nodes[1].name)), 'ls', '/run/netns']);
    assert.notEqual(own.code, 0, `the debug container should not see the node's /run/netns: ${own.stdout}`);
    for (const name of ['web-a', 'web-b']) {
      const pod = await podNamed(name);
      const node = nodes.find((n) => n.name === pod.node);
      assert.ok(node);
      const r = await access.execPod(pod, node, ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(addresses(r.stdout).filter((a) => !a.includes(':')), pod.podIPs, `${name} has its own IP on eth0`);
      const cmd = standIn.execSessions.at(-1)?.command ?? [];
      assert.match(cmd[1] ?? '', /^--net=\/proc\/1\/root\/run\/netns\/cni-/, 'the path was resolved on the node, then opened via /proc/1/root');
    }
  });

  it('runs a hostNetwork Pod\'s commands in its node\'s namespace', async () => {
    const access = await start();
    const pod = await podNamed('host-b');
    assert.equal(pod.hostNetwork, true);
    const r = await access.execPod(pod, nodes[1], ['ip', '-j', 'addr', 'show']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(addresses(r.stdout).includes(nodes[1].internalIP));
  });

  it('looks a Pod\'s namespace up again when the cached one is gone (its sandbox was re-created, same Pod uid)', async () => {
    const access = await start();
    const before = await podNamed('web-b');
    const first = await access.execPod(before, nodes[1], ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
    assert.equal(first.code, 0, first.stderr);
    const oldPath = standIn.execSessions.at(-1)?.command[1];
    await removeTestbedPod(engine, bed, before);
    const [fresh] = await addTestbedPods(engine, bed, [{ namespace: 'default', name: 'web-b', node: nodes[1].name }]);
    const stored = standIn.store.get('Pod', 'default', 'web-b');
    assert.ok(stored);
    standIn.upsert({ ...stored, kind: 'Pod', status: { ...(stored.status as object), podIP: fresh.ip, podIPs: [{ ip: fresh.ip }] } });
    const after = await podNamed('web-b');
    assert.equal(after.uid, before.uid, 'the same Pod, only its sandbox is new');
    const r = await access.execPod(after, nodes[1], ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(addresses(r.stdout).includes(fresh.ip), `the new sandbox's ${fresh.ip} is seen: ${r.stdout}`);
    assert.notEqual(standIn.execSessions.at(-1)?.command[1], oldPath, 'the command ran in the new namespace');
  });

  it('close() deletes every debug Pod and its container; later commands are refused with a sentence', async () => {
    const access = await start();
    const containers = nodes.map((n) => kubelet.containerOf(NS, debugPodName(n.name)));
    await access.close();
    await access.close(); // a second close does nothing more
    assert.deepEqual(debugPodsLeft(), []);
    await kubelet.settled();
    const ps = await engine.dockerOk(['ps', '-a', '--format', '{{.Names}}']);
    for (const c of containers) assert.ok(!ps.stdout.split('\n').includes(c), `${c} was removed`);
    await assert.rejects(access.execNode(nodes[0], ['true']), (e: unknown) => e instanceof KubeAccessError && e.code === 'NO_NODE_ACCESS');
  });

  it('fails with one sentence naming the image and node when a debug Pod never runs, leaving no debug Pod behind', async () => {
    await assert.rejects(start(UNPULLABLE, 1500), (e: unknown) => {
      assert.ok(e instanceof KubeAccessError);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, new RegExp(`still Pending after 2 s: check that node ${CLUSTER}-(control-plane|worker) can pull image ${UNPULLABLE.replace(/[./]/g, '\\$&')}`));
      return true;
    });
    assert.deepEqual(debugPodsLeft(), []);
  });

  it('fails at once, naming the image and namespace, when a debug Pod ends before it runs', async () => {
    await assert.rejects(start(EXITING_IMAGE), (e: unknown) => {
      assert.ok(e instanceof KubeAccessError);
      assert.match(e.message, new RegExp(`ended \\(Failed\\) before it ran: check that image ${EXITING_IMAGE.replace(/[./]/g, '\\$&')} has sleep and nsenter and that privileged Pods are allowed in namespace ${NS}`));
      return true;
    });
    assert.deepEqual(debugPodsLeft(), []);
  });

  it('passes on the API\'s refusal to create the Pods (RBAC, Pod Security) as one sentence, creating nothing', async () => {
    standIn.forbid('create', 'pods', NS);
    try {
      await assert.rejects(start(), (e: unknown) => {
        assert.ok(e instanceof KubeAccessError);
        assert.equal(e.code, 'FORBIDDEN');
        assert.match(e.message, /^Creating debug Pod podnet-debug\/podnet-debug-podnet-h3-\S+ on node \S+ failed: .*forbidden/);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
    } finally {
      standIn.access.allowAll();
    }
    assert.deepEqual(debugPodsLeft(), []);
  });

  it('refuses commands on a node that has no debug Pod (it joined later) with a sentence saying to reconnect', async () => {
    const access = await DebugPodAccess.start(api, [nodes[0]], { image: bed.image, namespace: NS });
    opened.push(access);
    await assert.rejects(access.execNode(nodes[1], ['ip', 'route']), /^KubeAccessError: Node podnet-h3-worker has no debug Pod .*reconnect/);
  });

  it('replaces a leftover debug Pod of an earlier session, and refuses to touch a Pod of that name PodNet did not create', async () => {
    const node = nodes[0];
    const name = debugPodName(node.name);
    const leftover = debugPodManifest(node, { image: bed.image, namespace: NS }) as { metadata: { name: string } };
    standIn.upsert({ ...(leftover as unknown as { metadata: { name: string } }), kind: 'Pod' });
    const oldUid = standIn.store.get('Pod', NS, name)?.metadata.uid;
    await kubelet.settled();
    const access = await start();
    assert.notEqual(standIn.store.get('Pod', NS, name)?.metadata.uid, oldUid, 'the leftover was replaced by a new Pod');
    const r = await access.execNode(node, ['ip', '-j', 'addr', 'show']);
    assert.ok(addresses(r.stdout).includes(node.internalIP));
    await access.close();

    standIn.upsert({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace: NS, name, labels: { app: 'someone-elses' } }, spec: { containers: [] } });
    await assert.rejects(start(), /A Pod podnet-debug\/podnet-debug-podnet-h3-control-plane that PodNet did not create already exists/);
    assert.equal(standIn.store.get('Pod', NS, name)?.metadata.labels?.app, 'someone-elses', 'the foreign Pod is untouched');
    assert.deepEqual(await findLeftovers(api), [], 'no debug Pod was left on the other node either');
    standIn.remove('Pod', NS, name);
  });
});
