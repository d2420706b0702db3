import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../src/util/exec';
import { dockerEngineUnavailable } from './engine';
import { REPO, alive, enginePaths } from './enginePaths';

const tsx = join(REPO, 'node_modules/.bin/tsx');
const fixture = join(REPO, 'test/support/docker/engineUserFixture.ts');

/** Live pids registered as engine users (any process, this one included). */
function liveUsers(): number[] {
  const p = enginePaths();
  return existsSync(p.usersDir) ? readdirSync(p.usersDir).map(Number).filter(alive) : [];
}

describe('test Docker engine shared between processes', function () {
  this.timeout(120_000);
  let scratch: string;

  before(function () {
    const reason = dockerEngineUnavailable();
    if (reason && !process.env.CI) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    scratch = mkdtempSync(join(tmpdir(), 'podnet-engine-'));
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('a second process joins the running dockerd, its exit leaves it running, and the last user to leave stops it', async () => {
    const release = join(scratch, 'release');
    let firstLine = '';
    const holder = run([tsx, fixture, release], { timeoutMs: 100_000, onStdout: (t) => (firstLine += t) });
    const deadline = Date.now() + 60_000;
    while (!firstLine.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const held = JSON.parse(firstLine) as { pid: number; host: string };

    const visitor = await run([tsx, fixture], { timeoutMs: 60_000 });
    assert.equal(visitor.code, 0, visitor.stderr);
    assert.equal((JSON.parse(visitor.stdout) as { pid: number }).pid, held.pid, 'the second process started a dockerd of its own');
    assert.ok(alive(held.pid), "dockerd stopped when a process that did not start it left");
    const version = await run(['docker', 'version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: held.host } });
    assert.equal(version.code, 0, version.stderr);

    writeFileSync(release, '');
    assert.equal((await holder).code, 0);
    const others = liveUsers();
    if (others.length === 0) {
      assert.ok(!alive(held.pid), 'the last user left but dockerd still runs');
      assert.ok(!existsSync(`/run/netns/${enginePaths().netns}`), "the engine's network namespace is still there");
    } else {
      // Other test processes (this one, or another helper's) still use it: it must keep running for them.
      assert.ok(alive(held.pid), `dockerd stopped while ${others.join(', ')} still use it`);
    }
  });
});
