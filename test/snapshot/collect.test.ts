import { strict as assert } from 'node:assert';
import { LabError } from '../../src/providers/embedded/control/labError';
import type { ExecResult, ExecTarget, LabStatus } from '../../src/providers/embedded/control/protocol';
import type { LabProvider } from '../../src/providers/provider';
import { collectSnapshot } from '../../src/snapshot/collect';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/validate';

type Answer = Partial<ExecResult> | Error;

/** A provider whose namespaces answer canned `ip -j` output: a kind-style ptp node (no bridge, /32 routes) and one Pod. */
class FakeLab implements LabProvider {
  readonly kind = 'kind';
  readonly calls: string[] = [];
  constructor(private readonly answers: Record<string, Answer>) {}

  status(): Promise<LabStatus> {
    return Promise.resolve({
      lab: 'fake', state: 'running', rootless: false, sandboxPid: 1, startedAt: '', wireBridge: 'kind',
      topology: { name: 'fake', network: { cidr: '172.18.0.0/16' }, clusterCIDR: '10.244.0.0/16', nodes: [], pods: [] },
      nodes: [{ name: 'kind-worker', ip: '172.18.0.3', podCIDR: '10.244.1.0/24', bridge: '', bridgeIP: '', cni: 'ptp', wirePort: '' }],
      pods: [
        { name: 'web', node: 'kind-worker', ip: '10.244.1.2', prefixLength: 24, gateway: '10.244.1.1', mac: '', hostVeth: '', status: 'Running', sandboxId: '', createdAt: '', containers: [{ name: 'web', workload: 'web', port: 8080, state: 'running' }] },
        { name: 'starting', node: 'kind-worker', ip: '', prefixLength: 0, gateway: '', mac: '', hostVeth: '', status: 'Pending', sandboxId: '', createdAt: '', containers: [] },
      ],
    });
  }

  exec(target: ExecTarget, argv: string[]): Promise<ExecResult> {
    const where = target.kind === 'node' ? `node/${target.node}` : target.kind === 'pod' ? `pod/${target.pod}` : target.kind;
    const key = `${where} ${argv.join(' ')}`;
    this.calls.push(key);
    const a = this.answers[key] ?? this.answers[`* ${argv.join(' ')}`];
    if (a instanceof Error) return Promise.reject(a);
    return Promise.resolve({ code: 0, stdout: '[]', stderr: '', timedOut: false, ...a });
  }

  addPod(): never {
    throw new Error('not used');
  }
  deletePod(): never {
    throw new Error('not used');
  }
  close(): void {}
}

