/**
 * Verified traces through Services on a real embedded lab (kube-proxy-style nft rules on every node, the outside
 * client): the probe's endpoint is one of the predicted candidates, and the web workload's answer (the source it saw)
 * is the NAT evidence: source kept to a ClusterIP, SNAT for NodePort with Cluster, client IP kept with Local.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceResult } from '../../src/tracer/types';
import { runCli, runCliOk, testableModes } from '../support/cli';

const TOPOLOGY = `name: svc
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: pod-a, node: node1}
  - {name: pod-b, node: node1, labels: {app: web}}
  - {name: pod-c, node: node2, labels: {app: web}}
services:
  - {name: web, selector: {app: web}, port: 80, targetPort: 8080}
  - {name: web-np, selector: {app: web}, port: 80, targetPort: 8080, type: NodePort, nodePort: 30080}
  - {name: only-c, pods: [pod-c], port: 80, targetPort: 8080, type: NodePort, nodePort: 30081, externalTrafficPolicy: Local}
  - {name: empty, selector: {app: none}, port: 80, targetPort: 8080}
  - {name: dns, selector: {app: web}, port: 53, targetPort: 5353, protocol: udp}
client: {}
`;

for (const mode of testableModes()) {
  describe(`podnet trace through Services on a real lab (${mode})`, function () {
    this.timeout(180_000);
    const lab = `itsvc-${mode === 'root' ? 'root' : 'user'}`;
    const dir = mkdtempSync(join(tmpdir(), 'podnet-trace-svc-'));
    const ips: Record<string, string> = {};

    async function trace(args: string[], expectedCode = 0): Promise<TraceResult> {
      const res = await runCli(mode, ['trace', '--lab', lab, '--json', ...args]);
      assert.equal(res.code, expectedCode, `trace ${args.join(' ')} exited ${res.code}: ${res.stderr}${res.stdout.slice(0, 3000)}`);
      return JSON.parse(res.stdout) as TraceResult;
    }

    before(async () => {
      const file = join(dir, 'svc.yaml');
      writeFileSync(file, TOPOLOGY);
      // The unprivileged CLI reads it too.
      chmodSync(dir, 0o755);
      chmodSync(file, 0o644);
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q', '--topology', file]);
      const pods = JSON.parse((await runCliOk(mode, ['get', 'pods', '--lab', lab, '-o', 'json'])).stdout) as { name: string; ip: string }[];
      for (const p of pods) ips[p.name] = p.ip;
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('Pod to ClusterIP: the probe reaches one of the candidates, hops match the prediction for it, the source is kept', async () => {
      const reached = new Set<string>();
      // The kernel picks the endpoint at random: trace until both were reached (or 8 tries), checking every run.
      for (let i = 0; i < 8 && reached.size < 2; i++) {
        const t = await trace(['pod-a', 'web']);
        const v = t.verification!;
        assert.deepEqual(t.service?.candidates.map((c) => c.ip).sort(), [ips['pod-b'], ips['pod-c']].sort());
        assert.ok(v.chosenEndpoint && [ips['pod-b'], ips['pod-c']].includes(v.chosenEndpoint), `reached ${v.chosenEndpoint}`);
        assert.equal(t.service?.chosen, v.chosenEndpoint, 'the trace shows the prediction for the endpoint the probe reached');
        assert.equal(t.delivered?.dstIP, v.chosenEndpoint);
        assert.equal(v.matches, true, v.differences.join('; '));
        const routed = t.hops.filter((h) => h.decision === 'send' || h.decision === 'forward' || h.decision === 'deliver');
        assert.ok(routed.every((h) => h.kernel?.agrees), 'the kernel agrees with every routing hop of the path the probe took');
        assert.equal(v.outcome.kind, 'answered', v.outcome.detail);
        assert.equal(v.natVerdict, 'nat');
        assert.match(v.natEvidence, new RegExp(`^DNAT to an endpoint, source kept: the web server reported source ${ips['pod-a'].replace(/\./g, '\\.')}, the sender's own address`));
        reached.add(v.chosenEndpoint);
      }
      assert.equal(reached.size, 2, `8 probes all reached ${[...reached].join(', ')}`);
    });

    it('a Pod reaching itself through its Service (hairpin): bridged back out of its own port, masqueraded to cbr0\'s address, as predicted', async () => {
      // The kernel picks the endpoint at random: up to 8 tries to reach pod-b itself.
      let t: TraceResult | undefined;
      for (let i = 0; i < 8 && t?.verification?.chosenEndpoint !== ips['pod-b']; i++) t = await trace(['pod-b', 'web']);
      assert.equal(t?.verification?.chosenEndpoint, ips['pod-b'], '8 probes never reached pod-b itself');
      const v = t!.verification!;
      assert.equal(v.matches, true, v.differences.join('; '));
      assert.match(v.natEvidence, /^DNAT and SNAT \(source became 10\.244\.1\.1\): the web server reported source 10\.244\.1\.1/);
      assert.equal(t!.delivered?.ttl, 64, 'bridged, not routed');
    });

    it('a node to a ClusterIP: DNAT at its own output; through its own cbr0 the source became the bridge address, else it is kept', async () => {
      const t = await trace(['node2', 'web']);
      const v = t.verification!;
      assert.equal(v.matches, true, v.differences.join('; '));
      assert.equal(v.outcome.kind, 'answered', v.outcome.detail);
      const words = v.chosenEndpoint === ips['pod-c'] ? /^DNAT and SNAT \(source became 10\.244\.2\.1\): / : /^DNAT to an endpoint, source kept: the web server reported source 192\.168\.1\.101/;
      assert.match(v.natEvidence, words);
      assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
    });

    it('a node to its own NodePort: DNAT at its output, then routed to the endpoint (not delivered on lo), as predicted', async () => {
      const t = await trace(['node1', 'node1:30080']);
      const v = t.verification!;
      assert.equal(v.outcome.kind, 'answered', v.outcome.detail);
      assert.equal(v.matches, true, v.differences.join('; '));
      assert.notEqual(t.hops[0].ifOut, 'lo');
      assert.ok([ips['pod-b'], ips['pod-c']].includes(v.chosenEndpoint ?? ''), `reached ${v.chosenEndpoint}`);
    });

    it('the outside client to a NodePort with Cluster: DNAT and SNAT, the endpoint sees a node address', async () => {
      const t = await trace(['outside', 'node1:30080']);
      const v = t.verification!;
      assert.equal(t.request.from.kind, 'client');
      assert.equal(v.outcome.kind, 'answered', v.outcome.detail);
      assert.equal(v.matches, true, v.differences.join('; '));
      assert.match(v.natEvidence, /^DNAT and SNAT \(source became (192\.168\.1\.100|10\.244\.1\.1)\): the web server reported source /);
      assert.equal(t.returnPath?.disposition, 'DELIVERED', t.returnPath?.reason);
    });

    it('the outside client to a NodePort with Local: the client IP is kept; a node without an endpoint drops', async () => {
      const t = await trace(['outside', 'node2:30081']);
      assert.equal(t.verification?.outcome.kind, 'answered', t.verification?.outcome.detail);
      assert.match(t.verification!.natEvidence, /^DNAT, client IP kept: the web server reported source 192\.168\.1\.50, the sender's own address/);
      const u = await trace(['outside', 'node1:30081'], 4);
      assert.equal(u.disposition, 'DROPPED_BY_RULE');
      assert.match(u.reason ?? '', /node1 has no endpoint of Service only-c and its externalTrafficPolicy is Local/);
      assert.equal(u.verification?.matches, true, u.verification?.differences.join('; '));
      assert.equal(u.verification?.chosenEndpoint, undefined);
    });

    it('the outside client cannot reach a Pod IP: it has no route to the Pod range', async () => {
      const t = await trace(['outside', `${ips['pod-c']}:8080`], 4);
      assert.equal(t.disposition, 'NO_ROUTE');
      assert.equal(t.hops[0].namespace, 'client/outside');
      assert.match(t.reason ?? '', /is a Pod address: outside is on the node network.*node1:30080 \(Service web-np\)/);
      assert.match(t.verification?.outcome.detail ?? '', /^outside's own kernel refused to send it, as predicted/);
    });

    it('a Service without endpoints is refused, as predicted', async () => {
      const t = await trace(['pod-a', 'empty'], 4);
      assert.equal(t.disposition, 'DROPPED_BY_RULE');
      assert.match(t.reason ?? '', /^no endpoints: the Service selects no ready Pod/);
      assert.equal(t.verification?.outcome.kind, 'refused', t.verification?.outcome.detail);
      assert.match(t.verification!.outcome.detail, /refused by the reject rule in node1, as predicted/);
    });

    it('Pod to a UDP Service: the datagram is sent (bash /dev/udp where busybox nc has no -u), DNAT\'ed to a candidate, every hop seen', async () => {
      const t = await trace(['pod-a', 'dns']);
      const v = t.verification!;
      assert.equal(t.request.proto, 'udp');
      assert.notEqual(v.outcome.kind, 'not-sent', v.outcome.detail);
      assert.equal(v.matches, true, v.differences.join('; '));
      assert.ok([ips['pod-b'], ips['pod-c']].includes(v.chosenEndpoint ?? ''), `reached ${v.chosenEndpoint}`);
      assert.match(v.natEvidence, /^DNAT to an endpoint, source kept/);
    });

    it('Pod to Pod IP next to the Services: still no NAT', async () => {
      const t = await trace(['pod-a', 'pod-c', '--proto', 'tcp']);
      assert.deepEqual(t.nat, []);
      assert.equal(t.verification?.natVerdict, 'no-nat');
      assert.equal(t.service, undefined);
    });
  });
}
