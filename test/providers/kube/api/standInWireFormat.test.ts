import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../../src/util/exec';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn, STAND_IN_TOKEN } from '../../../support/kubeApiStandIn/server';
import { endpointSliceObject, serviceObject } from '../../../support/kubeApiStandIn/serviceObjects';
import { podObject } from './fixtures';

/** GETs a path from the stand-in and returns status and body (read until the server ends it). */
function get(s: KubeApiStandIn, path: string, token = STAND_IN_TOKEN): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { ca: s.caPem, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the kube-apiserver stand-in speaks the real wire format', () => {
  let standIn: KubeApiStandIn;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-standin-'));
    standIn = await KubeApiStandIn.start({ execHandler: (_pod, _container, argv) => ({ argv }) });
    standIn.upsert(podObject('default', 'web-1', 'node-a', '10.244.1.5'));
  });
  afterEach(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stand-in: lists are PodLists with a resourceVersion; 401 and 403 carry Status bodies', async () => {
    const list = JSON.parse((await get(standIn, '/api/v1/pods')).body);
    assert.equal(list.kind, 'PodList');
    assert.equal(list.metadata.resourceVersion, String(standIn.store.currentRV));
    assert.deepEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['web-1']);
    const denied = await get(standIn, '/api/v1/pods', 'wrong');
    assert.equal(denied.status, 401);
    assert.equal(JSON.parse(denied.body).reason, 'Unauthorized');
    standIn.forbid('list', 'pods');
    const forbidden = await get(standIn, '/api/v1/pods');
    assert.equal(forbidden.status, 403);
    assert.equal(JSON.parse(forbidden.body).message, 'pods is forbidden: User "stand-in-user" cannot list resource "pods" in API group "" at the cluster scope');
  });

  it('stand-in: a watch from a compacted resourceVersion is a 200 stream with one ERROR event holding a 410 Status', async () => {
    const old = standIn.store.currentRV;
    standIn.upsert(podObject('default', 'web-2', 'node-a', '10.244.1.6'));
    const replay = get(standIn, `/api/v1/pods?watch=1&resourceVersion=${old}&timeoutSeconds=1`);
    const lines = (await replay).body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => `${l.type} ${l.object.metadata.name}`), ['ADDED web-2']);
    standIn.compact();
    const gone = await get(standIn, `/api/v1/pods?watch=true&resourceVersion=${old}`);
    assert.equal(gone.status, 200);
    const [event] = gone.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(event.type, 'ERROR');
    assert.deepEqual([event.object.kind, event.object.code, event.object.reason], ['Status', 410, 'Expired']);
  });

  it('stand-in: kubectl, a real client, lists Pods as JSON and execs with stdin and exit codes through it', async function () {
    if (!existsSync('/usr/bin/kubectl') && !existsSync('/usr/local/bin/kubectl')) this.skip(); // kubectl is optional on developer machines
    const kubeconfig = writeKubeconfig(dir, { target: standIn });
    const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
    const got = await run(['kubectl', 'get', 'pods', '-o', 'json'], { env, timeoutMs: 30_000 });
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual(JSON.parse(got.stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name), ['web-1']);
    const exit = await run(['kubectl', 'exec', 'web-1', '--', 'sh', '-c', 'echo hi; exit 4'], { env, timeoutMs: 30_000 });
    assert.deepEqual([exit.code, exit.stdout], [4, 'hi\n']);
    const cat = await run(['kubectl', 'exec', '-i', 'web-1', '--', 'cat'], { env, input: 'piped\n', timeoutMs: 30_000 });
    assert.deepEqual([cat.code, cat.stdout], [0, 'piped\n']);
  });

  it('stand-in: kubectl, a real client, finds Services and EndpointSlices through discovery and lists them as JSON', async function () {
    if (!existsSync('/usr/bin/kubectl') && !existsSync('/usr/local/bin/kubectl')) this.skip(); // kubectl is optional on developer machines
    const web = { namespace: 'default', name: 'web', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] };
    standIn.upsert(serviceObject(web));
    standIn.upsert(endpointSliceObject(web, [{ ip: '10.244.1.5', pod: { namespace: 'default', name: 'web-1' }, node: 'node-a' }], [{ port: 8080 }]));
    const env = { ...process.env, HOME: dir, KUBECONFIG: writeKubeconfig(dir, { target: standIn }) };
    const svcs = await run(['kubectl', 'get', 'services', '-A', '-o', 'json'], { env, timeoutMs: 30_000 });
    assert.equal(svcs.code, 0, svcs.stderr);
    assert.deepEqual(JSON.parse(svcs.stdout).items.map((s: { spec: { clusterIP: string } }) => s.spec.clusterIP), ['10.96.0.10']);
    const slices = await run(['kubectl', 'get', 'endpointslices.discovery.k8s.io', '-n', 'default', '-o', 'json'], { env, timeoutMs: 30_000 });
    assert.equal(slices.code, 0, slices.stderr);
    const [slice] = JSON.parse(slices.stdout).items as { apiVersion: string; endpoints: { addresses: string[] }[] }[];
    assert.deepEqual([slice.apiVersion, slice.endpoints[0].addresses], ['discovery.k8s.io/v1', ['10.244.1.5']]);
    standIn.forbid('list', 'endpointslices');
    const denied = await get(standIn, '/apis/discovery.k8s.io/v1/endpointslices');
    assert.equal(JSON.parse(denied.body).message, 'endpointslices is forbidden: User "stand-in-user" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope');
  });
});
