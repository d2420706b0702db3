import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubePod } from '../../../src/providers/kube/clusterTypes';
import type { TraceResult } from '../../../src/tracer/types';
import { run, type RunResult } from '../../../src/util/exec';
import { dockerEngineForTest, type DockerEngine } from '../../support/docker/engine';
import { installKindStandIn, type KindStandIn } from '../../support/kindStandIn/install';

const CLI = resolve(__dirname, '../../../dist/cli.js');

/** Containers of a kind cluster in the test engine, with their kind labels. */
async function nodeContainers(engine: DockerEngine, cluster: string): Promise<{ name: string; role: string }[]> {
  const r = await engine.dockerOk(['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`, '--format', '{{.Names}} {{.Label "io.x-k8s.kind.role"}}']);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ')).map(([name, role]) => ({ name, role })).sort((a, b) => a.name.localeCompare(b.name));
}

for (const cni of ['bridge', 'kindnet'] as const) {
  describe(`podnet kind create --cni ${cni}, with the kind stand-in building real node containers in the test Docker engine`, function () {
    this.timeout(600_000);
    let engine: DockerEngine;
    let kind: KindStandIn;
    const name = `pn-${cni}`;
    const ctx = `kind-${name}`;
    const podnet = (args: string[], timeoutMs = 300_000): Promise<RunResult> => run([process.execPath, CLI, ...args], { env: kind.env, timeoutMs });
    let created: RunResult;

    before(async function () {
      engine = await dockerEngineForTest(this);
      kind = installKindStandIn(engine);
      created = await podnet(['kind', 'create', '--name', name, '--cni', cni, '--workload-image', 'registry.k8s.io/e2e-test-images/agnhost:2.53']);
    });
    after(async () => {
      await kind?.cleanup();
    });

    it('creates the cluster, streaming kind\'s own stage lines, and says which context to use', () => {
      assert.equal(created.code, 0, created.stderr);
      for (const stage of ['Ensuring node image', 'Preparing nodes', 'Starting control-plane', 'Joining worker nodes']) assert.match(created.stderr, new RegExp(` ✓ ${stage}`));
      assert.match(created.stdout, new RegExp(`context ${ctx}`));
    });

    it('hands kind a v1alpha4 config made from the article: one control plane, two workers labelled with their topology node', () => {
      const call = kind.calls().find((c) => c[0] === 'create');
      assert.ok(call, 'kind create was called');
      assert.deepEqual(call.slice(0, 4), ['create', 'cluster', '--name', name]);
      assert.ok(call.includes('--config'));
    });

    it('has kind-shaped node containers (names and role labels as kind gives them)', async () => {
      assert.deepEqual(await nodeContainers(engine, name), [
        { name: `${name}-control-plane`, role: 'control-plane' }, { name: `${name}-worker`, role: 'worker' }, { name: `${name}-worker2`, role: 'worker' },
      ]);
    });

    it('runs the article\'s Pods on the workers of their topology nodes, each with an IP from its node\'s podCIDR', async () => {
      const res = await podnet(['get', 'pods', '-o', 'json', '--context', ctx]);
      assert.equal(res.code, 0, res.stderr);
      const pods = JSON.parse(res.stdout) as KubePod[];
      assert.deepEqual(pods.map((p) => [p.name, p.node, p.phase]), [['pod-a', `${name}-worker`, 'Running'], ['pod-b', `${name}-worker`, 'Running'], ['pod-c', `${name}-worker2`, 'Running']]);
      assert.equal(new Set(pods.map((p) => p.podIPs[0])).size, 3, 'three different Pod IPs');
    });

    it(cni === 'bridge' ? 'wires Pods to cbr0 on every worker (the article\'s bridge)' : 'wires Pods with ptp veths and no bridge (kindnet)', async () => {
      const res = await podnet(['exec', '--node', `${name}-worker`, '--context', ctx, '--', 'ip', '-j', 'link', 'show', 'type', 'bridge']);
      assert.equal(res.code, 0, res.stderr);
      const bridges = (JSON.parse(res.stdout || '[]') as { ifname: string }[]).map((l) => l.ifname);
      assert.deepEqual(bridges, cni === 'bridge' ? ['cbr0'] : []);
    });

    it('traces pod-a to pod-c across nodes, verified in the node containers, without NAT', async () => {
      const res = await podnet(['trace', 'pod-a', 'pod-c', '--json', '--context', ctx]);
      assert.equal(res.code, 0, res.stderr);
      const t = JSON.parse(res.stdout) as TraceResult;
      assert.equal(t.disposition, 'DELIVERED');
      assert.equal(t.verification?.matches, true, JSON.stringify(t.verification?.differences));
      assert.equal(t.verification?.natVerdict, 'no-nat', t.verification?.natEvidence);
    });

    it('deletes the cluster: no node containers, no kind-NAME context left', async () => {
      const res = await podnet(['kind', 'delete', '--name', name]);
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(await nodeContainers(engine, name), []);
      const doc = parse(readFileSync(kind.kubeconfig, 'utf8')) as { contexts?: { name: string }[] };
      assert.ok(!(doc.contexts ?? []).some((c) => c.name === ctx));
    });
  });
}

