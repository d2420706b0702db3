import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterWatcher } from '../../../../src/providers/kube/api/clusterWatcher';
import { describeApiError } from '../../../../src/providers/kube/api/errors';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import type { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('API errors as one sentence (kube-apiserver stand-in and dead ports on 127.0.0.1)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-apierr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a port nothing listens on gives the unreachable sentence at once, from the watcher too', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const target = loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: { url } }) });
    const watcher = new ClusterWatcher(target);
    await assert.rejects(watcher.start(), (e: KubeAccessError) => {
      assert.equal(e.code, 'UNREACHABLE');
      assert.equal(e.message, `cannot reach the API server at ${url} (ECONNREFUSED) to list ${e.message.includes('list nodes') ? 'nodes' : 'pods'}: check that the cluster is running and that the kubeconfig's server address is right`);
      assert.ok(e.cause, 'the socket error is kept as cause');
      return true;
    });
    watcher.stop();
  });

  it('a server that accepts but never answers fails after the request timeout instead of hanging', async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(silent.address() as { port: number }).port}`; // the TLS handshake never completes
    try {
      const api = new KubeApi(loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: { url } }) }), { requestTimeoutMs: 300 });
      await assert.rejects(api.listPods(), (e: KubeAccessError) => e.code === 'UNREACHABLE' && e.message.startsWith(`cannot reach the API server at ${url} (no answer in time)`));
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  });

  it('a refused token (401 from the stand-in) gives the credentials sentence naming the context', async () => {
    const standIn = await KubeApiStandIn.start();
    try {
      const target = loadKubeTarget({ kubeconfig: writeKubeconfig(dir, { target: standIn, context: 'kind-lab', user: { token: 'stale' } }) });
      await assert.rejects(new ClusterWatcher(target).start(), (e: KubeAccessError) => {
        assert.equal(e.code, 'UNAUTHORIZED');
        assert.equal(e.message, `the credentials of context kind-lab were refused by ${standIn.url} (expired?): log in again or refresh the kubeconfig, then retry`);
        return true;
      });
    } finally {
      await standIn.close();
    }
  });

  it('a namespaced 403 names the namespace and keeps the server message; other statuses keep the server message', () => {
    const body = JSON.stringify({ kind: 'Status', message: 'pods "x" is forbidden: User "u" cannot create resource "pods" in API group "" in the namespace "shop"', code: 403 });
    const e = describeApiError(Object.assign(new Error('HTTP-Code: 403'), { code: 403, body }), { verb: 'create', resource: 'pods', namespace: 'shop', name: 'x' });
    assert.equal(e.code, 'FORBIDDEN');
    assert.match(e.message, /^cannot create pods in namespace shop \(forbidden by RBAC: pods "x" is forbidden: .*\); ask an admin for RBAC permission$/);
    const other = describeApiError(Object.assign(new Error('HTTP-Code: 500'), { code: 500, body: JSON.stringify({ message: 'etcdserver: request timed out' }) }), { verb: 'list', resource: 'pods', server: 'https://k:6443' });
    assert.equal(other.message, 'list pods at cluster scope failed at https://k:6443 with HTTP 500: etcdserver: request timed out');
    assert.equal(other.code, 'FAILED');
  });
});
