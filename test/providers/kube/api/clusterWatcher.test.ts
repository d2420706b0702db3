import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterWatcher } from '../../../../src/providers/kube/api/clusterWatcher';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn, type StandInOptions } from '../../../support/kubeApiStandIn/server';
import { EventLog, eventually } from './eventLog';
import { nodeObject, podObject } from './fixtures';

/** Nodes, Pods, Services and EndpointSlices: one watch each. */
const WATCHES = 4;

describe('ClusterWatcher list + watch against the kube-apiserver stand-in', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let watcher: ClusterWatcher | undefined;

  async function setUp(opts: StandInOptions = {}): Promise<void> {
    standIn = await KubeApiStandIn.start(opts);
    standIn.upsert(nodeObject('node-a', '172.18.0.2', '10.244.1.0/24'));
    standIn.upsert(nodeObject('node-b', '172.18.0.3', '10.244.2.0/24'));
    standIn.upsert(podObject('default', 'pod-a', 'node-a', '10.244.1.2'));
    standIn.upsert(podObject('default', 'pod-b', 'node-a', '10.244.1.3'));
    standIn.upsert(podObject('shop', 'cart', 'node-b', '10.244.2.2'));
  }

  function startWatcher(namespace?: string): { w: ClusterWatcher; log: EventLog } {
    const target = loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) });
    watcher = new ClusterWatcher(target, { namespace, backoff: { initialMs: 50, maxMs: 400 } });
    return { w: watcher, log: new EventLog(watcher) };
  }

  const podNames = (w: ClusterWatcher): string[] => w.pods().map((p) => `${p.namespace}/${p.name}`);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-watch-'));
  });

  afterEach(async () => {
    watcher?.stop();
    watcher = undefined;
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('start() resolves after one list of nodes and pods, then watches both without polling', async () => {
    await setUp();
    const { w } = startWatcher();
    await w.start();
    assert.deepEqual(w.nodes().map((n) => `${n.name} ${n.internalIP} ${n.podCIDRs.join()}`), ['node-a 172.18.0.2 10.244.1.0/24', 'node-b 172.18.0.3 10.244.2.0/24']);
    assert.deepEqual(podNames(w), ['default/pod-a', 'default/pod-b', 'shop/cart']);
    await eventually(() => standIn.openWatches() === WATCHES, 'all four watches open');
    await new Promise((r) => setTimeout(r, 300)); // give a polling implementation the chance to show itself
    assert.equal(standIn.count('list', '/api/v1/pods'), 1);
    assert.equal(standIn.count('list', '/api/v1/nodes'), 1);
    assert.equal(standIn.count('watch', '/api/v1/pods'), 1);
    assert.equal(standIn.count('watch', '/api/v1/nodes'), 1);
  });

  it('ADDED, MODIFIED and DELETED reach onChange in order and pods() follows them', async () => {
    await setUp();
    const { w, log } = startWatcher();
    await w.start();
    standIn.upsert(podObject('default', 'pod-c', 'node-b', '10.244.2.3'));
    standIn.upsert(podObject('default', 'pod-c', 'node-b', '10.244.2.3', { tier: 'web' }));
    standIn.remove('Pod', 'default', 'pod-a');
    standIn.upsert(nodeObject('node-c', '172.18.0.4', '10.244.3.0/24'));
    await log.until((l) => l.changes.length >= 4);
    assert.deepEqual(log.changes.filter((c) => c.startsWith('pod')), ['pod added default/pod-c', 'pod updated default/pod-c', 'pod deleted default/pod-a']);
    assert.deepEqual(log.changes.filter((c) => c.startsWith('node')), ['node added node-c']);
    assert.deepEqual(podNames(w), ['default/pod-b', 'default/pod-c', 'shop/cart']);
    assert.deepEqual(w.pods().find((p) => p.name === 'pod-c')?.labels, { tier: 'web' });
  });

  it('a namespaced watcher sees only its namespace', async () => {
    await setUp();
    const { w, log } = startWatcher('shop');
    await w.start();
    standIn.upsert(podObject('default', 'elsewhere', 'node-a', '10.244.1.9'));
    standIn.upsert(podObject('shop', 'till', 'node-a', '10.244.1.8'));
    await log.until((l) => l.changes.includes('pod added shop/till'));
    assert.deepEqual(podNames(w), ['shop/cart', 'shop/till']);
    assert.ok(!log.changes.some((c) => c.includes('elsewhere')));
  });

  it('after dropWatches() it reconnects from the last resourceVersion: changes made meanwhile arrive once, no duplicates, no relist', async () => {
    await setUp();
    const { w, log } = startWatcher();
    await w.start();
    standIn.upsert(podObject('default', 'pod-c', 'node-b', '10.244.2.3'));
    await log.until((l) => l.changes.length === 1);
    await eventually(() => standIn.openWatches() === WATCHES, 'all four watches open');
    assert.equal(standIn.dropWatches(), WATCHES);
    standIn.upsert(podObject('default', 'pod-d', 'node-b', '10.244.2.4'));
    standIn.upsert(podObject('default', 'pod-c', 'node-b', '10.244.2.3', { v: '2' }));
    await log.until((l) => l.changes.length >= 3);
    await eventually(() => standIn.openWatches() === WATCHES, 'all four watches reopened');
    standIn.upsert(podObject('default', 'pod-e', 'node-a', '10.244.1.4'));
    await log.until((l) => l.changes.length >= 4);
    assert.deepEqual(log.changes, ['pod added default/pod-c', 'pod added default/pod-d', 'pod updated default/pod-c', 'pod added default/pod-e']);
    assert.equal(standIn.count('list', '/api/v1/pods'), 1, 'no relist after a plain reconnect');
    assert.ok(standIn.count('watch', '/api/v1/pods') >= 2);
    assert.ok(log.troubles.length >= 1, 'the broken watch was reported');
    assert.deepEqual(podNames(w), ['default/pod-a', 'default/pod-b', 'default/pod-c', 'default/pod-d', 'default/pod-e', 'shop/cart']);
  });

  for (const goneAs of ['event', 'http'] as const) {
    it(`after compaction and a drop (410 Gone as ${goneAs === 'event' ? 'an ERROR event' : 'HTTP 410'}) it relists once, reports the differences and one resync: no ghosts`, async () => {
      await setUp({ goneAs });
      const { w, log } = startWatcher();
      await w.start();
      await eventually(() => standIn.openWatches() === WATCHES, 'all four watches open');
      standIn.dropWatches();
      standIn.remove('Pod', 'default', 'pod-b');
      standIn.upsert(podObject('default', 'pod-c', 'node-b', '10.244.2.3'));
      standIn.upsert(podObject('default', 'pod-a', 'node-a', '10.244.1.2', { v: '2' }));
      standIn.compact();
      await log.until((l) => l.changes.filter((c) => c === 'resync').length >= WATCHES);
      const podChanges = log.changes.filter((c) => c.startsWith('pod')).sort();
      assert.deepEqual(podChanges, ['pod added default/pod-c', 'pod deleted default/pod-b', 'pod updated default/pod-a']);
      assert.equal(log.changes.filter((c) => c.startsWith('node')).length, 0, 'unchanged nodes are not re-reported');
      assert.equal(standIn.count('list', '/api/v1/pods'), 2, 'exactly one relist of pods');
      assert.deepEqual(podNames(w), ['default/pod-a', 'default/pod-c', 'shop/cart']);
      assert.equal(w.pods().find((p) => p.name === 'pod-a')?.labels.v, '2');
      standIn.upsert(podObject('default', 'pod-f', 'node-a', '10.244.1.6'));
      await log.until((l) => l.changes.includes('pod added default/pod-f'));
    });
  }

  it('a bookmark advances the resourceVersion, so a later reconnect after compaction needs no relist', async () => {
    await setUp();
    const { w, log } = startWatcher();
    await w.start();
    const before = w.resourceVersions().pods;
    standIn.upsert(nodeObject('node-c', '172.18.0.4', '10.244.3.0/24')); // moves the global RV; the pod watch sees no event
    await log.until((l) => l.changes.includes('node added node-c'));
    assert.equal(w.resourceVersions().pods, before);
    await eventually(() => standIn.openWatches() === WATCHES, 'all four watches open');
    standIn.bookmark();
    await eventually(() => w.resourceVersions().pods === String(standIn.store.currentRV), 'the pod watch took the bookmark');
    standIn.compact();
    standIn.dropWatches();
    standIn.upsert(podObject('default', 'pod-g', 'node-a', '10.244.1.7'));
    await log.until((l) => l.changes.includes('pod added default/pod-g'));
    assert.equal(standIn.count('list', '/api/v1/pods'), 1, 'no relist');
    assert.ok(!log.changes.includes('resync'));
  });

  it('a watch refused after a drop is reported as trouble and retried with growing delays until it is allowed again', async () => {
    await setUp();
    const { w, log } = startWatcher();
    await w.start();
    await eventually(() => standIn.openWatches() === WATCHES, 'all four watches open');
    standIn.forbid('watch', 'pods');
    standIn.dropWatches();
    await log.until((l) => l.troubles.some((t) => t.code === 'FORBIDDEN'));
    assert.match(log.troubles.find((t) => t.code === 'FORBIDDEN')?.message ?? '', /^cannot watch pods at cluster scope/);
    await new Promise((r) => setTimeout(r, 1000));
    const attempts = standIn.count('watch', '/api/v1/pods');
    assert.ok(attempts >= 3 && attempts <= 12, `backoff, not a busy loop: ${attempts} watch attempts in about 1 s`);
    standIn.access.allowAll();
    standIn.upsert(podObject('default', 'pod-h', 'node-a', '10.244.1.8'));
    await log.until((l) => l.changes.includes('pod added default/pod-h'));
    assert.equal(standIn.count('list', '/api/v1/pods'), 1);
  });

  it('a watch the stand-in ends on its timeout resumes from its resourceVersion without trouble, relist or lost events', async () => {
    await setUp({ watchTimeoutSeconds: 1 });
    const { w, log } = startWatcher();
    await w.start();
    await eventually(() => standIn.count('watch', '/api/v1/pods') >= 2, 'the pod watch was renewed after the stand-in ended it');
    standIn.upsert(podObject('default', 'pod-i', 'node-a', '10.244.1.9'));
    await log.until((l) => l.changes.includes('pod added default/pod-i'));
    assert.deepEqual(log.troubles.map((t) => t.message), []);
    assert.equal(standIn.count('list', '/api/v1/pods'), 1);
  });

  it('a forbidden cluster-wide list of pods rejects start() with the verb, resource and -n hint', async () => {
    await setUp();
    standIn.forbid('list', 'pods');
    const { w } = startWatcher();
    await assert.rejects(w.start(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FORBIDDEN');
      assert.match(e.message, /^cannot list pods at cluster scope/);
      assert.match(e.message, /try -n NAMESPACE/);
      assert.match(e.message, /User "stand-in-user" cannot list resource "pods"/);
      return true;
    });
  });

  it('when nodes may not be listed, a namespaced watcher derives name-only nodes from its pods and says why', async () => {
    await setUp();
    standIn.forbid('list', 'nodes');
    standIn.forbid('list', 'pods');
    const { w, log } = startWatcher('shop');
    await w.start();
    assert.deepEqual(w.nodes().map((n) => [n.name, n.internalIP, n.ready]), [['node-b', '', false]]);
    assert.match(log.troubles[0]?.message ?? '', /^cannot list nodes at cluster scope.*names of nodes that run Pods/);
    assert.equal(w.warnings().length, 1);
    standIn.upsert(podObject('shop', 'till', 'node-a', '10.244.1.8'));
    await log.until((l) => l.changes.includes('node added node-a'));
    assert.deepEqual(w.nodes().map((n) => n.name), ['node-a', 'node-b']);
  });
});
