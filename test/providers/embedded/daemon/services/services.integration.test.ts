/**
 * Services in the embedded lab on the real kernel, as root and as an unprivileged user: kube-proxy-style nft rules on every node
 * (ClusterIP DNAT without SNAT, NodePort with Cluster masquerading and Local keeping the client, hairpin, reject without endpoints),
 * endpoints following Pods live, Services added and deleted at run time, and the outside client.
 */
import { strict as assert } from 'node:assert';
import type { ExecResult, ExecTarget, LabEvent, LabStatus, ServiceInfo } from '../../../../../src/providers/embedded/control/protocol';
import { kubeProxyRuleset } from '../../../../../src/providers/embedded/daemon/services/kubeProxyRules';
import { testableModes } from '../../../../support/cli';
import { startOverlayLab, type OverlayLab } from '../../overlay/support/overlayLab';
import { servicesLab, servicesOverVxlan } from './topologies';

/** What the web workload answers. */
interface WebAnswer {
  pod: string;
  podIP: string;
  sawSource: string;
}

const CLIENT: ExecTarget = { kind: 'client' };
const POD_C: ExecTarget = { kind: 'pod', pod: 'pod-c' };
const ipOf = (st: LabStatus, pod: string): string => st.pods.find((p) => p.name === pod)?.ip ?? assert.fail(`no Pod ${pod}`);
const service = (st: LabStatus, name: string): ServiceInfo => st.services?.find((s) => s.name === name) ?? assert.fail(`no Service ${name}`);

