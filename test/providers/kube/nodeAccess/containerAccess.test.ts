import { strict as assert } from 'node:assert';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { ContainerNodeAccess, parseKindProviderID, runtimeFailure } from '../../../../src/providers/kube/nodeAccess/containerAccess';

describe('parseKindProviderID', () => {
  it('reads runtime, cluster and node container from kind providerIDs', () => {
    assert.deepEqual(parseKindProviderID('kind://docker/kind/kind-worker2'), { runtime: 'docker', cluster: 'kind', node: 'kind-worker2' });
    assert.deepEqual(parseKindProviderID('kind://podman/dev/dev-control-plane'), { runtime: 'podman', cluster: 'dev', node: 'dev-control-plane' });
  });

  it('rejects other providers, other runtimes, extra path parts and names Docker would refuse', () => {
    for (const id of ['', 'aws:///eu-west-1a/i-0abc', 'kind://nerdctl/kind/kind-worker', 'kind://docker/kind/a/b', 'kind://docker/kind/-x', 'kind://docker/kind/a b', 'kind://docker//n']) {
      assert.equal(parseKindProviderID(id), undefined, id);
    }
  });
});

describe('runtimeFailure', () => {
  const env = { DOCKER_HOST: 'unix:///run/x.sock' };

  it('names the daemon address when Docker cannot be reached', () => {
    const e = runtimeFailure('docker', 'kind-worker', 'Cannot connect to the Docker daemon at unix:///run/x.sock. Is the docker daemon running?\n', env);
    assert.equal(e?.code, 'UNREACHABLE');
    assert.equal(e?.message, 'Cannot reach the docker daemon (DOCKER_HOST=unix:///run/x.sock): is it running?');
  });

  it('says a node container does not exist, for Docker and Podman wording', () => {
    for (const text of ['Error response from daemon: No such container: kind-worker', 'Error: no container with name or ID "kind-worker" found: no such container']) {
      const e = runtimeFailure('docker', 'kind-worker', text, {});
      assert.equal(e?.code, 'NOT_FOUND', text);
      assert.match(e!.message, /^Node container kind-worker does not exist in docker here/);
    }
  });

  it('says how to start a stopped node container', () => {
    const e = runtimeFailure('docker', 'kind-worker', 'Error response from daemon: container 2b2d is not running', {});
    assert.match(e!.message, /docker start kind-worker/);
  });

  it('leaves the command\'s own failures alone, even when they print similar words', () => {
    assert.equal(runtimeFailure('docker', 'n', 'ping: sendto: Network unreachable', {}), undefined);
    assert.equal(runtimeFailure('docker', 'n', 'the service is not running yet', {}), undefined);
  });
});

describe('ContainerNodeAccess', () => {
  it('rejects (not throws) for a node whose name cannot be a container, before running anything', async () => {
    const access = new ContainerNodeAccess({ runtime: 'docker', env: { PATH: '/nonexistent' } });
    const node = { name: '-rf', internalIP: '', podCIDRs: [], ready: true, providerID: '', resourceVersion: '1' };
    const pending = access.execNode(node, ['true']);
    await assert.rejects(pending, (e: unknown) => e instanceof KubeAccessError && e.code === 'NO_NODE_ACCESS' && /not a valid container name/.test(e.message));
  });
});
