import { strict as assert } from 'node:assert';
import { KubeProvider } from '../../../src/providers/kube/kubeProvider';
import type { LabProvider } from '../../../src/providers/provider';
import { collectSnapshot } from '../../../src/snapshot/collect';
import { parseSnapshot, serializeSnapshot } from '../../../src/snapshot/validate';
import { describeIptablesMode } from '../../../src/tracer/iptablesMode';
import { predictTrace } from '../../../src/tracer/predict';
import { traceLive } from '../../../src/tracer/runTrace';
import { runOk } from '../../../src/util/exec';
import type { DockerEngine } from '../../support/docker/engine';
import { serviceObject } from '../../support/kubeApiStandIn/serviceObjects';
import { syncKubeProxyStandIn } from '../../support/testbed/kubeProxyStandIn';
import { addTestbedPods, removeTestbedPod, type Testbed } from '../../support/testbed/testbed';
import { podObject, startTestbedKube, stopTestbedKube, type TestbedCluster, type TestbedKube } from '../../support/testbedCluster';

const BED = 'podnet-h6svc';
const WEB = { namespace: 'default', name: 'web', clusterIP: '10.96.0.10', selector: { tier: 'web' }, ports: [{ port: 80, targetPort: 8080 }] };

/** A few rules as kube-proxy's iptables mode writes them, loaded with the host's iptables-nft into one node's namespace. */
const IPTABLES_MODE_RULES = [
  ['-t', 'nat', '-N', 'KUBE-SERVICES'],
  ['-t', 'nat', '-N', 'KUBE-SVC-ABCDEFGHIJKLMNOP'],
  ['-t', 'nat', '-N', 'KUBE-SEP-QRSTUVWXYZ234567'],
  ['-t', 'nat', '-A', 'PREROUTING', '-j', 'KUBE-SERVICES'],
  ['-t', 'nat', '-A', 'KUBE-SERVICES', '-d', '10.96.0.77/32', '-p', 'tcp', '--dport', '80', '-j', 'KUBE-SVC-ABCDEFGHIJKLMNOP'],
  ['-t', 'nat', '-A', 'KUBE-SVC-ABCDEFGHIJKLMNOP', '-j', 'KUBE-SEP-QRSTUVWXYZ234567'],
  ['-t', 'nat', '-A', 'KUBE-SEP-QRSTUVWXYZ234567', '-p', 'tcp', '-j', 'DNAT', '--to-destination', '10.244.1.2:8080'],
];

