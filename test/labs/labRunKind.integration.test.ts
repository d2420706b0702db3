import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import type { LabRunResult } from '../../src/labs/runner';
import { KubeProvider } from '../../src/providers/kube/kubeProvider';
import { run, type RunResult } from '../../src/util/exec';
import { dockerEngineForTest, type DockerEngine } from '../support/docker/engine';
import { installKindStandIn, type KindStandIn } from '../support/kindStandIn/install';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** Checks that failed in a run, as "step: title: message". */
function failures(r: LabRunResult): string[] {
  return r.steps.flatMap((s) => s.checks.filter((c) => !c.passed).map((c) => `${s.id}: ${c.title}: ${c.message}`));
}

describe('podnet lab run PACK --kind NAME, on a cluster made by podnet kind create with the kind stand-in (real node containers in the test Docker engine)', function () {
  this.timeout(900_000);
  let engine: DockerEngine;
  let kind: KindStandIn;
  const name = 'pn-labs';
  const podnet = (args: string[], timeoutMs = 600_000): Promise<RunResult> => run([process.execPath, CLI, ...args], { env: kind.env, timeoutMs });

  before(async function () {
    engine = await dockerEngineForTest(this);
    kind = installKindStandIn(engine);
    const created = await podnet(['kind', 'create', '--name', name, '--cni', 'bridge']);
    assert.equal(created.code, 0, created.stderr);
  });
  after(async () => {
    await kind?.cleanup();
  });

  it('own-ip passes every check on kind, with actions run against --context kind-NAME', async () => {
    const res = await podnet(['lab', 'run', 'own-ip', '--kind', name, '--json']);
    const r = JSON.parse(res.stdout) as LabRunResult;
    assert.deepEqual(failures(r), [], res.stderr);
    assert.equal(r.passed, true, r.error);
    assert.equal(res.code, 0);
    const argv = r.steps.flatMap((s) => s.actions.map((a) => a.argv));
    assert.ok(argv.length > 0 && argv.every((a) => a.includes('--context') && a.includes(`kind-${name}`) && !a.includes('--lab')), JSON.stringify(argv));
  });

  it('ephemeral-ips deletes and re-creates a Pod on kind (PodNet\'s own Pod) and sees a new IP', async () => {
    const res = await podnet(['lab', 'run', 'ephemeral-ips', '--kind', name, '--json']);
    const r = JSON.parse(res.stdout) as LabRunResult;
    assert.deepEqual(failures(r), [], res.stderr);
    assert.equal(r.passed, true, r.error);
  });

  it('deletes the pack\'s Pods afterwards, leaving no PodNet Pod of the pack behind', async () => {
    const res = await podnet(['get', 'pods', '-o', 'json', '--context', `kind-${name}`]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), []);
  });

  it('podnet demo --kind observes every fact of the article on the cluster (PASS each), agnhost-style answers read from the node', async () => {
    const res = await podnet(['demo', '--kind', name]);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    const marks = res.stdout.split('\n').filter((l) => /^\s+(PASS|FAIL)\s/.test(l));
    assert.equal(marks.length, 6, res.stdout);
    assert.ok(marks.every((l) => l.trim().startsWith('PASS')), res.stdout);
    assert.match(res.stdout, /6\/6 facts observed on kind cluster "pn-labs"/);
    assert.match(res.stdout, /default\/pod-a \(10\.244\.\d+\.\d+, pn-labs-worker\) -> default\/pod-c \(10\.244\.\d+\.\d+, pn-labs-worker2\): default\/pod-c saw the request come from 10\.244\.\d+\.\d+, the sender's own Pod IP/);
  });

  it('a topology node names its worker on the cluster (exec --node node1, trace to node2), and get nodes shows ROLES and AGE from the API', async () => {
    const ctx = `kind-${name}`;
    const nodes = await podnet(['get', 'nodes', '--context', ctx]);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, new RegExp(`^${name}-control-plane\\s+Ready\\s+control-plane\\s+\\d+[smhd]`, 'm'));
    const wide = JSON.parse((await podnet(['get', 'nodes', '-o', 'json', '--context', ctx])).stdout) as { name: string; internalIP: string; labels: Record<string, string> }[];
    const worker = wide.find((n) => n.labels['podnet.dev/topology-node'] === 'node1');
    assert.equal(worker?.name, `${name}-worker`);
    const addr = await podnet(['exec', '--node', 'node1', '--context', ctx, '--', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
    assert.equal(addr.code, 0, addr.stderr);
    assert.match(addr.stdout, new RegExp(`inet ${worker.internalIP.replace(/\./g, '\\.')}/`));
    const trace = await podnet(['trace', 'pod-a', 'node2', '--json', '--context', ctx]);
    assert.equal(trace.code, 0, trace.stderr);
    const t = JSON.parse(trace.stdout) as { disposition: string; request: { to: { name: string } } };
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.request.to.name, `${name}-worker2`);
  });

  it('podnet lab list marks which packs cannot run on kind, and why', async () => {
    const res = await podnet(['lab', 'list']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^own-ip\s.*\syes\s/m);
    assert.match(res.stdout, /^no-nat-vs-docker\s.*\sno\s/m);
    assert.match(res.stdout, /no-nat-vs-docker: its topology has a Docker-style NAT host/);
  });

  it('a kind cluster that does not exist: one sentence saying how to create it, exit 1', async () => {
    const res = await podnet(['lab', 'run', 'own-ip', '--kind', 'nope']);
    assert.equal(res.code, 1);
    assert.match(res.stdout, /podnet: the kind cluster "nope" \(context kind-nope\) could not be reached: .*; create it with `podnet kind create --name nope`/);
    assert.doesNotMatch(`${res.stdout}${res.stderr}`, /^\s+at /m, 'no stack trace');
  });

  it('refuses a pack with a Docker-style host in one sentence, running nothing', async () => {
    const res = await podnet(['lab', 'run', 'no-nat-vs-docker', '--kind', name]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^podnet: the lab pack "no-nat-vs-docker" cannot run on kind: its topology has a Docker-style NAT host, which is part of the embedded lab only \(a kind cluster has no such host\); run it on the embedded lab \(drop --kind\)\. Nothing was run\.\n$/);
    assert.equal(res.stdout, '');
  });

  it('refuses podnet pod delete of a Pod PodNet did not make (the cluster stays read-only), and deletes its own', async () => {
    const ctx = `kind-${name}`;
    const kube = await KubeProvider.connect({ kubeconfig: kind.kubeconfig, context: ctx, env: kind.env });
    try {
      await kube.api.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'not-ours', namespace: 'default', labels: { app: 'not-ours' } },
        spec: { nodeName: `${name}-worker`, containers: [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'] }] } });
      const refused = await podnet(['pod', 'delete', 'not-ours', '--context', ctx]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /PodNet does not delete Pods it did not create as lab Pods \(default\/not-ours is not in namespace default with the label app\.kubernetes\.io\/managed-by=podnet-lab\)/);
      assert.ok(await kube.api.readPod('default', 'not-ours'), 'the Pod is still there');
      const made = await podnet(['pod', 'create', 'mine', '--node', 'node2', '--context', ctx]);
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, new RegExp(`^pod/default/mine created on ${name}-worker2 with IP 10\\.244\\.\\d+\\.\\d+`));
      const gone = await podnet(['pod', 'delete', 'mine', '--context', ctx]);
      assert.equal(gone.code, 0, gone.stderr);
      assert.equal(await kube.api.readPod('default', 'mine'), undefined);
    } finally {
      await kube.api.deletePod('default', 'not-ours');
      await kube.closeAndWait();
    }
  });
});
