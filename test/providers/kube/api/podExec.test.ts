import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import type { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { eventually } from './eventLog';
import { podObject } from './fixtures';

describe('KubeApi.exec through the kube-apiserver stand-in (real WebSocket, channel.k8s.io, real local programs)', () => {
  let standIn: KubeApiStandIn;
  let dir: string;
  let api: KubeApi;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-exec-'));
    // The handler runs the requested argv on this machine, as a node container's `docker exec` would inside it.
    standIn = await KubeApiStandIn.start({ execHandler: (_pod, _container, argv) => ({ argv }) });
    standIn.upsert(podObject('default', 'web-1', 'node-a', '10.244.1.5'));
    api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn }) }));
  });

  after(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects stdout and stderr separately and exit code 0, negotiating v5.channel.k8s.io', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['sh', '-c', 'echo out; echo err >&2']);
    assert.deepEqual(r, { code: 0, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    const session = standIn.execSessions.at(-1);
    assert.equal(session?.protocol, 'v5.channel.k8s.io');
    assert.equal(session?.container, 'web');
    assert.deepEqual(session?.command, ['sh', '-c', 'echo out; echo err >&2']);
  });

  it('reads a non-zero exit code from the status channel', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['sh', '-c', 'echo failing >&2; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'failing\n');
    assert.equal(r.timedOut, false);
  });

  it('sends input on stdin and closes it, so cat echoes it back', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['cat'], { input: 'hello\nsecond line\n' });
    assert.equal(r.stdout, 'hello\nsecond line\n');
    assert.equal(r.code, 0);
  });

  it('carries output larger than one WebSocket frame intact', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['head', '-c', '200000', '/dev/zero']);
    assert.equal(r.stdout.length, 200000);
  });

  it('on timeout resolves timedOut and closes the socket before the command ends', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['sleep', '3'], { timeoutMs: 200 });
    assert.equal(r.timedOut, true);
    const session = standIn.execSessions.at(-1);
    await eventually(() => session?.closedByClient === true, 'the stand-in saw the socket close');
    assert.equal(session?.code, undefined, 'the command had not finished when the socket closed');
  });

  it('a command the runtime cannot start gives exit code 127 and the runtime message on stderr', async () => {
    const r = await api.exec('default', 'web-1', 'web', ['podnet-no-such-program']);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /executable file not found/);
  });

  it('a forbidden pods/exec is one sentence naming the verb, resource and namespace', async () => {
    standIn.forbid('create', 'pods/exec', 'default');
    try {
      await assert.rejects(api.exec('default', 'web-1', 'web', ['true']), (e: KubeAccessError) => {
        assert.equal(e.code, 'FORBIDDEN');
        assert.match(e.message, /^cannot create pods\/exec in namespace default/);
        return true;
      });
    } finally {
      standIn.access.allowAll();
    }
  });

  it('exec into a Pod that does not exist is a NOT_FOUND sentence', async () => {
    await assert.rejects(api.exec('default', 'ghost', 'web', ['true']), (e: KubeAccessError) => e.code === 'NOT_FOUND' && /ghost/.test(e.message));
  });
});

describe('KubeApi.exec timeout while connecting (a silent port on 127.0.0.1, no stand-in)', () => {
  it('resolves timedOut when the server never completes the WebSocket handshake', async () => {
    const held: Socket[] = [];
    const silent = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'podnet-exec-silent-'));
    try {
      const url = `https://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: { url } }) }));
      const r = await api.exec('default', 'web-1', 'web', ['true'], { timeoutMs: 300 });
      assert.deepEqual(r, { code: -1, stdout: '', stderr: '', timedOut: true });
    } finally {
      for (const s of held) s.destroy();
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
