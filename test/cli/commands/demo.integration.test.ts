/** `podnet demo` end to end: the article's claims observed on a real lab, which is gone afterwards. */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { runCli, runtimeDirFor, testableModes } from '../../support/cli';
import { processesWithArgs } from '../../support/hostState';

interface DemoReport {
  pods: { name: string; node: string; ip: string }[];
  facts: { id: string; passed: boolean; evidence: string[] }[];
  passed: boolean;
}

for (const mode of testableModes()) {
  describe(`podnet demo (${mode})`, function () {
    this.timeout(120_000);

    it('observes every claim of the article and exits 0, leaving no lab behind', async () => {
      const res = await runCli(mode, ['demo', '--json', '--lab', `idemo-${mode === 'root' ? 'root' : 'user'}`]);
      assert.equal(res.code, 0, res.stderr + res.stdout);
      const report = JSON.parse(res.stdout) as DemoReport;
      assert.deepEqual(report.facts.map((f) => f.id), ['own-ip', 'shared-netns', 'same-port', 'no-nat', 'node-to-pod', 'ephemeral-ip']);
      for (const f of report.facts) assert.ok(f.passed, `${f.id}: ${f.evidence.join('; ')}`);
      assert.equal(report.passed, true);
      const podA = report.pods.find((p) => p.name === 'pod-a')!;
      const noNat = report.facts.find((f) => f.id === 'no-nat')!;
      assert.match(noNat.evidence[0], new RegExp(`saw the request come from ${podA.ip.replace(/\./g, '\\.')}`));
      assert.deepEqual(processesWithArgs('__lab-process', '--lab', `idemo-${mode === 'root' ? 'root' : 'user'}`), []);
      assert.deepEqual(readdirSync(runtimeDirFor(mode)).filter((f) => f.startsWith('idemo-') && !f.endsWith('.log')), []);
    });

    it('prints the Pods like kubectl and a PASS line per fact in text mode', async () => {
      const res = await runCli(mode, ['demo', '--lab', `idemo2-${mode === 'root' ? 'root' : 'user'}`]);
      assert.equal(res.code, 0, res.stderr + res.stdout);
      assert.match(res.stdout, /NAME\s+READY\s+STATUS\s+IP\s+NODE\npod-a\s+2\/2\s+Running\s+10\.244\.1\.\d+\s+node1/);
      assert.equal((res.stdout.match(/^ {2}PASS {2}/gm) ?? []).length, 6);
      assert.match(res.stdout, /6\/6 facts observed/);
    });
  });
}