for (const mode of testableModes()) {
  describe(`Services in the embedded lab (${mode})`, function () {
    this.timeout(180_000);
    let lab: OverlayLab;
    const events: LabEvent[] = [];
    const status = () => lab.call('status', {});
    const wget = (target: ExecTarget, url: string, timeoutSec = 3): Promise<ExecResult> =>
      // busybox timeout, not wget -T: busybox wget's own timer ends it by a signal even when the answer came in time.
      lab.exec(target, ['busybox', 'timeout', String(timeoutSec), 'busybox', 'wget', '-q', '-O', '-', url], (timeoutSec + 5) * 1000);
    const answer = async (target: ExecTarget, url: string): Promise<WebAnswer> => {
      const res = await wget(target, url);
      assert.equal(res.code, 0, `wget ${url}: ${res.stdout}${res.stderr}`);
      return JSON.parse(res.stdout) as WebAnswer;
    };
    const rules = async (node: string) => {
      const res = await lab.exec({ kind: 'node', node }, ['nft', 'list', 'table', 'ip', 'kube-proxy']);
      assert.equal(res.code, 0, res.stderr);
      return res.stdout;
    };

    before(async () => {
      lab = await startOverlayLab(mode, `isvc-${mode === 'root' ? 'root' : 'user'}`, servicesLab('services'));
      await lab.watch((e) => events.push(e));
    });
    after(async () => lab?.down());

    it('reports the Services with their endpoints, the service range and the client, and builds them as one step after the Pods', async () => {
      const st = lab.status;
      assert.equal(st.serviceCIDR, '10.96.0.0/12');
      assert.deepEqual(st.client, { name: 'outside', ip: '192.168.1.50', wirePort: 'wire0-c1' });
      assert.deepEqual(service(st, 'web').endpoints.map((e) => [e.pod, e.ip, e.node, e.ready, e.ports[0].port]), [
        ['pod-a', ipOf(st, 'pod-a'), 'node1', true, 8080], ['pod-b', ipOf(st, 'pod-b'), 'node2', true, 8080],
      ]);
      assert.deepEqual(service(st, 'lonely').endpoints, []);
      assert.deepEqual(service(st, 'web-np').ports, [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }]);
      assert.match(lab.progress.at(-1) ?? '', /^services: kube-proxy rules \(nftables\) on 2 node\(s\)/);
      for (const node of ['node1', 'node2']) assert.match(await rules(node), /map service-ips \{/);
    });

    it('reaches a ClusterIP from a Pod: DNAT to either endpoint, and the endpoint sees the Pod\'s own IP (no SNAT)', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 24 && seen.size < 2; i++) {
        const a = await answer(POD_C, 'http://10.96.0.100:80/');
        assert.equal(a.sawSource, ipOf(lab.status, 'pod-c'));
        seen.add(a.pod);
      }
      assert.deepEqual([...seen].sort(), ['pod-a', 'pod-b']);
    });

    it('masquerades hairpin traffic: a Pod reaching itself through its Service sees its node\'s bridge address as the source', async () => {
      const a = await answer(POD_C, 'http://10.96.0.104:80/');
      assert.equal(a.pod, 'pod-c');
      assert.equal(a.sawSource, '10.244.1.1');
    });

    it('refuses a connection to a Service without endpoints, as kube-proxy\'s reject does', async () => {
      const res = await wget(POD_C, 'http://10.96.0.103:80/');
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /refused/i);
    });

    it('gives the outside client no route to Pods or Services, but a NodePort on every node\'s IP, masqueraded with Cluster', async () => {
      assert.equal((await lab.exec(CLIENT, ['hostname'])).stdout.trim(), 'outside');
      const route = await lab.route(CLIENT); // what interactive `podnet exec --client` joins
      assert.match(route.netns, /\/ns\/client-outside\.net$/);
      assert.equal(route.env.NODE_NAME, 'outside');
      for (const dst of [ipOf(lab.status, 'pod-a'), '10.96.0.100']) {
        const res = await lab.exec(CLIENT, ['ip', 'route', 'get', dst]);
        assert.notEqual(res.code, 0, `the client has a route to ${dst}: ${res.stdout}`);
      }
      const nodeSide = ['192.168.1.100', '192.168.1.101', '10.244.1.1', '10.244.2.1'];
      for (const nodeIP of ['192.168.1.100', '192.168.1.101']) {
        const a = await answer(CLIENT, `http://${nodeIP}:30080/`);
        assert.ok(['pod-a', 'pod-b'].includes(a.pod), a.pod);
        assert.ok(nodeSide.includes(a.sawSource), `source ${a.sawSource} is not the node's (client 192.168.1.50 must be masqueraded)`);
      }
    });

    it('keeps the client\'s address with Local, and drops on a node without a local endpoint', async () => {
      const a = await answer(CLIENT, 'http://192.168.1.101:30081/');
      assert.deepEqual([a.pod, a.sawSource], ['pod-b', '192.168.1.50']);
      const res = await wget(CLIENT, 'http://192.168.1.100:30081/', 2);
      assert.notEqual(res.code, 0, 'node1 has no endpoint of web-local');
      assert.doesNotMatch(res.stderr, /refused/i, 'dropped, not refused');
    });

    it('holds exactly the table the generator writes for this node (nft -f of the generator output in the lab namespace changes nothing)', async () => {
      const before = await rules('node1');
      const st = await status();
      const input = {
        node: { name: 'node1', ip: '192.168.1.100' }, clusterCIDR: st.topology.clusterCIDR, serviceCIDR: st.serviceCIDR ?? '',
        services: (st.topology.services ?? []).map((spec) => ({
          spec, endpoints: service(st, spec.name).endpoints.map((e) => ({ ...e, port: e.ports[0].port })),
        })),
      };
      const load = await lab.exec({ kind: 'node', node: 'node1' }, ['nft', '-f', '-'], 20_000, kubeProxyRuleset(input));
      assert.equal(load.code, 0, load.stderr);
      assert.equal(await rules('node1'), before);
    });

    it('keeps the ClusterIP while endpoints follow a Pod that is deleted and re-created with a new IP', async () => {
      const oldIP = ipOf(await status(), 'pod-b');
      events.length = 0;
      await lab.call('deletePod', { name: 'pod-b' });
      let st = await status();
      assert.deepEqual(service(st, 'web').endpoints.map((e) => e.pod), ['pod-a']);
      assert.ok(!(await rules('node1')).includes(`${oldIP}:8080`), 'the deleted endpoint left node1\'s rules');
      const webUpdates = events.filter((e) => e.event === 'service' && e.change === 'updated' && e.service.name === 'web');
      assert.ok(webUpdates.length > 0, 'watchers heard the endpoint change');
      await lab.call('addPod', { name: 'pod-b', node: 'node2', containers: [{ name: 'web', workload: 'web', port: 8080 }], labels: { app: 'web' } });
      st = await status();
      const newIP = ipOf(st, 'pod-b');
      assert.notEqual(newIP, oldIP);
      assert.equal(service(st, 'web').clusterIP, '10.96.0.100');
      assert.deepEqual(service(st, 'web').endpoints.map((e) => e.ip), [ipOf(st, 'pod-a'), newIP]);
      assert.match(await rules('node1'), new RegExp(`dnat to ${newIP.replace(/\./g, '\\.')}:8080`));
      const local = await answer(CLIENT, 'http://192.168.1.101:30081/');
      assert.deepEqual([local.pod, local.podIP], ['pod-b', newIP]);
    });

    it('adds and deletes a Service at run time on every node; refuses a duplicate node port, and a Pod named like a Service or the client', async () => {
      const added = await lab.call('addService', { name: 'late', selector: { labels: { app: 'web' } }, port: 8000, targetPort: 8080, type: 'NodePort', nodePort: 30090 });
      assert.equal(added.endpoints.length, 2);
      assert.ok(events.some((e) => e.event === 'service' && e.change === 'added' && e.service.name === 'late'));
      const a = await answer(POD_C, `http://${added.clusterIP}:8000/`);
      assert.ok(['pod-a', 'pod-b'].includes(a.pod));
      const tables = [await rules('node1'), await rules('node2')];
      await assert.rejects(lab.call('addService', { name: 'clash', selector: { labels: { app: 'web' } }, port: 80, type: 'NodePort', nodePort: 30090 }), /30090/);
      assert.deepEqual([await rules('node1'), await rules('node2')], tables);
      for (const name of ['late', 'outside']) {
        const req = { name, node: 'node1', containers: [{ name: 'web', workload: 'web' as const, port: 8080 }] };
        await assert.rejects(lab.call('addPod', req), /already the name of (a Service|the outside client)/, `a Pod named ${name}`);
      }
      assert.deepEqual(await lab.call('deleteService', { name: 'late' }), { name: 'late', clusterIP: added.clusterIP });
      assert.ok(!(await rules('node2')).includes('/late/'));
      assert.ok(!(await status()).services?.some((s) => s.name === 'late'));
    });
  });
}

