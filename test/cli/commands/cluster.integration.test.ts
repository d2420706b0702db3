import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeNode, KubePod } from '../../../src/providers/kube/clusterTypes';
import type { Snapshot } from '../../../src/snapshot/types';
import type { TraceResult } from '../../../src/tracer/types';
import { runCli, type CliResult } from '../../support/cli';
import { dockerEngineForTest, type DockerEngine } from '../../support/docker/engine';
import { createTestbed, destroyTestbed, type Testbed } from '../../support/testbed/testbed';
import { startTestbedCluster, type TestbedCluster } from '../../support/testbedCluster';

const BED = 'podnet-h4cli';

describe('podnet on a kind-shaped Docker test bed behind the kube-apiserver stand-in (ptp, 3 nodes)', function () {
  this.timeout(300_000);
  let engine: DockerEngine;
  let bed: Testbed;
  let cluster: TestbedCluster;
  let dir: string;
  const podnet = (args: string[], timeoutMs = 120_000): Promise<CliResult> => runCli('root', [...cluster.args, ...args], { timeoutMs });

  before(async function () {
    engine = await dockerEngineForTest(this);
    await destroyTestbed(engine, BED); // a crashed earlier run may have left it
    bed = await createTestbed(engine, {
      cluster: BED, workers: 2, cni: 'ptp', pods: [
        { namespace: 'default', name: 'pod-a', node: `${BED}-worker` },
        { namespace: 'default', name: 'pod-b', node: `${BED}-worker` },
        { namespace: 'default', name: 'pod-c', node: `${BED}-worker2` },
        { namespace: 'kube-system', name: 'proxy', node: `${BED}-worker`, hostNetwork: true },
      ],
    });
    cluster = await startTestbedCluster(engine, bed);
    dir = mkdtempSync(join(tmpdir(), 'podnet-cluster-it-'));
  });
  after(async () => {
    await cluster?.close();
    if (bed) await destroyTestbed(engine, bed);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('get pods -A -o json lists exactly the API\'s Pods; get nodes -o wide shows container access to every node', async () => {
    const pods = JSON.parse((await podnet(['get', 'pods', '-A', '-o', 'json'])).stdout) as KubePod[];
    assert.deepEqual(pods.map((p) => [p.namespace, p.name, p.node, p.podIPs[0]]), [...bed.pods].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)).map((p) => [p.namespace, p.name, p.node, p.ip]));
    const res = await podnet(['get', 'nodes', '-o', 'wide']);
    assert.equal(res.code, 0, res.stderr);
    const rows = res.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[4], r[5], r[6]]), bed.nodes.map((n) => [n.name, 'Ready', n.ip, n.podCIDR, 'container']));
    const nodes = JSON.parse((await podnet(['get', 'nodes', '-o', 'json'])).stdout) as KubeNode[];
    assert.deepEqual(nodes.map((n) => n.providerID), bed.nodes.map((n) => `kind://docker/${BED}/${n.name}`));
  });

  it('snapshot has every node and Pod namespace (not the hostNetwork one), veth peers node<->Pod, kind ptp /32 routes, and its source', async () => {
    const file = join(dir, 'cluster.json');
    const res = await podnet(['snapshot', '-o', file]);
    assert.equal(res.code, 0, res.stderr);
    const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    assert.deepEqual(snap.source, { provider: 'kube', lab: cluster.context, context: cluster.context, cluster: cluster.context, server: cluster.standIn.url, access: 'container' });
    assert.deepEqual(snap.namespaces.map((n) => n.id), [...bed.nodes.map((n) => `node/${n.name}`), 'pod/default/pod-a', 'pod/default/pod-b', 'pod/default/pod-c']);
    for (const p of bed.pods.filter((x) => !x.hostNetwork)) {
      const podNs = snap.namespaces.find((n) => n.id === `pod/${p.namespace}/${p.name}`)!;
      const eth0 = podNs.links.find((l) => l.name === 'eth0')!;
      assert.equal(eth0.peer?.namespace, `node/${p.node}`, `${p.name}'s eth0 pairs with a veth on its node`);
      const node = snap.namespaces.find((n) => n.id === `node/${p.node}`)!;
      const hostVeth = node.links.find((l) => l.name === eth0.peer!.ifname)!;
      assert.deepEqual(hostVeth.peer, { namespace: podNs.id, ifname: 'eth0' });
      assert.ok(node.routes.some((r) => r.dst === `${p.ip}/32` && r.dev === hostVeth.name), `${p.node} has the ptp /32 route to ${p.ip} via ${hostVeth.name}`);
      assert.ok(!node.links.some((l) => l.kind === 'bridge'), 'ptp: no bridge on the node');
    }
    const worker = snap.namespaces.find((n) => n.id === `node/${BED}-worker`)!;
    assert.ok(worker.routes.some((r) => r.dst === bed.nodes[2].podCIDR && r.gateway === bed.nodes[2].ip), 'cross-node route: the peer podCIDR via the peer node IP');
    assert.ok(!snap.namespaces.some((n) => n.kind === 'wire'), 'a cluster has no wire namespace');
    const valid = await runCli('root', ['snapshot', 'validate', file]);
    assert.equal(valid.code, 0, valid.stderr);
  });

  it('trace pod-a -> pod-c across nodes is predicted and verified by nft tracing inside the node containers, with no NAT', async () => {
    const res = await podnet(['trace', 'default/pod-a', 'pod-c', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = JSON.parse(res.stdout) as TraceResult;
    assert.equal(r.disposition, 'DELIVERED');
    assert.equal(r.request.to.name, 'default/pod-c');
    assert.ok(r.verification?.matches, `every hop observed: ${r.verification?.differences.join('; ')}`);
    assert.equal(r.verification?.natVerdict, 'no-nat');
    const crossing = r.hops.find((h) => h.rows.some((row) => row.kind === 'veth' && row.network));
    assert.equal(crossing?.observation?.observed, true, 'the packet was seen arriving at the other node');
    assert.deepEqual(r.hops.filter((h) => h.decision === 'forward').map((h) => h.where), [`${BED}-worker`, `${BED}-worker2`]);
  });

  it('traces to a node name, to a hostNetwork Pod (its node) and to a Pod IP', async () => {
    const toNode = JSON.parse((await podnet(['trace', 'default/pod-a', `${BED}-worker2`, '--json'])).stdout) as TraceResult;
    assert.equal(toNode.disposition, 'DELIVERED');
    assert.equal(toNode.hops.at(-1)?.namespace, `node/${BED}-worker2`);
    assert.ok(toNode.verification?.matches, toNode.verification?.differences.join('; '));
    const hostRes = await podnet(['trace', 'pod-c', 'kube-system/proxy', '--json']);
    assert.equal(hostRes.code, 0, hostRes.stderr);
    const toHostPod = JSON.parse(hostRes.stdout) as TraceResult;
    assert.equal(toHostPod.hops.at(-1)?.namespace, `node/${BED}-worker`, 'a hostNetwork Pod is its node');
    const podC = bed.pods.find((p) => p.name === 'pod-c')!;
    const toIp = await podnet(['trace', 'pod-b', podC.ip, '--json']);
    assert.equal(toIp.code, 0, toIp.stdout + toIp.stderr);
    assert.equal((JSON.parse(toIp.stdout) as TraceResult).hops.at(-1)?.namespace, 'pod/default/pod-c');
  });

  it('exec runs in a Pod\'s namespace and in a node\'s; with -A a bare name finds its namespace', async () => {
    const podA = bed.pods.find((p) => p.name === 'pod-a')!;
    const inPod = await podnet(['exec', 'default/pod-a', '--', 'ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
    assert.equal(inPod.code, 0, inPod.stderr);
    assert.equal((JSON.parse(inPod.stdout) as { addr_info: { local: string }[] }[])[0].addr_info[0].local, podA.ip);
    const onNode = await podnet(['exec', '--node', `${BED}-worker2`, '--', 'ip', '-j', 'route', 'show', podA.ip]);
    assert.equal(onNode.code, 0, onNode.stderr);
    const anyNs = await podnet(['-A', 'exec', 'proxy', '--', 'ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
    assert.equal(anyNs.code, 0, anyNs.stderr);
    assert.equal((JSON.parse(anyNs.stdout) as { addr_info: { local: string }[] }[])[0].addr_info[0].local, bed.nodes[1].ip, 'with -A a bare name finds kube-system/proxy, a hostNetwork Pod: its node\'s namespace');
    const fails = await podnet(['exec', 'pod-a', '--', 'ip', 'route', 'get', '999.1.1.1']);
    assert.notEqual(fails.code, 0, 'the command\'s own exit code comes back');
  });

  it('--snapshot replays the captured cluster snapshot: the same path, predicted offline', async () => {
    const file = join(dir, 'replay.json');
    assert.equal((await podnet(['snapshot', '-o', file])).code, 0);
    const res = await runCli('root', ['trace', 'default/pod-a', 'default/pod-c', '--snapshot', file, '--json']);
    assert.equal(res.code, 0, res.stderr);
    const r = JSON.parse(res.stdout) as TraceResult;
    assert.equal(r.disposition, 'DELIVERED');
    assert.equal(r.verification, undefined, 'nothing was sent');
  });

  it('where nft cannot run on a node, the trace is predicted only and says why, instead of failing', async () => {
    const node = `${BED}-worker2`;
    const nft = (await engine.dockerOk(['exec', node, 'busybox', 'which', 'nft'])).stdout.trim();
    await engine.dockerOk(['exec', node, 'mv', nft, `${nft}.off`]);
    try {
      const res = await podnet(['trace', 'pod-a', 'pod-c']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.match(res.stdout, new RegExp(`predicted only: could not add the trace table in node/${node} \\(nft -f -\\): .*nft is not installed there`));
      assert.match(res.stdout, /probe not observed: predicted only/);
    } finally {
      await engine.dockerOk(['exec', node, 'mv', `${nft}.off`, nft]);
    }
  });

  it('cluster cleanup removes a leftover trace table from a node and touches no other table', async () => {
    const node = `${BED}-worker`;
    await engine.dockerOk(['exec', node, 'nft', 'add', 'table', 'inet', 'podnet_trace_dead01']);
    await engine.dockerOk(['exec', node, 'nft', 'add', 'table', 'inet', 'keep_me']);
    try {
      const res = await podnet(['cluster', 'cleanup']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`node/${node}: inet podnet_trace_dead01`));
      const tables = (await engine.dockerOk(['exec', node, 'nft', 'list', 'tables'])).stdout;
      assert.doesNotMatch(tables, /podnet_trace_dead01/);
      assert.match(tables, /keep_me/);
    } finally {
      await engine.docker(['exec', node, 'nft', 'delete', 'table', 'inet', 'keep_me']);
    }
  });
});