describe('Services on a cluster: the kube provider reads Services + EndpointSlices (kube-apiserver stand-in) over real kube-proxy-style nft rules (kube-proxy stand-in) on a Docker test bed', function () {
  this.timeout(300_000);
  let t: TestbedKube | undefined;
  let engine: DockerEngine;
  let bed: Testbed;
  let cluster: TestbedCluster;
  let kube: KubeProvider;

  before(async function () {
    const pods = [['web-1', 'control-plane'], ['web-2', 'worker'], ['probe', 'worker']].map(([name, role]) => ({ namespace: 'default', name, node: `${BED}-${role}` }));
    t = await startTestbedKube(this, { cluster: BED, workers: 1, cni: 'ptp', pods }, {
      podLabels: (p) => (p.name.startsWith('web-') ? { tier: 'web' } : undefined),
      prepare: async ({ engine: e, bed: b, cluster: c }) => {
        c.standIn.upsert(serviceObject(WEB));
        c.standIn.upsert(serviceObject({ namespace: 'default', name: 'nobody', clusterIP: '10.96.0.11', selector: { tier: 'none' }, ports: [{ port: 80 }] }));
        await syncKubeProxyStandIn(e, b.nodes, c.standIn);
      },
    });
    ({ engine, bed, cluster, kube } = t);
  });
  after(() => stopTestbedKube(t));

  const podIP = (name: string): string => bed.pods.find((p) => p.name === name)!.ip;

  it('status().services lists each Service with its EndpointSlice endpoints (Pod, node, ready); a selector matching nothing has none', async () => {
    const st = await kube.status();
    const web = st.services?.find((s) => s.name === 'web');
    assert.ok(web, `services: ${JSON.stringify(st.services)}`);
    assert.equal(web.clusterIP, '10.96.0.10');
    const expected = [['web-1', `${BED}-control-plane`], ['web-2', `${BED}-worker`]]
      .map(([pod, node]) => ({ ip: podIP(pod), pod: `default/${pod}`, node, ready: true, ports: [{ protocol: 'tcp', port: 8080 }] }))
      .sort((a, b) => a.ip.localeCompare(b.ip, undefined, { numeric: true }));
    assert.deepEqual(web.endpoints, expected);
    assert.deepEqual(st.services?.find((s) => s.name === 'nobody')?.endpoints, []);
    assert.equal(st.serviceCIDR, undefined, 'the API does not say the service range');
    const provider: LabProvider = kube;
    assert.equal(provider.addService, undefined, 'read-only: Services on a cluster are made with kubectl');
    assert.equal(provider.deleteService, undefined);
  });

  it('the stand-in\'s rules are real: a Pod reaches the ClusterIP and lands on one endpoint, its own IP kept as source', async () => {
    const r = await kube.exec({ kind: 'pod', pod: 'default/probe' }, ['timeout', '5', 'wget', '-qO-', 'http://10.96.0.10/cgi-bin/clientip'], { timeoutMs: 15_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), new RegExp(`^${podIP('probe').replaceAll('.', '\\.')}:\\d+$`));
    const refused = await kube.exec({ kind: 'pod', pod: 'default/probe' }, ['timeout', '5', 'wget', '-qO-', 'http://10.96.0.11/'], { timeoutMs: 15_000 });
    assert.notEqual(refused.code, 0, 'a Service without endpoints is rejected');
  });

  it('a snapshot holds the Services and every node\'s kube-proxy table; the prediction from a Pod to the ClusterIP names the Service and both candidates', async () => {
    const snap = await collectSnapshot(kube);
    const again = parseSnapshot(serializeSnapshot(snap), 'cluster.json');
    assert.equal(again.version, 2);
    assert.deepEqual(again.cluster.services?.map((s) => `${s.namespace}/${s.name} ${s.clusterIP} ${s.endpoints.length}`), ['default/nobody 10.96.0.11 0', 'default/web 10.96.0.10 2']);
    for (const n of bed.nodes) {
      const ns = again.namespaces.find((x) => x.id === `node/${n.name}`)!;
      const tables = (ns.filter.nft as { table?: { name: string } }[]).filter((i) => i.table).map((i) => i.table!.name);
      assert.ok(tables.includes('kube-proxy'), `${n.name}: tables ${tables.join(', ')}`);
    }
    const result = predictTrace(again, { from: 'default/probe', to: 'svc/default/web' });
    assert.equal(result.disposition, 'DELIVERED', result.reason);
    assert.equal(result.service?.address, '10.96.0.10');
    assert.match(result.service?.name ?? '', /web$/);
    assert.deepEqual(result.service?.candidates.map((c) => c.ip).sort(), [podIP('web-1'), podIP('web-2')].sort());
    assert.ok(result.hops.some((h) => h.rows.some((r) => r.kind === 'service')), 'a hop carries the Service row');
    const none = predictTrace(again, { from: 'default/probe', to: 'svc/default/nobody' });
    assert.notEqual(none.disposition, 'DELIVERED');
  });

  it('a verified live trace to the ClusterIP reaches one of the candidates and matches the prediction for it', async () => {
    const { result } = await traceLive(kube, { from: 'default/probe', to: 'svc/default/web' }, { verify: true });
    const v = result.verification;
    assert.ok(v, 'verified');
    assert.ok([podIP('web-1'), podIP('web-2')].includes(v.chosenEndpoint ?? ''), `chosen: ${v.chosenEndpoint}`);
    assert.ok(v.matches, v.differences.join('; '));
  });

  it('a Pod re-created elsewhere: the watch brings the new endpoint, the ClusterIP stays, and the rules follow', async () => {
    const old = podIP('web-2');
    await removeTestbedPod(engine, bed, { namespace: 'default', name: 'web-2' });
    cluster.standIn.remove('Pod', 'default', 'web-2');
    const [fresh] = await addTestbedPods(engine, bed, [{ namespace: 'default', name: 'web-2', node: `${BED}-control-plane` }]);
    cluster.standIn.upsert(podObject({ ...fresh, labels: { tier: 'web' } }));
    const changed = new Promise<void>((resolve) => kube.onServiceChange((_c, s) => s.name === 'web' && s.endpoints.some((e) => e.ip === fresh.ip) && resolve()));
    await syncKubeProxyStandIn(engine, bed.nodes, cluster.standIn);
    await changed;
    const web = (await kube.status()).services!.find((s) => s.name === 'web')!;
    assert.equal(web.clusterIP, '10.96.0.10');
    assert.ok(!web.endpoints.some((e) => e.ip === old), 'the old address is gone');
    assert.deepEqual(web.endpoints.find((e) => e.ip === fresh.ip)?.node, `${BED}-control-plane`);
    const snap = await collectSnapshot(kube);
    const result = predictTrace(snap, { from: 'default/probe', to: 'svc/default/web' });
    assert.ok(result.service?.candidates.some((c) => c.ip === fresh.ip), JSON.stringify(result.service?.candidates));
  });

  it('a node with kube-proxy iptables-mode rules (loaded with iptables-nft) is reported as not evaluated, not guessed', async () => {
    const worker = bed.nodes.find((n) => n.role === 'worker')!;
    const pid = (await engine.dockerOk(['inspect', '--format', '{{.State.Pid}}', worker.container])).stdout.trim();
    assert.match(pid, /^[1-9]\d*$/);
    // Entering the node container's own network namespace (made by the test engine), never the host's.
    for (const rule of IPTABLES_MODE_RULES) await runOk(['nsenter', '-t', pid, '-n', 'iptables-nft', ...rule], { timeoutMs: 15_000 }, `iptables-nft ${rule.join(' ')}`);
    const snap = await collectSnapshot(kube);
    const ns = (name: string) => snap.namespaces.find((x) => x.id === `node/${name}`)!;
    const sentence = describeIptablesMode(ns(worker.name).filter, worker.name);
    assert.match(sentence ?? '', /not evaluated/);
    assert.match(sentence ?? '', /KUBE-SERVICES/);
    assert.equal(describeIptablesMode(ns(`${BED}-control-plane`).filter), undefined);
    const trace = predictTrace(snap, { from: 'default/probe', to: 'svc/default/web' });
    assert.ok(trace.warnings.some((w) => /not evaluated/.test(w)), `warnings: ${trace.warnings.join(' | ')}`);
  });
});
