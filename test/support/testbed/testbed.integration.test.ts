import { strict as assert } from 'node:assert';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/util/exec';
import { type DockerEngine, dockerEngineForTest } from '../docker/engine';
import { REPO, enginePaths } from '../docker/enginePaths';
import { hostNetworkState } from '../hostState';
import { addTestbedPods, createTestbed, destroyTestbed, removeTestbedPod, type Testbed } from './testbed';

/** Lines of `docker exec <node> argv` output. */
async function onNode(engine: DockerEngine, node: string, argv: string[]): Promise<string> {
  return (await engine.dockerOk(['exec', node, ...argv])).stdout;
}

describe('Docker test bed: kind-shaped nodes with real Pods in a dockerd of its own', function () {
  this.timeout(240_000);
  let engine: DockerEngine;
  let bed: Testbed;
  let hostBefore: Record<string, unknown>;
  const cluster = 'pn-tb';

  before(async function () {
    engine = await dockerEngineForTest(this);
    hostBefore = hostNetworkState();
    await destroyTestbed(engine, cluster); // left over by an interrupted run
    bed = await createTestbed(engine, { cluster, workers: 2, cni: 'ptp', podsPerNode: 2 });
  });

  after(async () => {
    if (engine && bed) await destroyTestbed(engine, bed);
  });

  it('runs dockerd in a network namespace other than the host\'s, and the host sees none of its links', () => {
    const pid = Number(readFileSync(enginePaths().pidfile, 'utf8'));
    assert.notEqual(readlinkSync(`/proc/${pid}/ns/net`), readlinkSync('/proc/self/ns/net'));
    assert.deepEqual(hostNetworkState(), hostBefore, 'the host network namespace changed while the test bed is up');
  });

  it('names, labels and addresses the nodes as kind does', async () => {
    assert.deepEqual(bed.nodes.map((n) => [n.name, n.role, n.podCIDR, n.providerID]), [
      [`${cluster}-control-plane`, 'control-plane', '10.244.0.0/24', `kind://docker/${cluster}/${cluster}-control-plane`],
      [`${cluster}-worker`, 'worker', '10.244.1.0/24', `kind://docker/${cluster}/${cluster}-worker`],
      [`${cluster}-worker2`, 'worker', '10.244.2.0/24', `kind://docker/${cluster}/${cluster}-worker2`],
    ]);
    const fmt = '{{.Name}} {{.Config.Hostname}} {{index .Config.Labels "io.x-k8s.kind.cluster"}} {{index .Config.Labels "io.x-k8s.kind.role"}} {{(index .NetworkSettings.Networks "kind").IPAddress}} {{.HostConfig.Privileged}}';
    const seen = (await engine.dockerOk(['inspect', '--format', fmt, ...bed.nodes.map((n) => n.container)])).stdout.trim().split('\n');
    assert.deepEqual(seen, bed.nodes.map((n) => `/${n.name} ${n.name} ${cluster} ${n.role} ${n.ip} false`));
    assert.ok(bed.nodes.every((n) => n.ip.startsWith('172.18.')), 'nodes are on the kind subnet');
  });

  it('routes each peer Pod CIDR via the peer node, and gives each Pod a cni-<uuid> namespace with an address from its node\'s CIDR', async () => {
    const [cp, w1, w2] = bed.nodes;
    const routes = await onNode(engine, w1.container, ['ip', 'route', 'show']);
    assert.match(routes, new RegExp(`^10\\.244\\.0\\.0/24 via ${cp.ip.replace(/\./g, '\\.')} `, 'm'));
    assert.match(routes, new RegExp(`^10\\.244\\.2\\.0/24 via ${w2.ip.replace(/\./g, '\\.')} `, 'm'));
    assert.equal(bed.pods.length, 6);
    for (const pod of bed.pods) {
      const node = bed.nodes.find((n) => n.name === pod.node)!;
      assert.match(pod.netnsPath, /^\/var\/run\/netns\/cni-[0-9a-f-]{36}$/);
      assert.equal(pod.ip.split('.').slice(0, 3).join('.'), node.podCIDR.split('.').slice(0, 3).join('.'), `${pod.name} ${pod.ip} not in ${node.podCIDR}`);
    }
    const names = (await onNode(engine, w1.container, ['ip', 'netns', 'list'])).split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    assert.deepEqual(names.sort(), bed.pods.filter((p) => p.node === w1.name).map((p) => p.netnsPath.split('/').pop()).sort());
  });

  it('deleting a Pod stops its server, frees its namespace and IP; a new Pod gets a namespace and answers', async () => {
    const victim = bed.pods.find((p) => p.node === `${cluster}-worker`)!;
    const caller = bed.pods.find((p) => p.node === `${cluster}-worker2`)!;
    const ask = (ip: string) => engine.docker(['exec', caller.node, 'nsenter', `--net=${caller.netnsPath}`, 'timeout', '3', 'wget', '-qO-', `http://${ip}:8080/cgi-bin/hostname`]);
    assert.equal((await ask(victim.ip)).stdout.trim(), `default/${victim.name}`);
    await removeTestbedPod(engine, bed, victim);
    assert.notEqual((await ask(victim.ip)).code, 0, 'the deleted Pod still answers');
    const nsList = await onNode(engine, victim.node, ['ip', 'netns', 'list']);
    assert.ok(!nsList.includes(victim.netnsPath.split('/').pop()!), 'the namespace is still there');
    const ipam = await onNode(engine, victim.node, ['ls', '/run/cni-ipam-state/kindnet']);
    assert.ok(!ipam.split('\n').includes(victim.ip), 'host-local still holds the IP');
    const [fresh] = await addTestbedPods(engine, bed, [{ namespace: 'default', name: 'fresh', node: victim.node }]);
    assert.notEqual(fresh.netnsPath, victim.netnsPath);
    assert.equal((await ask(fresh.ip)).stdout.trim(), 'default/fresh');
    assert.ok(bed.pods.includes(fresh) && !bed.pods.includes(victim));
  });

  it('removes a half-made test bed when creation fails midway, and says at which step', async () => {
    const broken = 'pn-tb-broken';
    await assert.rejects(
      createTestbed(engine, { cluster: broken, workers: 1, cni: 'bridge', podSubnet: '10.250.0.0/24' }),
      /^Error: creating test bed pn-tb-broken failed while starting the node containers: .*no room for node 1's \/24/,
    );
    const left = await engine.dockerOk(['ps', '-aq', '--filter', `label=io.x-k8s.kind.cluster=${broken}`]);
    assert.equal(left.stdout.trim(), '');
  });

  it('rejects a spec whose names would end up unchecked in argv or paths, before creating anything', async () => {
    await assert.rejects(createTestbed(engine, { cluster: 'Bad Name', workers: 0, cni: 'ptp' }), /cluster "Bad Name" must be a lowercase DNS label/);
    await assert.rejects(
      createTestbed(engine, { cluster: 'pn-tb-x', workers: 0, cni: 'ptp', pods: [{ namespace: 'default', name: 'a;rm', node: 'pn-tb-x-control-plane' }] }),
      /Pod name "a;rm"/,
    );
  });

  it('builds from a separate process with a JSON spec, against this engine', async () => {
    const spec = JSON.stringify({ cluster: 'pn-tb-cli', workers: 0, cni: 'bridge', podsPerNode: 1 });
    const cli = join(REPO, 'test/support/testbed/testbedCli.ts');
    const tsx = join(REPO, 'node_modules/.bin/tsx');
    try {
      const made = await run([tsx, cli, 'create', '-'], { input: spec, env: engine.env, timeoutMs: 120_000 });
      assert.equal(made.code, 0, made.stderr);
      const out = JSON.parse(made.stdout) as Testbed;
      assert.equal(out.nodes[0].name, 'pn-tb-cli-control-plane');
      assert.equal(out.pods[0].node, 'pn-tb-cli-control-plane');
    } finally {
      const gone = await run([tsx, cli, 'destroy', 'pn-tb-cli'], { env: engine.env, timeoutMs: 120_000 });
      assert.equal(gone.code, 0, gone.stderr);
    }
    assert.equal((await engine.dockerOk(['ps', '-aq', '--filter', 'label=io.x-k8s.kind.cluster=pn-tb-cli'])).stdout.trim(), '');
  });
});
