import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/cliError';
import { getCommand, getKindOf, nodesTable, otherMachinesLines, podsTable } from '../../../src/cli/commands/get';
import type { NodeInfo, PodInfo } from '../../../src/providers/embedded/control/protocol';

const pod = (name: string, labels?: Record<string, string>): PodInfo => ({
  name, node: 'node1', ip: '10.244.1.2', prefixLength: 24, gateway: '10.244.1.1', mac: '02:00:00:00:00:01', hostVeth: 'veth1', status: 'Running',
  containers: [{ name: 'web', workload: 'web', port: 8080, state: 'running' }], sandboxId: 'x', createdAt: new Date().toISOString(), ...(labels ? { labels } : {}),
});

describe('podnet get (embedded lab)', () => {
  it('knows kubectl\'s names and short names for pods, nodes, services and endpoints', () => {
    const names: Record<string, string> = {
      po: 'pods', pod: 'pods', pods: 'pods', no: 'nodes', node: 'nodes', svc: 'services', service: 'services', services: 'services',
      ep: 'endpoints', endpoint: 'endpoints', endpoints: 'endpoints',
    };
    for (const [what, kind] of Object.entries(names)) assert.equal(getKindOf(what), kind, what);
    assert.throws(() => getKindOf('deployments'), (e: unknown) => e instanceof UsageError && /cannot get "deployments" \(use pods, nodes, svc or endpoints\)/.test(e.message));
    assert.throws(() => getKindOf('constructor'), UsageError);
    assert.throws(() => getKindOf(undefined), /missing what to get/);
  });

  it('--show-labels adds a LABELS column after the others, sorted like kubectl, <none> without labels', () => {
    const rows = podsTable([pod('pod-a', { tier: 'front', app: 'web' }), pod('pod-b')], false, true).split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => [r[0], r[5]]), [['NAME', 'LABELS'], ['pod-a', 'app=web,tier=front'], ['pod-b', '<none>']]);
    assert.equal(podsTable([pod('pod-a', { app: 'web' })], false).includes('LABELS'), false, 'no LABELS column unless asked');
  });

  it('refuses --show-labels for anything but pods, a NAME after pods, and a second NAME after svc, before connecting to a lab', async () => {
    const cases: [string[], RegExp][] = [
      [['svc', '--show-labels'], /--show-labels is for podnet get pods/], [['pods', 'pod-a'], /unexpected argument "pod-a"/],
      [['svc', 'web', 'api'], /unexpected argument "api"/], [['ep', '-o', 'yaml'], /-o yaml is not supported/],
    ];
    for (const [argv, pattern] of cases) await assert.rejects(getCommand(argv), (e: unknown) => e instanceof UsageError && pattern.test(e.message), argv.join(' '));
  });

  it('the outside client and the router get a line each below the nodes; a lab without them gets none', () => {
    assert.deepEqual(otherMachinesLines({}), []);
    const lines = otherMachinesLines({
      client: { name: 'outside', ip: '192.168.1.50', wirePort: 'w-outside' },
      router: { name: 'router', interfaces: [{ ifname: 'eth0', subnet: 'rack1', ip: '192.168.1.1', wirePort: 'w1' }, { ifname: 'eth1', subnet: 'rack2', ip: '192.168.2.1', wirePort: 'w2' }] },
    });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^outside client outside: eth0 192\.168\.1\.50, not a node .*podnet exec --client$/);
    assert.match(lines[1], /^router router: eth0 192\.168\.1\.1 \(rack1\), eth1 192\.168\.2\.1 \(rack2\), .*podnet exec --router$/);
  });
});

describe('podnet get nodes (embedded lab)', () => {
  const node = (over: Partial<NodeInfo>): NodeInfo => ({ name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24', bridge: 'cbr0', bridgeIP: '10.244.1.1', cni: 'bridge', wirePort: 'wp1', ...over });

  it('wide shows each node\'s CNI, subnet and VXLAN tunnel end; a ptp node has no bridge, only its gateway', () => {
    const nodes = [
      node({}), node({ name: 'node2', cni: 'ptp', bridge: '', bridgeIP: '10.244.2.1' }),
      node({ name: 'node3', cni: 'vxlan', subnet: 'rack2', vtep: { dev: 'flannel.1', mac: '0a:00:00:00:00:03', vni: 1, port: 8472 } }),
    ];
    const rows = nodesTable(nodes, true).split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => r.slice(3)), [
      ['BRIDGE', 'CNI', 'SUBNET', 'VTEP', 'WIRE-PORT'],
      ['cbr0 10.244.1.1', 'bridge', '<none>', '<none>', 'wp1'],
      ['none (gateway 10.244.2.1)', 'ptp', '<none>', '<none>', 'wp1'],
      ['cbr0 10.244.1.1', 'vxlan', 'rack2', 'flannel.1 0a:00:00:00:00:03 VNI 1 UDP 8472', 'wp1'],
    ]);
    assert.deepEqual(nodesTable(nodes, false).split('\n')[0].split(/\s{2,}/), ['NAME', 'IP', 'POD-CIDR', 'BRIDGE']);
  });
});
