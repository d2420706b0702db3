/** The Service checks on a real embedded lab (kube-proxy-style rules, the outside client): each passes and fails for the right reason. */
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { parseTopology } from '../../../src/model/topologySpec';
import { EmbeddedLab } from '../../../src/providers/embedded/embeddedLab';
import { startLab, stopLab } from '../../../src/providers/embedded/launcher';
import { evaluateCheck } from '../../../src/labs/checks';
import { createRunState, type LabRunState } from '../../../src/labs/state';
import type { LabCheck } from '../../../src/labs/types';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const LAB = 'ilab-svcchecks';
const TOPOLOGY = `nodes: [{name: node1}, {name: node2}]
pods:
  - {name: pod-a, node: node1, labels: {app: web}}
  - {name: pod-b, node: node1}
  - {name: pod-c, node: node2, labels: {app: web}}
services:
  - {name: web, selector: {app: web}, port: 80, targetPort: 8080}
  - {name: only-c, pods: [pod-c], port: 80, targetPort: 8080, type: NodePort, nodePort: 30080}
client: {}
`;

describe('lab pack checks on a live lab: Services', function () {
  this.timeout(180_000);
  let lab: EmbeddedLab;
  let state: LabRunState;
  const check = (c: LabCheck) => evaluateCheck(c, { lab, state });

  before(async () => {
    await stopLab(LAB).catch(() => undefined);
    state = createRunState(await startLab({ lab: LAB, topology: parseTopology(TOPOLOGY), entry: CLI }));
    lab = await EmbeddedLab.connect(LAB);
  });
  after(async () => {
    lab?.close();
    await stopLab(LAB).catch(() => undefined);
  });

  it('trace to a ClusterIP: service and nat dnat pass; dnat+snat and another Service fail with what the probe saw', async () => {
    const ok = await check({ type: 'trace', from: 'pod-b', to: 'web', proto: 'tcp', port: 80, expect: { disposition: 'DELIVERED', service: 'web', nat: 'dnat' } });
    assert.equal(ok.passed, true, ok.message);
    assert.match(ok.message, /Service web \(10\.96\.0\.100:80\) DNATed it to one of 10\.244\.\d+\.\d+ \(pod-[ac]\), 10\.244\.\d+\.\d+ \(pod-[ac]\), this time 10\.244\.[12]\.\d+; DNAT to an endpoint, source kept/);
    const snat = await check({ type: 'trace', from: 'pod-b', to: 'web', proto: 'tcp', port: 80, expect: { nat: 'dnat+snat' } });
    assert.equal(snat.passed, false);
    assert.match(snat.message, /expects the source to be rewritten as well \(masqueraded\), but it was kept/);
    const other = await check({ type: 'trace', from: 'pod-b', to: 'web', proto: 'tcp', port: 80, expect: { service: 'only-c' } });
    assert.match(other.message, /expects the packet to go through Service only-c, but it went through web/);
    const none = await check({ type: 'trace', from: 'pod-b', to: 'pod-c', proto: 'tcp', port: 8080, expect: { service: 'web' } });
    assert.match(none.message, /expects the packet to go through Service web, but it met no Service on its way/);
  });

  it('trace from the outside client to a NodePort with Cluster: dnat+snat passes, dnat fails', async () => {
    const to = { type: 'trace', from: 'outside', to: 'node1', proto: 'tcp', port: 30080 } as const;
    const ok = await check({ ...to, expect: { disposition: 'DELIVERED', service: 'only-c', nat: 'dnat+snat' } });
    assert.equal(ok.passed, true, ok.message);
    const kept = await check({ ...to, expect: { nat: 'dnat' } });
    assert.equal(kept.passed, false);
    assert.match(kept.message, /expects the sender's source to be kept, but it was rewritten too: DNAT and SNAT \(source became 192\.168\.1\.100\)/);
  });

  it('httpAnswer: the NodePort answers with node1\'s address as the source; the Pod IP does not answer the outside client', async () => {
    const masq = await check({ type: 'httpAnswer', from: 'outside', to: 'node1', port: 30080, answeredBy: ['pod-c'], sawSource: 'node1' });
    assert.equal(masq.passed, true, masq.message);
    const kept = await check({ type: 'httpAnswer', from: 'outside', to: 'node1', port: 30080, sawSource: 'outside' });
    assert.match(kept.message, /pod-c saw the request come from 192\.168\.1\.100 \(node1's address\), not from outside \(192\.168\.1\.50\)/);
    const podIp = await check({ type: 'httpAnswer', from: 'outside', to: 'pod-c', expect: false });
    assert.equal(podIp.passed, true, podIp.message);
    assert.match(podIp.message, /Network is unreachable/);
  });

  it('serviceEndpoints and serviceIpStable follow a re-created Pod: new endpoint IP, same ClusterIP', async () => {
    const oldIp = state.initialPods.get('pod-c')!.ip;
    await lab.deletePod('pod-c');
    const gone = await check({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a', 'pod-c'] });
    assert.match(gone.message, /pod-c is not in the lab right now/);
    assert.match((await check({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a'] })).message, /exactly pod-a/);
    await lab.addPod({ name: 'pod-c', node: 'node2', labels: { app: 'web' } });
    const st = await lab.status();
    assert.notEqual(st.pods.find((p) => p.name === 'pod-c')!.ip, oldIp);
    const back = await check({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a', 'pod-c'] });
    assert.equal(back.passed, true, back.message);
    const stable = await check({ type: 'serviceIpStable', service: 'web' });
    assert.equal(stable.passed, true, stable.message);
    assert.match(stable.message, /^web still has 10\.96\.0\.100/);
    const each = await check({ type: 'httpAnswer', from: 'pod-b', to: 'web', answeredBy: ['pod-a', 'pod-c'], each: true, sawSource: 'pod-b' });
    assert.equal(each.passed, true, each.message);
  });
});
