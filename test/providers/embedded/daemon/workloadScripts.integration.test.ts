/** The embedded web workload's answers, from the installed scripts served by a real busybox httpd on loopback. */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installWorkloadFiles } from '../../../../src/providers/embedded/daemon/workloadScripts';
import { run } from '../../../../src/util/exec';

const PORT = 18000 + (process.pid % 1000);
const ENV = { POD_NAME: 'pod-a', NODE_NAME: 'node1', CONTAINER_NAME: 'web', POD_IP: '10.244.1.2', CONTAINER_PORT: String(PORT) };

describe('the embedded web workload (busybox httpd on 127.0.0.1)', () => {
  let dir: string;
  let server: ChildProcess;
  const get = async (path: string) => {
    const res = await run(['busybox', 'wget', '-q', '-O', '-', `http://127.0.0.1:${PORT}${path}`], { timeoutMs: 5_000 });
    assert.equal(res.code, 0, `GET ${path}: ${res.stderr}`);
    return res.stdout;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-web-'));
    const files = installWorkloadFiles(dir);
    server = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${PORT}`, '-h', files.webRoot], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if ((await run(['busybox', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${PORT}/`], { timeoutMs: 2_000 })).code === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`busybox httpd did not answer on 127.0.0.1:${PORT}`);
  });
  after(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with JSON naming the Pod, the container and the source it saw', async () => {
    const j = JSON.parse(await get('/')) as Record<string, unknown>;
    assert.equal(j.pod, 'pod-a');
    assert.equal(j.container, 'web');
    assert.equal(j.sawSource, '127.0.0.1');
  });

  it('answers agnhost netexec\'s /hostname with the Pod\'s name, as agnhost does', async () => {
    assert.equal((await get('/hostname')).trim(), 'pod-a');
  });

  it('answers agnhost netexec\'s /clientip with the IP:PORT it saw', async () => {
    assert.match((await get('/clientip')).trim(), /^127\.0\.0\.1:\d+$/);
  });
});
