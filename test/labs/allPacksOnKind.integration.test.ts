import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import type { LabRunResult } from '../../src/labs/runner';
import { run, type RunResult } from '../../src/util/exec';
import { dockerEngineForTest, type DockerEngine } from '../support/docker/engine';
import { installKindStandIn, type KindStandIn } from '../support/kindStandIn/install';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** The built-in packs with no Docker-style host, outside client or router and no --wire/--docker-host/--client/--router action, in order. */
const ON_KIND = ['own-ip', 'shared-netns', 'veth-bridge', 'same-node-journey', 'cross-node-journey', 'ephemeral-ips', 'stable-address'];

for (const cni of ['bridge', 'kindnet'] as const) describe(`every built-in pack that can run on kind, on a --cni ${cni} cluster made with the kind stand-in (prints passed/total checks per pack)`, function () {
  this.timeout(1_800_000);
  let engine: DockerEngine;
  let kind: KindStandIn;
  const name = `pn-all-${cni}`;
  const podnet = (args: string[], timeoutMs = 900_000): Promise<RunResult> => run([process.execPath, CLI, ...args], { env: kind.env, timeoutMs });
  const results = new Map<string, LabRunResult>();

  before(async function () {
    engine = await dockerEngineForTest(this);
    kind = installKindStandIn(engine);
    const created = await podnet(['kind', 'create', '--name', name, '--cni', cni]);
    assert.equal(created.code, 0, created.stderr);
  });
  after(async () => {
    for (const [id, r] of results) {
      const checks = r.steps.flatMap((s) => s.checks);
      console.log(`    ${cni} ${id}: ${checks.filter((c) => c.passed).length}/${checks.length} checks${r.error ? ` (${r.error})` : ''}`);
      for (const s of r.steps) {
        for (const c of s.checks.filter((x) => !x.passed)) console.log(`      ✗ ${s.id}: ${c.title}: ${c.message.slice(0, 300)}`);
        if (s.checks.some((c) => !c.passed && c.type === 'actionOutput')) for (const a of s.actions) console.log(`        $ ${a.argv.join(' ')}\n${a.stdout.split('\n').slice(0, 6).map((l) => `          ${l}`).join('\n')}`);
      }
    }
    await kind?.cleanup();
  });

  for (const id of ON_KIND) {
    it(`${id} runs on kind to the end`, async () => {
      const res = await podnet(['lab', 'run', id, '--kind', name, '--json']);
      const r = JSON.parse(res.stdout) as LabRunResult;
      results.set(id, r);
      assert.equal(r.error, undefined, res.stderr);
      assert.equal(r.steps.length > 0, true);
    });
  }
});