for (const mode of testableModes()) {
  describe(`Services over Flannel-style vxlan across a router (${mode})`, function () {
    this.timeout(180_000);
    let lab: OverlayLab;
    const get = async (target: ExecTarget, url: string): Promise<WebAnswer> => {
      const res = await lab.exec(target, ['busybox', 'timeout', '3', 'busybox', 'wget', '-q', '-O', '-', url], 10_000);
      assert.equal(res.code, 0, `wget ${url}: ${res.stdout}${res.stderr}`);
      return JSON.parse(res.stdout) as WebAnswer;
    };
    before(async () => {
      lab = await startOverlayLab(mode, `isvx-${mode === 'root' ? 'root' : 'user'}`, servicesOverVxlan('svc-vxlan'));
    });
    after(async () => lab?.down());

    it('DNATs a ClusterIP to the Pod on the far subnet through the tunnel, keeping the Pod source; NodePorts work from the client on both subnets', async () => {
      const podA = ipOf(lab.status, 'pod-a');
      const seen = new Set<string>();
      for (let i = 0; i < 24 && !seen.has('pod-b'); i++) {
        const a = await get({ kind: 'pod', pod: 'pod-a' }, 'http://10.96.0.100:80/');
        if (a.pod === 'pod-b') assert.equal(a.sawSource, podA, 'pod-b sees pod-a itself');
        seen.add(a.pod);
      }
      assert.ok(seen.has('pod-b'), 'the far endpoint was reached');
      for (const nodeIP of ['192.168.1.100', '192.168.2.100']) {
        const a = await get({ kind: 'client' }, `http://${nodeIP}:30080/`);
        assert.notEqual(a.sawSource, '192.168.1.50', 'Cluster policy masquerades');
      }
    });
  });
}
