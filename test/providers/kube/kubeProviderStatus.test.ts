import { strict as assert } from 'node:assert';
import type { ClusterSource } from '../../../src/providers/embedded/control/protocol';
import type { KubeNode, KubePod } from '../../../src/providers/kube/clusterTypes';
import { coveringCidr } from '../../../src/providers/kube/coveringCidr';
import { wiringFromBridges } from '../../../src/providers/kube/nodeWiring';
import { podStatus, toLabStatus } from '../../../src/providers/kube/toLabStatus';
import { traceTablesIn } from '../../../src/providers/kube/traceTableCleanup';

const source: ClusterSource = { context: 'kind-lab', cluster: 'kind-lab', server: 'https://127.0.0.1:6443', access: 'container', accessDescription: 'docker exec', namespace: 'default' };

const node = (name: string, ip: string, cidrs: string[]): KubeNode => ({ name, internalIP: ip, podCIDRs: cidrs, ready: true, providerID: `kind://docker/lab/${name}`, resourceVersion: '1' });

function pod(ns: string, name: string, over: Partial<KubePod> = {}): KubePod {
  return {
    namespace: ns, name, uid: `uid-${name}`, node: 'kind-worker', podIPs: ['10.244.1.5'], phase: 'Running', deleting: false, hostNetwork: false,
    containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, protocol: 'TCP' }] }], readyContainers: 1, restarts: 0, labels: {},
    createdAt: '2026-11-29T10:00:00Z', resourceVersion: '7', ...over,
  };
}

describe('kube provider: status from the API', () => {
  it('covers several Pod CIDRs with the smallest block, and node IPs likewise', () => {
    assert.equal(coveringCidr(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']), '10.244.0.0/22');
    assert.equal(coveringCidr(['172.18.0.2', '172.18.0.3', '172.18.0.4']), '172.18.0.0/29');
    assert.equal(coveringCidr(['10.0.0.1']), '10.0.0.1/32');
    assert.equal(coveringCidr(['fd00::/64', 'garbage']), '');
  });

  it('names Pods NAMESPACE/NAME, gives hostNetwork Pods their node IP, and synthesizes a topology without a wire', () => {
    const st = toLabStatus(source, [node('kind-worker', '172.18.0.3', ['10.244.1.0/24']), node('kind-control-plane', '172.18.0.2', ['10.244.0.0/24'])], [
      pod('default', 'web-1'),
      pod('kube-system', 'kube-proxy-x', { hostNetwork: true, podIPs: ['172.18.0.3'], containers: [] }),
      pod('default', 'pending', { phase: 'Pending', podIPs: [], node: '' }),
    ]);
    assert.equal(st.lab, 'kind-lab');
    assert.equal(st.wireBridge, '');
    assert.equal(st.sandboxPid, 0);
    assert.deepEqual(st.cluster, source);
    assert.deepEqual(st.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.cni, n.bridge]), [['kind-control-plane', '172.18.0.2', '10.244.0.0/24', 'ptp', ''], ['kind-worker', '172.18.0.3', '10.244.1.0/24', 'ptp', '']]);
    assert.deepEqual(st.pods.map((p) => [p.name, p.namespace, p.ip, p.status, p.hostNetwork]), [
      ['default/pending', 'default', '', 'Pending', false],
      ['default/web-1', 'default', '10.244.1.5', 'Running', false],
      ['kube-system/kube-proxy-x', 'kube-system', '172.18.0.3', 'Running', true],
    ]);
    assert.deepEqual(st.pods[1].containers, [{ name: 'web', workload: 'nginx', port: 8080, state: 'running' }]);
    assert.equal(st.topology.clusterCIDR, '10.244.0.0/23');
    assert.equal(st.topology.network.cidr, '172.18.0.2/31');
    assert.deepEqual(st.topology.pods.map((p) => p.name), ['default/web-1', 'kube-system/kube-proxy-x'], 'an unscheduled Pod is not placed on any node');
  });

  it('shows a deleting Pod as Terminating and a finished one as Failed (no namespace left to read)', () => {
    assert.equal(podStatus(pod('a', 'b', { deleting: true })), 'Terminating');
    assert.equal(podStatus(pod('a', 'b', { phase: 'Succeeded' })), 'Failed');
    assert.equal(podStatus(pod('a', 'b', { phase: 'Unknown' })), 'Failed');
  });

  it('ignores addresses and CIDRs from the API that are not IPv4', () => {
    const st = toLabStatus(source, [node('n', 'not-an-ip', ['fd00::/64', '10.9.0.0/24'])], [pod('d', 'p', { node: 'n', podIPs: ['fd00::5', '10.9.0.7'] })]);
    assert.equal(st.nodes[0].ip, '');
    assert.equal(st.nodes[0].podCIDR, '10.9.0.0/24');
    assert.equal(st.pods[0].ip, '10.9.0.7');
  });

  it('detects a Pod bridge from the node links: one holding an address in the podCIDR wins over docker0', () => {
    const n = node('n', '172.18.0.3', ['10.244.1.0/24']);
    const links = JSON.stringify([
      { ifname: 'docker0', addr_info: [{ family: 'inet', local: '172.17.0.1' }] },
      { ifname: 'br-pods', addr_info: [{ family: 'inet', local: '10.244.1.1' }] },
    ]);
    assert.deepEqual(wiringFromBridges(n, links), { cni: 'bridge', bridge: 'br-pods', bridgeIP: '10.244.1.1' });
    assert.deepEqual(wiringFromBridges(n, JSON.stringify([{ ifname: 'cni0', addr_info: [] }])), { cni: 'bridge', bridge: 'cni0', bridgeIP: '' });
    assert.deepEqual(wiringFromBridges(n, JSON.stringify([{ ifname: 'docker0', addr_info: [{ family: 'inet', local: '172.17.0.1' }] }])), { cni: 'ptp', bridge: '', bridgeIP: '' });
    assert.deepEqual(wiringFromBridges(n, '[]'), { cni: 'ptp', bridge: '', bridgeIP: '' });
  });
});

describe('kube provider: cleaning up trace tables', () => {
  it('finds only tables named like the tracer\'s, in known families', () => {
    const json = JSON.stringify({ nftables: [
      { metainfo: { version: '1.0.6' } },
      { table: { family: 'inet', name: 'podnet_trace_a1b2c3', handle: 1 } },
      { table: { family: 'bridge', name: 'podnet_trace_a1b2c3', handle: 2 } },
      { table: { family: 'ip', name: 'kube-proxy', handle: 3 } },
      { table: { family: 'inet', name: 'podnet_trace_; flush ruleset', handle: 4 } },
      { table: { family: 'weird', name: 'podnet_trace_ff', handle: 5 } },
    ] });
    assert.deepEqual(traceTablesIn(json), [{ family: 'inet', name: 'podnet_trace_a1b2c3' }, { family: 'bridge', name: 'podnet_trace_a1b2c3' }]);
    assert.deepEqual(traceTablesIn('not json'), []);
  });
});
