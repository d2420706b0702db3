import assert from 'node:assert/strict';
import { toKubeNode, toKubePod } from '../../../../src/providers/kube/api/convert';
import { nodeObject, podObject } from './fixtures';

describe('convert: API objects to KubeNode/KubePod (untrusted input)', () => {
  it('reads a full Node and a full Pod', () => {
    const labels = { 'node-role.kubernetes.io/worker': '', 'podnet.dev/topology-node': 'node1', odd: 5 };
    assert.deepEqual(toKubeNode({ ...nodeObject('n1', '172.18.0.2', '10.244.1.0/24'), metadata: { name: 'n1', resourceVersion: '7', labels, creationTimestamp: new Date('2026-11-29T09:00:00Z') } }), {
      name: 'n1', internalIP: '172.18.0.2', podCIDRs: ['10.244.1.0/24'], ready: true, providerID: 'kind://docker/stand-in/n1', resourceVersion: '7',
      labels: { 'node-role.kubernetes.io/worker': '', 'podnet.dev/topology-node': 'node1' }, createdAt: '2026-11-29T09:00:00.000Z',
    }, 'string labels and the creation time (a Date from the typed client) are read; a label that is not a string is dropped');
    assert.equal(toKubeNode({ metadata: { name: 'w', creationTimestamp: '2026-11-29T09:00:00Z' } }).createdAt, '2026-11-29T09:00:00Z', 'watch JSON carries the time as text');
    const pod = toKubePod({ ...podObject('shop', 'cart', 'n1', '10.244.1.9', { app: 'cart' }), metadata: { namespace: 'shop', name: 'cart', uid: 'u1', labels: { app: 'cart' }, creationTimestamp: new Date('2026-11-29T10:00:00Z'), resourceVersion: '9' } });
    assert.equal(pod.createdAt, '2026-11-29T10:00:00.000Z', 'a Date from the typed client becomes ISO text');
    assert.deepEqual(pod.containers, [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
    assert.deepEqual([pod.node, pod.podIPs, pod.phase, pod.readyContainers, pod.restarts, pod.deleting], ['n1', ['10.244.1.9'], 'Running', 1, 0, false]);
  });

  it('never throws on missing or odd fields and falls back to empty values', () => {
    for (const raw of [undefined, null, 42, 'x', [], {}, { metadata: 'nope', spec: [], status: 7 }]) {
      assert.doesNotThrow(() => toKubeNode(raw));
      assert.doesNotThrow(() => toKubePod(raw));
    }
    assert.deepEqual(toKubeNode({ metadata: { name: 'bare' } }), { name: 'bare', internalIP: '', podCIDRs: [], ready: false, providerID: '', resourceVersion: '', labels: {}, createdAt: '' });
    const odd = toKubePod({
      metadata: { name: 'odd', labels: { ok: 'yes', bad: 5 }, deletionTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 'eighty' }, { containerPort: 53, protocol: 'UDP' }] }, 'junk'], hostNetwork: 'true' },
      status: { phase: 'Exploded', podIP: '10.0.0.1', containerStatuses: [{ ready: true, restartCount: 2 }, { restartCount: 'many' }] },
    });
    assert.equal(odd.namespace, 'default');
    assert.deepEqual(odd.labels, { ok: 'yes' });
    assert.equal(odd.phase, 'Unknown');
    assert.equal(odd.deleting, true);
    assert.equal(odd.hostNetwork, false, 'only a real boolean true counts');
    assert.deepEqual(odd.containers.map((c) => c.ports), [[{ containerPort: 53, protocol: 'UDP' }], []]);
    assert.deepEqual([odd.podIPs, odd.readyContainers, odd.restarts], [['10.0.0.1'], 1, 2]);
  });

  it('keeps labels named __proto__, constructor and toString as plain labels (JSON from the API is untrusted)', () => {
    const metadata = JSON.parse('{"namespace": "shop", "name": "cart", "labels": {"__proto__": "x", "constructor": "y", "toString": "z"}}') as unknown;
    const pod = toKubePod({ ...podObject('shop', 'cart', 'n1', '10.244.1.9', {}), metadata });
    assert.equal(Object.getPrototypeOf(pod.labels), Object.prototype);
    assert.deepEqual(Object.entries(pod.labels), [['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z']]);
  });

  it('puts IPv4 first for dual-stack nodes and Pods', () => {
    const node = toKubeNode({ metadata: { name: 'd' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::2' }, { type: 'InternalIP', address: '172.18.0.9' }] } });
    assert.equal(node.internalIP, '172.18.0.9');
    const pod = toKubePod({ metadata: { name: 'd' }, status: { podIPs: [{ ip: 'fd00:10::5' }, { ip: '10.244.0.5' }] } });
    assert.deepEqual(pod.podIPs, ['10.244.0.5', 'fd00:10::5']);
  });
});
