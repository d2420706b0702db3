import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli';
import { writeKubeconfig } from '../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../support/kubeApiStandIn/server';
import { nodeObject, podObject } from '../../support/testbedCluster';

/** One line on stderr, no stack trace, exit 1. */
function oneSentence(res: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
  assert.equal(res.code, 1, res.stderr + res.stdout);
  const lines = res.stderr.trim().split('\n');
  assert.equal(lines.length, 1, res.stderr);
  assert.match(lines[0], /^podnet: /);
  assert.doesNotMatch(res.stderr, /\n\s+at /);
  assert.match(lines[0], pattern);
}

describe('podnet on a cluster served by the kube-apiserver stand-in (API only, no node access)', function () {
  this.timeout(120_000);
  let standIn: KubeApiStandIn;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    standIn = await KubeApiStandIn.start();
    standIn.upsert(nodeObject({ name: 'node-b', ip: '10.0.0.12', podCIDR: '10.244.2.0/24', providerID: 'gce://project/zone/node-b' }));
    standIn.upsert(nodeObject({ name: 'node-a', ip: '10.0.0.11', podCIDR: '10.244.1.0/24', providerID: 'gce://project/zone/node-a' }, true));
    standIn.upsert(podObject({ namespace: 'web', name: 'front', uid: 'u1', node: 'node-a', ip: '10.244.1.5', containers: [{ name: 'nginx', port: 80 }] }));
    standIn.upsert(podObject({ namespace: 'default', name: 'pod-a', uid: 'u2', node: 'node-b', ip: '10.244.2.7', containers: [{ name: 'c' }] }));
    dir = mkdtempSync(join(tmpdir(), 'podnet-cluster-cli-'));
    kubeconfig = writeKubeconfig(dir, { target: standIn, context: 'gke-prod' });
  });
  after(async () => {
    await standIn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('get pods -A -o wide has kubectl get pods columns and the API\'s Pods; -o json is a plain array of them', async () => {
    const wide = await runCli('root', ['get', 'pods', '-A', '-o', 'wide', '--kubeconfig', kubeconfig]);
    assert.equal(wide.code, 0, wide.stderr);
    const [header, ...rows] = wide.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(header, ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[2], r[3], r[6], r[7]]), [['default', 'pod-a', '1/1', 'Running', '10.244.2.7', 'node-b'], ['web', 'front', '1/1', 'Running', '10.244.1.5', 'node-a']]);
    const json = await runCli('root', ['--context', 'gke-prod', 'get', 'pods', '-n', 'web', '-o', 'json', '--kubeconfig', kubeconfig]);
    assert.equal(json.code, 0, json.stderr);
    const pods = JSON.parse(json.stdout) as { namespace: string; name: string; podIPs: string[]; containers: { ports: { containerPort: number }[] }[] }[];
    assert.deepEqual(pods.map((p) => [p.namespace, p.name, p.podIPs, p.containers[0].ports[0].containerPort]), [['web', 'front', ['10.244.1.5'], 80]]);
  });

  it('get nodes -o wide shows InternalIP, Pod CIDR and that PodNet has API-only access to nodes that are not local containers', async () => {
    const res = await runCli('root', ['get', 'nodes', '-o', 'wide', '--kubeconfig', kubeconfig]);
    assert.equal(res.code, 0, res.stderr);
    const [header, ...rows] = res.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(header, ['NAME', 'STATUS', 'ROLES', 'AGE', 'INTERNAL-IP', 'POD-CIDR', 'ACCESS']);
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[4], r[5], r[6]]), [['node-a', 'Ready', '10.0.0.11', '10.244.1.0/24', 'none'], ['node-b', 'Ready', '10.0.0.12', '10.244.2.0/24', 'none']]);
  });

  it('cluster info names the server, counts, and why there is no node access; snapshot then refuses in one sentence', async () => {
    const info = await runCli('root', ['cluster', 'info', '--kubeconfig', kubeconfig]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`server:\\s+${standIn.url.replace(/[.]/g, '\\.')}`));
    assert.match(info.stdout, /nodes:\s+2 \(2 Ready\)/);
    assert.match(info.stdout, /pods:\s+2 in all namespaces/);
    assert.match(info.stdout, /access:\s+none: API only: the nodes are not containers this machine runs/);
    oneSentence(await runCli('root', ['snapshot', '--kubeconfig', kubeconfig]), /a snapshot needs the nodes' network namespaces.*--debug-pods/);
  });

  it('an unknown context is one sentence listing the contexts', async () => {
    oneSentence(await runCli('root', ['get', 'pods', '--kubeconfig', kubeconfig, '--context', 'nope']), /context "nope" is not in the kubeconfig.*gke-prod/);
  });

  it('an unreachable API server is one sentence naming it', async () => {
    const dead = writeKubeconfig(dir, { target: { url: 'https://127.0.0.1:1' }, context: 'dead', file: 'dead' });
    oneSentence(await runCli('root', ['get', 'nodes', '--kubeconfig', dead]), /127\.0\.0\.1:1/);
  });

  it('a 403 from the stand-in is one sentence naming the verb and resource', async () => {
    standIn.forbid('list', 'pods');
    try {
      oneSentence(await runCli('root', ['get', 'pods', '-A', '--kubeconfig', kubeconfig]), /list.*pods|pods.*list/i);
    } finally {
      standIn.access.allowAll();
    }
  });

  it('commands of the embedded lab refuse a cluster, and cluster options need --context or --kubeconfig', async () => {
    const pod = await runCli('root', ['lab', 'status', '--context', 'gke-prod', '--kubeconfig', kubeconfig]);
    assert.equal(pod.code, 2);
    assert.match(pod.stderr, /works on the embedded lab only/);
    const ns = await runCli('root', ['get', 'pods', '-n', 'web']);
    assert.equal(ns.code, 2);
    assert.match(ns.stderr, /add --context CTX or --kubeconfig FILE/);
  });
});
