import { strict as assert } from 'node:assert';
import type { ExecResult } from '../../../../src/providers/embedded/control/protocol';
import type { KubePod } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import {
  addressesByNetns,
  findPodNetns,
  firstSandboxId,
  netnsFromInspectp,
} from '../../../../src/providers/kube/nodeAccess/podNetns';

/** The shape `crictl inspectp` prints on a containerd node (trimmed to the keys that matter, values as kind prints them). */
const CONTAINERD_INSPECTP = JSON.stringify({
  status: { id: 'f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1', state: 'SANDBOX_READY', network: { ip: '10.244.1.5' } },
  info: {
    pid: 4242,
    runtimeSpec: {
      linux: {
        namespaces: [
          { type: 'pid' },
          { type: 'ipc' },
          { type: 'uts' },
          { type: 'mount' },
          { type: 'network', path: '/var/run/netns/cni-9f8e7d6c-5b4a-3c2d-1e0f-a1b2c3d4e5f6' },
        ],
      },
    },
  },
});

/** What `ip -all netns exec ip -j addr show` prints on a node with two Pods (a blank line and "netns: NAME" before each). */
const ALL_NETNS_OUTPUT = [
  '',
  'netns: cni-aaaa',
  '[{"ifindex":1,"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"10.244.1.2","prefixlen":24}]}]',
  '',
  'netns: cni-bbbb',
  '[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"10.244.1.3","prefixlen":24},{"family":"inet6","local":"fd00::3","prefixlen":64}]}]',
  '',
].join('\n');

const pod = (over: Partial<KubePod> = {}): KubePod => ({
  namespace: 'default', name: 'web', uid: '1b2c3d4e-0000-4000-8000-000000000001', node: 'kind-worker', podIPs: ['10.244.1.3'],
  phase: 'Running', deleting: false, hostNetwork: false, containers: [], readyContainers: 1, restarts: 0, labels: {},
  createdAt: '2026-11-29T00:00:00Z', resourceVersion: '1', ...over,
});

const ok = (stdout: string): ExecResult => ({ code: 0, stdout, stderr: '', timedOut: false });
const fail = (code: number, stderr: string): ExecResult => ({ code, stdout: '', stderr, timedOut: false });

/** A node that answers each command by its first words, and records what it was asked (crictl cannot run here). */
function scriptedNode(answers: Record<string, ExecResult>): { run: (argv: string[]) => Promise<ExecResult>; asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    run: (argv) => {
      asked.push(argv);
      const key = Object.keys(answers).find((k) => argv.join(' ').startsWith(k));
      return Promise.resolve(key ? answers[key] : fail(127, `${argv[0]}: not found`));
    },
  };
}

describe('netnsFromInspectp', () => {
  it('reads the network namespace path from a containerd inspectp document', () => {
    assert.equal(netnsFromInspectp(CONTAINERD_INSPECTP), '/var/run/netns/cni-9f8e7d6c-5b4a-3c2d-1e0f-a1b2c3d4e5f6');
  });

  it('falls back to /proc/<pid>/ns/net when the spec names no network path', () => {
    assert.equal(netnsFromInspectp(JSON.stringify({ info: { pid: 77, runtimeSpec: { linux: { namespaces: [{ type: 'network' }] } } } })), '/proc/77/ns/net');
  });

  it('gives undefined for text that is not JSON, a relative path, or no info at all', () => {
    assert.equal(netnsFromInspectp('FATA[0000] connect: no such file'), undefined);
    assert.equal(netnsFromInspectp(JSON.stringify({ info: { runtimeSpec: { linux: { namespaces: [{ type: 'network', path: 'netns/x' }] } } } })), undefined);
    assert.equal(netnsFromInspectp('null'), undefined);
  });
});

describe('firstSandboxId / addressesByNetns', () => {
  it('takes the first hex sandbox id and ignores warnings', () => {
    assert.equal(firstSandboxId('WARN[0000] runtime connect using default endpoints\nabc123def4567890\n'), 'abc123def4567890');
    assert.equal(firstSandboxId('\n'), undefined);
  });

  it('maps each named namespace to its addresses, IPv4 and IPv6', () => {
    const m = addressesByNetns(ALL_NETNS_OUTPUT);
    assert.deepEqual([...m.keys()], ['cni-aaaa', 'cni-bbbb']);
    assert.deepEqual(m.get('cni-aaaa'), ['127.0.0.1', '10.244.1.2']);
    assert.deepEqual(m.get('cni-bbbb'), ['10.244.1.3', 'fd00::3']);
  });

  it('drops namespace names that would escape /var/run/netns', () => {
    const m = addressesByNetns('netns: ../../etc\n[]\nnetns: a/b\n[]\nnetns: ok-1\n[]\n');
    assert.deepEqual([...m.keys()], ['ok-1']);
  });
});

describe('findPodNetns', () => {
  it('asks crictl by the Pod uid for its ready sandbox, then reads the path from inspectp', async () => {
    const node = scriptedNode({ 'crictl pods': ok('f0e1d2c3b4a5f0e1\n'), 'crictl inspectp f0e1d2c3b4a5f0e1': ok(CONTAINERD_INSPECTP) });
    assert.equal(await findPodNetns(node.run, pod()), '/var/run/netns/cni-9f8e7d6c-5b4a-3c2d-1e0f-a1b2c3d4e5f6');
    assert.deepEqual(node.asked[0], ['crictl', 'pods', '--label', `io.kubernetes.pod.uid=${pod().uid}`, '--state', 'ready', '-q']);
  });

  it('without crictl (exit 127), finds the namespace that holds the Pod IP', async () => {
    const node = scriptedNode({ 'ip -all netns exec': ok(ALL_NETNS_OUTPUT) });
    assert.equal(await findPodNetns(node.run, pod()), '/var/run/netns/cni-bbbb');
  });

  it('falls back to the Pod IP when crictl lists no ready sandbox', async () => {
    const node = scriptedNode({ 'crictl pods': ok(''), 'ip -all netns exec': ok(ALL_NETNS_OUTPUT) });
    assert.equal(await findPodNetns(node.run, pod({ podIPs: ['10.244.1.2'] })), '/var/run/netns/cni-aaaa');
  });

  it('says what it tried when no namespace holds the Pod IP', async () => {
    const node = scriptedNode({ 'ip -all netns exec': ok(ALL_NETNS_OUTPUT) });
    await assert.rejects(findPodNetns(node.run, pod({ podIPs: ['10.244.9.9'] })), (e: unknown) => {
      assert.ok(e instanceof KubeAccessError);
      assert.match(e.message, /Pod default\/web on node kind-worker: the node has no crictl, and none of the node's 2 network namespaces has 10\.244\.9\.9/);
      return true;
    });
  });

  it('refuses a Pod without an IP and a hostNetwork Pod, each with its reason', async () => {
    const node = scriptedNode({});
    await assert.rejects(findPodNetns(node.run, pod({ podIPs: [] })), /has no IP yet/);
    await assert.rejects(findPodNetns(node.run, pod({ hostNetwork: true })), /hostNetwork/);
  });
});
