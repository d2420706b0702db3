/**
 * `podnet trace` verified on real two-subnet labs (root and rootless): through the vxlan overlay the probe's outer packet
 * is observed at the router (node IP -> node IP, UDP 8472) and the inner one in the nodes; routed nodes across the router
 * stop at the router, as predicted.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceResult } from '../../src/tracer/types';
import { runCli, runCliOk, testableModes } from '../support/cli';
import { twoSubnetTopology } from './support/overlaySnapshots';

for (const mode of testableModes()) {
  describe(`podnet trace through a vxlan overlay and across a router, verified (${mode})`, function () {
    this.timeout(180_000);
    const suffix = mode === 'root' ? 'root' : 'user';
    const overlay = `ivxver-${suffix}`;
    const routed = `ivxrou-${suffix}`;
    let dir: string;

    async function trace(lab: string, args: string[], expectedCode: number): Promise<TraceResult> {
      const res = await runCli(mode, ['trace', '--lab', lab, '--json', ...args]);
      assert.equal(res.code, expectedCode, `trace ${args.join(' ')} exited ${res.code}: ${res.stderr}${res.stdout.slice(0, 3000)}`);
      return JSON.parse(res.stdout) as TraceResult;
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'podnet-vxlan-verify-'));
      chmodSync(dir, 0o755);
      for (const [lab, cni] of [[overlay, 'vxlan'], [routed, 'bridge']] as const) {
        const file = join(dir, `${cni}.yaml`);
        writeFileSync(file, twoSubnetTopology(cni));
        chmodSync(file, 0o644);
        await runCli(mode, ['lab', 'down', '--lab', lab]);
        await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q', '--topology', file]);
      }
    });
    after(async () => {
      for (const lab of [overlay, routed]) await runCli(mode, ['lab', 'down', '--lab', lab]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('ICMP pod-a -> pod-b: every hop observed; the router saw only the outer packet node1 -> node2, UDP 8472, TTL 63; no NAT for the Pod', async () => {
      const t = await trace(overlay, ['pod-a', 'pod-b'], 0);
      assert.equal(t.disposition, 'DELIVERED');
      assert.deepEqual(t.verification?.differences, []);
      for (const h of t.hops) assert.equal(h.observation?.observed, true, `hop ${h.index} ${h.where} ${h.decision} not observed`);
      for (const h of t.hops.filter((x) => x.kernel)) assert.equal(h.kernel!.agrees, true, `kernel disagrees at hop ${h.index}: ${JSON.stringify(h.kernel)}`);
      const router = t.hops.find((h) => h.namespace === 'router/router' && h.decision === 'forward')!;
      assert.deepEqual(router.observation?.headers, { srcIP: '192.168.1.100', dstIP: '192.168.2.100', proto: 'udp', srcPort: router.observation?.headers?.srcPort, dstPort: 8472 });
      assert.match(router.observation!.where![0], /^inet (forward|postrouting) iif eth0 oif eth1: outer packet 192\.168\.1\.100 -> 192\.168\.2\.100 udp 8472 ttl 63$/);
      assert.deepEqual(router.kernel?.kernel?.dev, 'eth1', 'the router\'s kernel routes the outer destination');
      const encap = t.hops.find((h) => h.decision === 'encap')!;
      assert.match(encap.observation!.where![0], /oif eth0: outer packet 192\.168\.1\.100 -> 192\.168\.2\.100 udp 8472 ttl 64/);
      const decap = t.hops.find((h) => h.decision === 'decap')!;
      assert.match(decap.observation!.where![0], /^inet input iif eth0: outer packet/);
      const arrived = t.hops[t.hops.length - 1].observation?.headers;
      assert.equal(arrived?.srcIP, t.request.from.ip, 'pod-b\'s kernel saw pod-a\'s own address');
      assert.equal(arrived?.ttl, 62);
      assert.equal(t.verification?.natVerdict, 'no-nat');
      assert.equal(t.verification?.ttlCheck.ok, true);
    });

    it('HTTP pod-a -> pod-b:8080 through the tunnel: the web server reports pod-a\'s own IP; the outer SYN is seen at the router', async () => {
      const t = await trace(overlay, ['pod-a', 'pod-b:8080'], 0);
      assert.equal(t.request.proto, 'tcp');
      assert.deepEqual(t.verification?.differences, []);
      assert.match(t.verification!.natEvidence, new RegExp(`web server reported source ${t.request.from.ip.replace(/\./g, '\\.')}`));
      const router = t.hops.find((h) => h.namespace === 'router/router')!;
      assert.equal(router.observation?.headers?.dstPort, 8472);
    });

    it('routed nodes across the router: the probe dies at the router as predicted (NO_ROUTE, the kernel agrees there is no route)', async () => {
      const t = await trace(routed, ['pod-a', 'pod-b'], 4);
      assert.equal(t.disposition, 'NO_ROUTE');
      assert.match(t.reason!, /knows only the node subnets/);
      const last = t.hops[t.hops.length - 1];
      assert.equal(last.namespace, 'router/router');
      assert.equal(last.observation?.observed, true, 'the probe reached the router');
      assert.equal(last.kernel?.agrees, true, JSON.stringify(last.kernel));
      assert.deepEqual(t.verification?.differences, []);
      assert.notEqual(t.verification?.outcome.kind, 'answered');
    });
  });
}
