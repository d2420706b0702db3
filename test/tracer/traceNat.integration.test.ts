/** The article's contrast on the real lab: a Docker-style host rewrites addresses, Pod-to-Pod traffic does not. */
import { strict as assert } from 'node:assert';
import type { TraceResult } from '../../src/tracer/types';
import { runCli, runCliOk, testableModes } from '../support/cli';

for (const mode of testableModes()) {
  describe(`podnet trace through the Docker-style host (${mode})`, function () {
    this.timeout(120_000);
    const lab = `itnat-${mode === 'root' ? 'root' : 'user'}`;

    async function trace(args: string[], expectedCode = 0): Promise<TraceResult> {
      const res = await runCli(mode, ['trace', '--lab', lab, '--json', ...args]);
      assert.equal(res.code, expectedCode, `trace ${args.join(' ')} exited ${res.code}: ${res.stderr}${res.stdout.slice(0, 1500)}`);
      return JSON.parse(res.stdout) as TraceResult;
    }

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q', '--with-docker-host']);
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('a container leaving the host is masqueraded: predicted, and the receiver sees the host address', async () => {
      const t = await trace(['web-a', 'node1']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.deepEqual(t.nat.map((c) => [c.field, c.to]), [['srcIP', '192.168.1.10']]);
      const masq = t.hops.find((h) => h.rows.some((r) => r.kind === 'filter' && r.rule.verdict === 'nat'));
      assert.equal(masq?.where, 'docker-host');
      assert.match(JSON.stringify(masq?.rows), /masquerade/);
      assert.equal(t.verification?.matches, true, t.verification?.differences.join('; '));
      assert.equal(t.verification?.natVerdict, 'nat');
      assert.match(t.verification!.natEvidence, /saw source 192\.168\.1\.10, but the sender's address is 172\.17\./);
    });

    it('the published port maps host:8081 to the container:8080, and the container sees the real client', async () => {
      const t = await trace(['node1', '192.168.1.10:8081']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.equal(t.hops[t.hops.length - 1].namespace, 'container/web-a');
      assert.deepEqual(t.nat.map((c) => c.field).sort(), ['dstIP', 'dstPort']);
      assert.equal(t.delivered?.dstPort, 8080);
      assert.equal(t.verification?.matches, true, t.verification?.differences.join('; '));
      assert.equal(t.verification?.natVerdict, 'nat');
      assert.match(t.verification!.natEvidence, /reported source 192\.168\.1\.100, the sender's own address, but the destination 192\.168\.1\.10:8081 was rewritten to 172\.17\.0\.\d+:8080/);
    });

    it('next to it, a Pod-to-Pod trace shows neither rewrite', async () => {
      const t = await trace(['pod-a', 'pod-c', '--proto', 'tcp']);
      assert.deepEqual(t.nat, []);
      assert.equal(t.verification?.natVerdict, 'no-nat');
    });

    it("a Pod to the host's published port: the request arrives, the reply cannot return (no route to Pods), exit 4", async () => {
      const res = await runCli(mode, ['trace', '--lab', lab, 'pod-a', '192.168.1.10:8081']);
      assert.equal(res.code, 4, res.stdout);
      assert.match(res.stdout, /but REPLY-PATH-BROKEN: the request arrived at web-a .*, the reply cannot return: docker-host has no route to 10\.244\.1\.\d+/);
      const t = await trace(['pod-a', '192.168.1.10:8081', '--no-verify'], 4);
      assert.equal(t.disposition, 'DELIVERED');
      assert.equal(t.returnPath?.disposition, 'NO_ROUTE');
    });

    it('the Docker host is outside the cluster network: it has no route to a Pod', async () => {
      const t = await trace(['docker-host', 'pod-c'], 4);
      assert.equal(t.disposition, 'NO_ROUTE');
      assert.equal(t.hops[0].where, 'docker-host');
    });
  });
}
