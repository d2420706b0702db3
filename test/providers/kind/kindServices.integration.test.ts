import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTopology } from '../../../src/model/topologySpec';
import type { ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import { deleteTopologyServices, serviceOps } from '../../../src/providers/kind/clusterServices';
import type { KubePod } from '../../../src/providers/kube/clusterTypes';
import { KubeProvider } from '../../../src/providers/kube/kubeProvider';
import type { TraceResult } from '../../../src/tracer/types';
import { run, type RunResult } from '../../../src/util/exec';
import { dockerEngineForTest, type DockerEngine } from '../../support/docker/engine';
import { installKindStandIn, type KindStandIn } from '../../support/kindStandIn/install';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const TOPOLOGY = resolve(__dirname, '../../fixtures/kind/services-topology.yaml');

describe('Services on kind: podnet kind create --topology with services:, on the kind stand-in (endpointslice controller and nftables kube-proxy stand-ins in real node containers)', function () {
  this.timeout(600_000);
  let engine: DockerEngine;
  let kind: KindStandIn;
  const name = 'pn-svc';
  const ctx = `kind-${name}`;
  const nodes = [`${name}-control-plane`, `${name}-worker`, `${name}-worker2`];
  const podnet = (args: string[], timeoutMs = 300_000): Promise<RunResult> => run([process.execPath, CLI, ...args], { env: kind.env, timeoutMs });
  let created: RunResult;

  const table = async (node: string): Promise<string> => (await engine.dockerOk(['exec', node, 'nft', 'list', 'table', 'ip', 'kube-proxy'])).stdout;
  const services = async (): Promise<ServiceInfo[]> => {
    const res = await podnet(['get', 'svc', '-o', 'json', '--context', ctx]);
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout) as ServiceInfo[];
  };
  const podIP = async (pod: string): Promise<string> => {
    const res = await podnet(['get', 'pods', '-o', 'json', '--context', ctx]);
    const p = (JSON.parse(res.stdout) as KubePod[]).find((x) => x.name === pod);
    assert.ok(p?.podIPs[0], `${pod} has an IP`);
    return p.podIPs[0];
  };
  /** Polls every node's kube-proxy table until `ok` holds on all of them (the stand-in re-syncs after a change). */
  const tablesUntil = async (ok: (text: string) => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 100; i++) {
      if ((await Promise.all(nodes.map(table))).every(ok)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`the nodes' kube-proxy tables never showed ${what}`);
  };

  before(async function () {
    engine = await dockerEngineForTest(this);
    kind = installKindStandIn(engine);
    created = await podnet(['kind', 'create', '--name', name, '--cni', 'kindnet', '--topology', TOPOLOGY]);
  });
  after(async () => {
    await kind?.cleanup();
  });

  it('creates the cluster, its Pods and its two Services', () => {
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr + created.stdout, /creating 2 Services/);
  });

  it('the cluster has the Services as the topology says: ClusterIP, NodePort, policy, and the selected Pods as ready endpoints', async () => {
    const list = await services();
    const brief = list.map((s) => [s.name, s.type, s.clusterIP, s.ports[0]?.port, s.ports[0]?.nodePort, s.externalTrafficPolicy,
      s.endpoints.filter((e) => e.ready).map((e) => e.pod).sort().join(',')]);
    assert.deepEqual(brief, [
      ['pick-a', 'NodePort', '10.96.0.101', 80, 30081, 'Local', 'default/pod-a'],
      ['web', 'ClusterIP', '10.96.0.100', 80, undefined, 'Cluster', 'default/pod-b,default/pod-c'],
    ]);
  });

  it('every node (control plane included) has kube-proxy\'s nftables table with the Services\' map entries and chains; Local drops on a node without pick-a\'s Pod', async () => {
    // kube-proxy programs the nodes after the EndpointSlices are written (as a real one does), so the first look may be early.
    const dnatC = `dnat to ${await podIP('pod-c')}:8080`;
    await tablesUntil((text) => text.includes(dnatC), 'the endpoint chain of pod-c');
    for (const node of nodes) {
      const text = await table(node);
      assert.match(text, /10\.96\.0\.100 \. tcp \. 80 : goto service-\w+-default\/web\/tcp\//, `${node}: web in service-ips`);
      assert.match(text, /tcp \. 30081 : goto external-\w+-default\/pick-a\/tcp\//, `${node}: pick-a in service-nodeports`);
      const dropsLocal = /tcp \. 30081 comment "default\/pick-a" : drop/.test(text);
      assert.equal(dropsLocal, node !== `${name}-worker`, `${node}: NodePort 30081 (Local) dropped exactly where pod-a is not`);
    }
  });

  it('pod-a reaches the ClusterIP for real and is answered by one of web\'s Pods', async () => {
    const res = await podnet(['exec', 'pod-a', '--context', ctx, '--', 'wget', '-qO-', 'http://10.96.0.100/hostname'], 60_000);
    assert.equal(res.code, 0, res.stderr);
    // The stand-in's /hostname answers NAMESPACE/NAME (agnhost answers the Pod's hostname); either way it names the Pod.
    const who = res.stdout.trim().split('/').pop() ?? '';
    assert.ok(['pod-b', 'pod-c'].includes(who), `answered by ${res.stdout.trim()}`);
  });

  it('traces pod-a to web through the DNAT from the cluster\'s own rules, both Pods candidates, verified in the node containers', async () => {
    const res = await podnet(['trace', 'pod-a', 'web', '--json', '--context', ctx]);
    assert.equal(res.code, 0, res.stderr);
    const t = JSON.parse(res.stdout) as TraceResult;
    assert.equal(t.service?.name, 'web');
    assert.deepEqual(t.service?.candidates.map((c) => c.pod).sort(), ['default/pod-b', 'default/pod-c']);
    assert.equal(t.disposition, 'DELIVERED');
    assert.equal(t.verification?.matches, true, JSON.stringify(t.verification?.differences));
  });

  it('follows Pods: a deleted endpoint Pod leaves every node\'s rules, a new Pod with the label joins them', async () => {
    const oldIP = await podIP('pod-c');
    assert.equal((await podnet(['pod', 'delete', 'pod-c', '--context', ctx])).code, 0);
    await tablesUntil((text) => !text.includes(`dnat to ${oldIP}:8080`), `pod-c's ${oldIP} gone`);
    const made = await podnet(['pod', 'create', 'pod-d', '--node', 'node2', '--label', 'app=web', '--context', ctx]);
    assert.equal(made.code, 0, made.stderr);
    const newIP = await podIP('pod-d');
    await tablesUntil((text) => text.includes(`dnat to ${newIP}:8080`), `pod-d's ${newIP}`);
    const web = (await services()).find((s) => s.name === 'web');
    assert.deepEqual(web?.endpoints.map((e) => e.pod).sort(), ['default/pod-b', 'default/pod-d']);
    assert.equal(web?.clusterIP, '10.96.0.100', 'the ClusterIP stays');
  });

  it('removing the topology\'s Services deletes them and takes their rules off every node', async () => {
    const topology = parseTopology(readFileSync(TOPOLOGY, 'utf8'));
    const kube = await KubeProvider.connect({ context: ctx, kubeconfig: kind.kubeconfig, namespace: 'default' });
    try {
      assert.deepEqual(await deleteTopologyServices(serviceOps(kube.api), topology), []);
    } finally {
      await kube.closeAndWait();
    }
    assert.deepEqual(await services(), []);
    await tablesUntil((text) => !/default\/web\/|default\/pick-a\//.test(text), 'no chain of web or pick-a');
  });
});