describe('podnet kind create failures, with the kind stand-in', function () {
  this.timeout(600_000);
  let engine: DockerEngine;

  before(async function () {
    engine = await dockerEngineForTest(this);
  });

  it('an image the nodes cannot pull: says so with kind load docker-image, and deletes the half-made cluster', async () => {
    const kind = installKindStandIn(engine, { KIND_STANDIN_UNPULLABLE: 'example.invalid/web:1' });
    try {
      const res = await run([process.execPath, CLI, 'kind', 'create', '--name', 'pn-pull', '--workload-image', 'example.invalid/web:1'], { env: { ...kind.env, PODNET_KIND_READY_TIMEOUT_MS: '8000' }, timeoutMs: 300_000 });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /kind load docker-image example\.invalid\/web:1 --name pn-pull/);
      assert.deepEqual(await nodeContainers(engine, 'pn-pull'), [], 'the half-made cluster was deleted');
      assert.ok(kind.calls().some((c) => c[0] === 'delete' && c.includes('pn-pull')));
    } finally {
      await kind.cleanup();
    }
  });

  it('--retain keeps the half-made cluster and says how to delete it', async () => {
    const kind = installKindStandIn(engine, { KIND_STANDIN_UNPULLABLE: 'example.invalid/web:1' });
    try {
      const res = await run([process.execPath, CLI, 'kind', 'create', '--name', 'pn-keep', '--retain', '--workload-image', 'example.invalid/web:1'], { env: { ...kind.env, PODNET_KIND_READY_TIMEOUT_MS: '8000' }, timeoutMs: 300_000 });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /kept \(--retain\); delete it with `podnet kind delete --name pn-keep`/);
      assert.equal((await nodeContainers(engine, 'pn-keep')).length, 3, 'control plane and two workers kept');
    } finally {
      await kind.cleanup();
    }
  });

  it('a cluster of that name already exists: one sentence, nothing created or deleted', async () => {
    const kind = installKindStandIn(engine);
    try {
      const first = await run([process.execPath, CLI, 'kind', 'create', '--name', 'pn-twice'], { env: kind.env, timeoutMs: 300_000 });
      assert.equal(first.code, 0, first.stderr);
      const again = await run([process.execPath, CLI, 'kind', 'create', '--name', 'pn-twice'], { env: kind.env, timeoutMs: 60_000 });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /a kind cluster named "pn-twice" already exists: use it with --context kind-pn-twice/);
      assert.equal((await nodeContainers(engine, 'pn-twice')).length, 3, 'the existing cluster is untouched');
    } finally {
      await kind.cleanup();
    }
  });

  it('kind not installed: one sentence with the install link', async () => {
    const res = await run([process.execPath, CLI, 'kind', 'create', '--name', 'pn-none'], { env: { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeoutMs: 60_000 });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^podnet: kind is not installed: install it \(https:\/\/kind\.sigs\.k8s\.io/m);
    assert.ok(!/\n\s+at /.test(res.stderr), 'no stack trace');
  });
});
