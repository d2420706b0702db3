import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeApi } from '../../../../src/providers/kube/api/kubeApi';
import { listContexts, loadKubeTarget } from '../../../../src/providers/kube/api/kubeconfig';
import type { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { writeKubeconfig } from '../../../support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import { podObject } from './fixtures';

interface Ctx {
  name: string;
  cluster: string;
  server?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig with one cluster and one token user per context. */
function config(contexts: Ctx[], current?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.filter((c) => c.server).map((c) => ({ name: c.cluster, cluster: { server: c.server } })),
    users: contexts.map((c) => ({ name: c.user ?? c.name, user: { token: `t-${c.name}` } })),
    contexts: contexts.map((c) => ({
      name: c.name, context: { cluster: c.cluster, user: c.user ?? c.name, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    ...(current ? { 'current-context': current } : {}),
  });
}

describe('kubeconfig loading (kubectl rules)', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-kubeconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges every $KUBECONFIG file: the first file wins per name, current-context comes from the first file that sets one', () => {
    const a = file('a.yaml', config([{ name: 'dev', cluster: 'dev', server: 'https://10.0.0.1:6443', namespace: 'team' }]));
    const b = file('b.yaml', config([{ name: 'dev', cluster: 'dev', server: 'https://10.9.9.9:6443' }, { name: 'kind-lab', cluster: 'kind-lab', server: 'https://127.0.0.1:40000' }], 'kind-lab'));
    const env = { KUBECONFIG: `${a}:${join(dir, 'missing.yaml')}:${b}` };
    const t = loadKubeTarget({ env });
    assert.equal(t.context, 'kind-lab');
    assert.equal(t.server, 'https://127.0.0.1:40000');
    assert.equal(t.namespace, 'default');
    const dev = loadKubeTarget({ env, context: 'dev' });
    assert.equal(dev.server, 'https://10.0.0.1:6443', 'the first file defines "dev"');
    assert.equal(dev.namespace, 'team');
    assert.deepEqual(listContexts({ env }).map((c) => `${c.name}${c.current ? '*' : ''} ${c.server}`), ['kind-lab* https://127.0.0.1:40000', 'dev https://10.0.0.1:6443']);
  });

  it('takes current-context from the first file when both set one', () => {
    const a = file('a.yaml', config([{ name: 'one', cluster: 'one', server: 'https://10.0.0.1:6443' }], 'one'));
    const b = file('b.yaml', config([{ name: 'two', cluster: 'two', server: 'https://10.0.0.2:6443' }], 'two'));
    assert.equal(loadKubeTarget({ env: { KUBECONFIG: `${a}:${b}` } }).context, 'one');
    assert.equal(loadKubeTarget({ env: { KUBECONFIG: `${b}:${a}` } }).context, 'two');
  });

  it('--kubeconfig beats $KUBECONFIG, which beats ~/.kube/config', () => {
    const flag = file('flag.yaml', config([{ name: 'flag', cluster: 'c', server: 'https://10.0.0.3:6443' }], 'flag'));
    const envFile = file('env.yaml', config([{ name: 'env', cluster: 'c', server: 'https://10.0.0.4:6443' }], 'env'));
    const home = join(dir, 'home');
    writeKubeconfig(mkdirp(join(home, '.kube')), { target: { url: 'https://10.0.0.5:6443' }, context: 'home', file: 'config' });
    assert.equal(loadKubeTarget({ kubeconfig: flag, env: { KUBECONFIG: envFile }, home }).context, 'flag');
    assert.equal(loadKubeTarget({ env: { KUBECONFIG: envFile }, home }).context, 'env');
    assert.equal(loadKubeTarget({ env: {}, home }).context, 'home');
  });

  it('an unknown context is one sentence that lists the contexts that exist', () => {
    const a = file('a.yaml', config([{ name: 'dev', cluster: 'dev', server: 'https://10.0.0.1:6443' }, { name: 'prod', cluster: 'prod', server: 'https://10.0.0.2:6443' }], 'dev'));
    assert.throws(() => loadKubeTarget({ kubeconfig: a, context: 'staging' }), (e: KubeAccessError) => {
      assert.equal(e.code, 'UNKNOWN_CONTEXT');
      assert.match(e.message, /context "staging" is not in the kubeconfig/);
      assert.match(e.message, /dev, prod$/);
      return true;
    });
  });

  it('no kubeconfig anywhere says where it looked and how to set one', () => {
    const home = join(dir, 'empty-home');
    assert.throws(() => loadKubeTarget({ env: {}, home }), (e: KubeAccessError) => {
      assert.equal(e.code, 'NO_KUBECONFIG');
      assert.ok(e.message.includes(join(home, '.kube', 'config')));
      assert.match(e.message, /--kubeconfig.*KUBECONFIG/);
      assert.equal(e.message.split('\n').length, 1);
      return true;
    });
    assert.throws(() => loadKubeTarget({ kubeconfig: join(dir, 'nope.yaml') }), /nope\.yaml given with --kubeconfig does not exist/);
  });

  it('invalid YAML and a context whose cluster is missing name the file and the problem', () => {
    const bad = file('bad.yaml', 'clusters: [\n  - name: x\n');
    assert.throws(() => loadKubeTarget({ kubeconfig: bad }), (e: KubeAccessError) => e.message.startsWith(`the kubeconfig ${bad} is not valid (`) && e.cause !== undefined);
    const list = file('list.yaml', '- a\n- b\n');
    assert.throws(() => loadKubeTarget({ kubeconfig: list }), /is not valid \(the top level is not a mapping\)/);
    const orphan = file('orphan.yaml', config([{ name: 'lost', cluster: 'nowhere' }], 'lost'));
    assert.throws(() => loadKubeTarget({ kubeconfig: orphan }), /context "lost" refers to cluster "nowhere", which the kubeconfig .* does not define/);
  });

  it('an empty kubeconfig file counts as empty (as in kubectl) and then says no current-context is set', () => {
    const empty = file('empty.yaml', '');
    assert.throws(() => loadKubeTarget({ kubeconfig: empty }), (e: KubeAccessError) => e.code === 'UNKNOWN_CONTEXT' && /sets no current-context/.test(e.message));
  });

  describe('exec credential plugin against the kube-apiserver stand-in', () => {
    let standIn: KubeApiStandIn;
    before(async () => {
      standIn = await KubeApiStandIn.start({ tokens: { 'token-from-plugin': 'plugin-user' } });
      standIn.upsert(podObject('default', 'web-1', 'node-a', '10.244.1.5'));
    });
    after(() => standIn.close());

    function plugin(token: string): { script: string; log: string } {
      const log = join(dir, 'plugin.log');
      const script = join(dir, 'credential-plugin.sh');
      const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
      writeFileSync(script, `#!/bin/sh\necho "ran with $1 $PODNET_PLUGIN_ENV" >> '${log}'\nprintf '%s\\n' '${credential}'\n`);
      chmodSync(script, 0o755);
      return { script, log };
    }

    it('runs the users[].user.exec program and sends the token it prints', async () => {
      const { script, log } = plugin('token-from-plugin');
      const kc = writeKubeconfig(dir, { target: standIn, user: { exec: { command: script, args: ['--cluster=stand-in'], env: [{ name: 'PODNET_PLUGIN_ENV', value: 'set' }] } } });
      const pods = await new KubeApi(loadKubeTarget({ kubeconfig: kc })).listPods();
      assert.deepEqual(pods.map((p) => p.name), ['web-1']);
      assert.match(readFileSync(log, 'utf8'), /ran with --cluster=stand-in set/);
    });

    it('a plugin path like ./credential-plugin.sh is relative to the kubeconfig file, not to the working directory', async () => {
      const { log } = plugin('token-from-plugin');
      const kc = writeKubeconfig(dir, { target: standIn, user: { exec: { command: './credential-plugin.sh', args: ['relative'] } } });
      assert.notEqual(process.cwd(), dir);
      await new KubeApi(loadKubeTarget({ kubeconfig: kc })).listPods();
      assert.match(readFileSync(log, 'utf8'), /ran with relative/);
    });

    it('a credential plugin that is missing or fails is blamed by name, with its message', async () => {
      const missing = join(dir, 'no-such-plugin');
      const kc1 = writeKubeconfig(dir, { target: standIn, context: 'corp', user: { exec: { command: missing } } });
      await assert.rejects(new KubeApi(loadKubeTarget({ kubeconfig: kc1 })).listPods(), (e: KubeAccessError) => {
        assert.equal(e.code, 'TOOL_MISSING');
        assert.equal(e.message, `the credential plugin ${missing} of context corp was not found: install it or log in with it (or fix users[].user.exec in the kubeconfig), then retry`);
        return true;
      });
      const failing = join(dir, 'failing-plugin.sh');
      writeFileSync(failing, '#!/bin/sh\necho "session expired: run corp-login" >&2\nexit 1\n');
      chmodSync(failing, 0o755);
      const kc2 = writeKubeconfig(dir, { target: standIn, context: 'corp', user: { exec: { command: failing } } });
      await assert.rejects(new KubeApi(loadKubeTarget({ kubeconfig: kc2 })).listPods(), (e: KubeAccessError) => e.code === 'UNAUTHORIZED' && e.message.includes(`${failing} of context corp failed (session expired: run corp-login)`));
    });

    it('a token the server refuses gives the credentials sentence naming the context', async () => {
      const { script } = plugin('expired-token');
      const kc = writeKubeconfig(dir, { target: standIn, context: 'corp', user: { exec: { command: script } } });
      await assert.rejects(new KubeApi(loadKubeTarget({ kubeconfig: kc })).listPods(), (e: KubeAccessError) => {
        assert.equal(e.code, 'UNAUTHORIZED');
        assert.match(e.message, /^the credentials of context corp were refused by https:\/\/127\.0\.0\.1:\d+ \(expired\?\): log in again/);
        return true;
      });
    });
  });
});

function mkdirp(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}