const j = (v: unknown): Answer => ({ stdout: JSON.stringify(v) });
const LO = { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00' };

/** The answers of a healthy lab; tests override single commands. */
function healthy(): Record<string, Answer> {
  return {
    '* cat /proc/sys/net/ipv4/ip_forward': { stdout: '0\n' },
    'node/kind-worker cat /proc/sys/net/ipv4/ip_forward': { stdout: '1\n' },
    '* nft -j list ruleset': { stdout: '{"nftables": [{"metainfo": {"version": "1.0.6"}}]}' },
    'node/kind-worker ip -j -d link show': j([
      LO,
      { ifindex: 9, ifname: 'veth1234', flags: ['UP'], mtu: 1500, operstate: 'UP', link_type: 'ether', address: 'aa:aa:aa:aa:aa:01', link_index: 2, link_netnsid: 1, linkinfo: { info_kind: 'veth' } },
      { ifindex: 2, ifname: 'eth0', flags: ['UP'], mtu: 1500, operstate: 'UP', link_type: 'ether', address: 'aa:aa:aa:aa:aa:02', link_index: 40, link_netnsid: 0, linkinfo: { info_kind: 'veth' } },
    ]),
    'pod/web ip -j -d link show': j([LO, { ifindex: 2, ifname: 'eth0', flags: ['UP'], mtu: 1500, operstate: 'UP', address: 'bb:bb:bb:bb:bb:01', link_index: 9, link_netnsid: 0, linkinfo: { info_kind: 'veth' } }]),
    'node/kind-worker ip -j -4 route show table all': j([
      { dst: 'default', gateway: '172.18.0.1', dev: 'eth0', flags: [] },
      { dst: '10.244.1.2', dev: 'veth1234', scope: 'host', flags: [] },
      { dst: '10.244.2.0/24', gateway: '172.18.0.4', dev: 'eth0', flags: [] },
      { type: 'local', dst: '172.18.0.3', dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '172.18.0.3', flags: [] },
      { dst: 'fe80::/64', dev: 'eth0', protocol: 'kernel', metric: 256, flags: [] },
    ]),
    'node/kind-worker ip -j addr show': j([
      { ifname: 'eth0', addr_info: [{ family: 'inet6', local: 'fc00::3', prefixlen: 64, scope: 'global' }, { family: 'inet', local: '172.18.0.3', prefixlen: 16, scope: 'global' }] },
      { ifname: 'veth1234', addr_info: [{ family: 'inet', local: '10.244.1.1', prefixlen: 32, scope: 'host' }] },
    ]),
  };
}

describe('collectSnapshot (fake provider)', () => {
  it('reads a kind-style ptp node: veths without a master, a /32 route per Pod, no bridge, default route as 0.0.0.0/0', async () => {
    const s = await collectSnapshot(new FakeLab(healthy()));
    assert.deepEqual(s.namespaces.map((n) => n.id), ['wire', 'node/kind-worker', 'pod/web']);
    const node = s.namespaces[1];
    assert.deepEqual(node.links.map((l) => [l.ifindex, l.name, l.kind, l.master, l.peer, l.peerIfindex]), [
      [1, 'lo', 'loopback', undefined, undefined, undefined],
      [2, 'eth0', 'veth', undefined, undefined, 40],
      [9, 'veth1234', 'veth', undefined, { namespace: 'pod/web', ifname: 'eth0' }, undefined],
    ]);
    assert.deepEqual(node.routes.map((r) => [r.table, r.type, r.dst, r.gateway, r.dev]), [
      ['local', 'local', '172.18.0.3/32', undefined, 'eth0'],
      ['main', 'unicast', '0.0.0.0/0', '172.18.0.1', 'eth0'],
      ['main', 'unicast', '10.244.1.2/32', undefined, 'veth1234'],
      ['main', 'unicast', '10.244.2.0/24', '172.18.0.4', 'eth0'],
    ]);
    assert.deepEqual(node.addresses.map((a) => `${a.ifname} ${a.address}/${a.prefixLength}`), ['eth0 172.18.0.3/16', 'eth0 fc00::3/64', 'veth1234 10.244.1.1/32']);
    assert.equal(node.forwarding, true);
    assert.deepEqual(node.fdb, []);
    assert.deepEqual(s.namespaces[2].links[1].peer, { namespace: 'node/kind-worker', ifname: 'veth1234' });
    assert.equal(s.source.provider, 'kind');
    assert.deepEqual(parseSnapshot(serializeSnapshot(s)), s);
  });

  it('skips a Pod that has no namespace yet (Pending) in both the namespaces and the cluster facts', async () => {
    const lab = new FakeLab(healthy());
    const s = await collectSnapshot(lab);
    assert.deepEqual(s.cluster.pods.map((p) => p.name), ['web']);
    assert.deepEqual(s.cluster.pods[0].containers, [{ name: 'web', ports: [8080] }]);
    assert.ok(!lab.calls.some((c) => c.startsWith('pod/starting')));
  });

  it('falls back to iptables-save where nft is not installed, without its timestamp comments', async () => {
    const answers = healthy();
    answers['* nft -j list ruleset'] = { code: 127, stderr: 'nsenter: failed to execute nft: No such file or directory' };
    answers['* iptables-save'] = { stdout: '# Generated by iptables-save v1.8.9 on Wed Nov 26 18:00:00 2026\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n# Completed on Wed Nov 26 18:00:00 2026\n' };
    const s = await collectSnapshot(new FakeLab(answers));
    assert.deepEqual(s.namespaces[0].filter, { tool: 'iptables', iptablesSave: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' });
  });

  it("records why the rules could not be read when nft fails or neither tool exists (the lab's own ENOENT error too)", async () => {
    const failing = healthy();
    failing['* nft -j list ruleset'] = { code: 1, stderr: 'netlink: Error: Operation not permitted' };
    const a = await collectSnapshot(new FakeLab(failing));
    assert.deepEqual(a.namespaces[0].filter, { tool: 'none', error: 'nft -j list ruleset exited with 1: netlink: Error: Operation not permitted' });
    const none = healthy();
    none['* nft -j list ruleset'] = new LabError('nft was not found. Run `npm run setup` (as root) to install the tools PodNet Lab needs.');
    none['* iptables-save'] = { code: 127, stderr: 'OCI runtime exec failed: exec: "iptables-save": executable file not found in $PATH' };
    const b = await collectSnapshot(new FakeLab(none));
    assert.deepEqual(b.namespaces[0].filter, { tool: 'none', error: 'neither nft nor iptables-save is installed in this namespace' });
  });

  it('names the namespace and the command when a Pod disappears mid-collection', async () => {
    const answers = healthy();
    answers['pod/web ip -j addr show'] = new LabError('pod "web" not found (Pods in this lab: none)', 'NOT_FOUND', 'pod');
    await assert.rejects(collectSnapshot(new FakeLab(answers)), (e: Error) => {
      assert.equal(e.message, 'pod/web disappeared while collecting (ip -j addr show): pod "web" not found (Pods in this lab: none)');
      assert.ok(e instanceof LabError && e.code === 'NOT_FOUND');
      return true;
    });
  });

  it('leaves out a Pod that failed to be read because it was deleted meanwhile (no longer listed), in namespaces and cluster facts', async () => {
    const answers = healthy();
    answers['pod/web ip -j addr show'] = new LabError('pod "web" not found', 'NOT_FOUND', 'pod');
    const lab = new FakeLab(answers);
    const first = lab.status.bind(lab);
    let calls = 0;
    lab.status = async () => {
      const st = await first();
      return calls++ === 0 ? st : { ...st, pods: st.pods.filter((p) => p.name !== 'web') };
    };
    const s = await collectSnapshot(lab);
    assert.deepEqual(s.namespaces.map((n) => n.id), ['wire', 'node/kind-worker']);
    assert.deepEqual(s.cluster.pods, []);
    assert.equal(parseSnapshot(serializeSnapshot(s)).namespaces.length, 2, 'the file stays valid');
  });

  it('names the namespace, the command and its stderr when a command fails', async () => {
    const answers = healthy();
    answers['node/kind-worker bridge -j fdb show'] = { code: 2, stderr: 'RTNETLINK answers: Operation not supported\n' };
    await assert.rejects(collectSnapshot(new FakeLab(answers)),
      { message: 'collecting node/kind-worker failed: bridge -j fdb show exited with 2: RTNETLINK answers: Operation not supported' });
    const garbled = healthy();
    garbled['pod/web ip -j rule show'] = { stdout: 'not json' };
    await assert.rejects(collectSnapshot(new FakeLab(garbled)), /collecting pod\/web failed: cannot read the output of ip -j rule show: /);
  });
});
