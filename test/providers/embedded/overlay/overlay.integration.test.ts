/**
 * Subnets joined by a router, and Flannel-style VXLAN, on the real kernel (real namespaces, veths, bridges, vxlan devices), as root and as an
 * unprivileged user: routed nodes cannot reach each other's Pods across the router, vxlan nodes can, and the router only sees UDP 8472.
 */
import { strict as assert } from 'node:assert';
import type { ExecResult, LabStatus } from '../../../../src/providers/embedded/control/protocol';
import { testableModes } from '../../../support/cli';
import { hostNetworkState } from '../../../support/hostState';
import { startOverlayLab, stopOverlayLab, type OverlayLab } from './support/overlayLab';
import { flatMixed, twoSubnets } from './topologies';

const ok = (res: ExecResult, what: string): string => {
  assert.equal(res.code, 0, `${what}: exit ${res.code}\n${res.stdout}${res.stderr}`);
  return res.stdout;
};
const podIP = (st: LabStatus, pod: string): string => st.pods.find((p) => p.name === pod)?.ip ?? assert.fail(`no Pod ${pod}`);
const json = <T>(text: string): T => JSON.parse(text) as T;

for (const mode of testableModes()) {
  const tag = mode === 'root' ? 'root' : 'user';

  describe(`two subnets and a router, routed nodes (${mode})`, function () {
    this.timeout(180_000);
    let lab: OverlayLab;
    before(async () => {
      lab = await startOverlayLab(mode, `ovl-routed-${tag}`, twoSubnets('routed', 'bridge', true));
    });
    after(async () => lab?.down());

    it('builds one wire bridge per subnet and a router with an address in each, forwarding on, and no route to any Pod CIDR', async () => {
      assert.deepEqual(lab.status.router, {
        name: 'router',
        interfaces: [
          { ifname: 'eth0', subnet: 'a', ip: '192.168.1.1', wirePort: 'wire0-r1' },
          { ifname: 'eth1', subnet: 'b', ip: '192.168.2.1', wirePort: 'wire0-r2' },
        ],
      });
      const bridges = json<{ ifname: string }[]>(ok(await lab.exec({ kind: 'wire' }, ['ip', '-j', 'link', 'show', 'type', 'bridge']), 'bridges'));
      assert.deepEqual(bridges.map((b) => b.ifname).sort(), ['wire-a', 'wire-b']);
      const ports = json<{ ifname: string; master?: string }[]>(ok(await lab.exec({ kind: 'wire' }, ['ip', '-j', 'link', 'show']), 'links'));
      const masterOf = (ifname: string) => ports.find((p) => p.ifname === ifname)?.master;
      assert.deepEqual(['wire0-r1', 'wire0-r2', 'wire0-p1', 'wire0-p2', 'wire0-p3'].map(masterOf), ['wire-a', 'wire-b', 'wire-a', 'wire-b', 'wire-a']);
      const routes = json<{ dst: string }[]>(ok(await lab.exec({ kind: 'router' }, ['ip', '-j', 'route', 'show']), 'router routes'));
      assert.deepEqual(routes.map((r) => r.dst).sort(), ['192.168.1.0/24', '192.168.2.0/24']);
      assert.equal(ok(await lab.exec({ kind: 'router' }, ['cat', '/proc/sys/net/ipv4/ip_forward']), 'forwarding').trim(), '1');
      assert.deepEqual(lab.status.nodes.map((n) => [n.name, n.subnet]), [['node1', 'a'], ['node2', 'b'], ['node3', 'a']]);
    });

    it('makes the router an exec target: one-shot commands run in its namespace, and interactive exec is routed to its namespace files', async () => {
      const addrs = json<{ ifname: string; addr_info: { local: string }[] }[]>(ok(await lab.exec({ kind: 'router' }, ['ip', '-j', '-4', 'addr', 'show']), 'addrs'));
      assert.deepEqual(addrs.filter((a) => a.ifname !== 'lo').map((a) => [a.ifname, a.addr_info[0].local]), [['eth0', '192.168.1.1'], ['eth1', '192.168.2.1']]);
      assert.equal(ok(await lab.exec({ kind: 'router' }, ['hostname']), 'hostname').trim(), 'router');
      const route = await lab.route({ kind: 'router' });
      assert.match(route.netns, /\/ns\/router-router\.net$/);
      assert.equal(route.env.NODE_NAME, 'router');
    });

    it('gives each node a default route via the router of its subnet, and nodes reach each other across the router', async () => {
      const def = json<{ gateway: string }[]>(ok(await lab.exec({ kind: 'node', node: 'node2' }, ['ip', '-j', 'route', 'show', 'default']), 'default route'));
      assert.deepEqual(def.map((r) => r.gateway), ['192.168.2.1']);
      ok(await lab.exec({ kind: 'node', node: 'node1' }, ['busybox', 'ping', '-c', '1', '-W', '2', '192.168.2.100']), 'node1 -> node2 across the router');
    });

    it('keeps the on-link peer route, and records the cross-subnet ones the kernel refused with its reason', async () => {
      const node1 = lab.status.nodes.find((n) => n.name === 'node1');
      assert.deepEqual(node1?.refusedRoutes?.map((r) => [r.dst, r.via]), [['10.244.2.0/24', '192.168.2.100']]);
      assert.match(node1?.refusedRoutes?.[0].reason ?? '', /kernel refused it \(.*Nexthop has invalid gateway.*\).*192\.168\.2\.100 \(node node2\) is not on node1's subnet/);
      const routes = json<{ dst: string; gateway?: string }[]>(ok(await lab.exec({ kind: 'node', node: 'node1' }, ['ip', '-j', 'route', 'show']), 'node1 routes'));
      assert.deepEqual(routes.filter((r) => r.dst.startsWith('10.244.') && r.gateway).map((r) => [r.dst, r.gateway]), [['10.244.3.0/24', '192.168.1.101']]);
      assert.match(lab.progress.find((p) => p.startsWith('nodes:')) ?? '', /not installed .*node1: 10\.244\.2\.0\/24 via 192\.168\.2\.100/);
      assert.equal(lab.status.nodes.find((n) => n.name === 'node3')?.refusedRoutes?.length, 1, 'node3 lacks only node2');
    });

    it('delivers Pod to Pod on one subnet, but across the router the ping fails: the router has no route to the Pod CIDR', async () => {
      ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-c')]), 'pod-a -> pod-c');
      const across = await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-b')]);
      assert.notEqual(across.code, 0, 'pod-a must not reach pod-b across the router');
      const get = await lab.exec({ kind: 'router' }, ['ip', 'route', 'get', podIP(lab.status, 'pod-b')]);
      assert.notEqual(get.code, 0);
      assert.match(get.stderr, /Network is unreachable/);
    });
  });

  describe(`two subnets and a router, vxlan nodes like Flannel (${mode})`, function () {
    this.timeout(180_000);
    let lab: OverlayLab;
    let hostBefore: Record<string, unknown>;
    const node = (name: string) => ({ kind: 'node' as const, node: name });
    before(async () => {
      hostBefore = hostNetworkState();
      lab = await startOverlayLab(mode, `ovl-vxlan-${tag}`, twoSubnets('vxlan', 'vxlan'));
    });
    after(async () => lab?.down());

    it("leaves the host's own network alone: no flannel.1, bridge, route or address appears there", () => {
      assert.deepEqual(hostNetworkState(), hostBefore);
    });

    it('creates flannel.1 on each node: VNI 1, UDP 8472, no learning, local = the node IP, MTU 1450, the Pod CIDR network address /32', async () => {
      for (const [name, ip, vtepAddr] of [['node1', '192.168.1.100', '10.244.1.0'], ['node2', '192.168.2.100', '10.244.2.0']]) {
        const [link] = json<{ mtu: number; address: string; linkinfo: { info_kind: string; info_data: Record<string, unknown> }; addr_info?: unknown }[]>(
          ok(await lab.exec(node(name), ['ip', '-j', '-d', 'link', 'show', 'flannel.1']), `${name} flannel.1`));
        assert.equal(link.linkinfo.info_kind, 'vxlan');
        assert.equal(link.mtu, 1450);
        assert.deepEqual([link.linkinfo.info_data.id, link.linkinfo.info_data.port, link.linkinfo.info_data.local, link.linkinfo.info_data.learning],
          [1, 8472, ip, false]);
        const info = lab.status.nodes.find((n) => n.name === name);
        assert.deepEqual(info?.vtep, { dev: 'flannel.1', mac: link.address, vni: 1, port: 8472 });
        const addrs = json<{ addr_info: { local: string; prefixlen: number }[] }[]>(ok(await lab.exec(node(name), ['ip', '-j', '-4', 'addr', 'show', 'dev', 'flannel.1']), 'addr'));
        assert.deepEqual(addrs[0].addr_info.map((a) => `${a.local}/${a.prefixlen}`), [`${vtepAddr}/32`]);
      }
    });

    it("writes Flannel's three entries per peer: route via the peer VTEP onlink, permanent neighbour, FDB to the peer node IP", async () => {
      const peerMac = lab.status.nodes.find((n) => n.name === 'node2')?.vtep?.mac ?? assert.fail('node2 has no vtep');
      const routes = json<{ dst: string; gateway: string; dev: string; flags: string[] }[]>(
        ok(await lab.exec(node('node1'), ['ip', '-j', 'route', 'show', '10.244.2.0/24']), 'route'));
      assert.deepEqual(routes.map((r) => [r.dst, r.gateway, r.dev, r.flags.includes('onlink')]), [['10.244.2.0/24', '10.244.2.0', 'flannel.1', true]]);
      const neigh = json<{ dst: string; lladdr: string; state: string[] }[]>(ok(await lab.exec(node('node1'), ['ip', '-j', 'neigh', 'show', 'dev', 'flannel.1']), 'neigh'));
      assert.deepEqual(neigh.map((n) => [n.dst, n.lladdr, n.state]), [['10.244.2.0', peerMac, ['PERMANENT']]]);
      const fdb = json<{ mac: string; dst?: string; flags: string[]; state: string }[]>(ok(await lab.exec(node('node1'), ['bridge', '-j', 'fdb', 'show', 'dev', 'flannel.1']), 'fdb'));
      assert.deepEqual(fdb.filter((f) => f.dst).map((f) => [f.mac, f.dst, f.flags.includes('self'), f.state]), [[peerMac, '192.168.2.100', true, 'permanent']]);
      assert.equal(lab.status.nodes[0].refusedRoutes, undefined, 'vxlan nodes need no route via a peer node IP');
    });

    it("gives the Pods' eth0 and cbr0 an MTU of 1450, so an inner packet plus 50 bytes of VXLAN fits the wire's 1500", async () => {
      const [eth0] = json<{ mtu: number }[]>(ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['ip', '-j', 'link', 'show', 'eth0']), 'pod eth0'));
      const [cbr0] = json<{ mtu: number }[]>(ok(await lab.exec(node('node1'), ['ip', '-j', 'link', 'show', 'cbr0']), 'cbr0'));
      const [wire] = json<{ mtu: number }[]>(ok(await lab.exec(node('node1'), ['ip', '-j', 'link', 'show', 'eth0']), 'node eth0'));
      assert.deepEqual([eth0.mtu, cbr0.mtu, wire.mtu], [1450, 1450, 1500]);
      ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '1', '-W', '2', '-s', '1422', podIP(lab.status, 'pod-b')]), 'a full-size 1450-byte packet');
    });

    it('gives a Pod added to a running vxlan node the same 1450 MTU, and it reaches the other subnet', async () => {
      const added = await lab.addPod({ name: 'pod-late', node: 'node2' });
      const [eth0] = json<{ mtu: number }[]>(ok(await lab.exec({ kind: 'pod', pod: 'pod-late' }, ['ip', '-j', 'link', 'show', 'eth0']), 'eth0'));
      assert.equal(eth0.mtu, 1450);
      ok(await lab.exec({ kind: 'pod', pod: 'pod-late' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-a')]), `${added.ip} -> pod-a`);
    });

    it('delivers Pod to Pod across the router; the web workload sees the sender Pod\'s own IP (no NAT)', async () => {
      ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-b')]), 'ping');
      const body = ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'wget', '-q', '-O', '-', `http://${podIP(lab.status, 'pod-b')}:8080/`]), 'wget');
      const answer = json<{ pod: string; sawSource: string }>(body);
      assert.deepEqual([answer.pod, answer.sawSource], ['pod-b', podIP(lab.status, 'pod-a')]);
    });

    it('the router sees only the outer packets: UDP 8472 between the node IPs, never a Pod address', async () => {
      const rules = [
        'table ip capture {',
        '  chain seen {',
        '    type filter hook forward priority 0; policy accept;',
        '    ip saddr 192.168.1.100 ip daddr 192.168.2.100 udp dport 8472 counter comment "outer"',
        '    ip saddr 10.244.0.0/16 counter comment "inner"',
        '    ip daddr 10.244.0.0/16 counter comment "inner-back"',
        '  }',
        '}',
      ].join('\n');
      ok(await lab.exec({ kind: 'router' }, ['nft', '-f', '-'], 20_000, `${rules}\n`), 'loading the capture counters');
      ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '3', '-i', '0.2', '-W', '2', podIP(lab.status, 'pod-b')]), 'ping');
      const listed = ok(await lab.exec({ kind: 'router' }, ['nft', 'list', 'chain', 'ip', 'capture', 'seen']), 'counters');
      const packets = (comment: string) => Number(new RegExp(`counter packets (\\d+) bytes \\d+ comment "${comment}"`).exec(listed)?.[1] ?? NaN);
      assert.ok(packets('outer') >= 3, listed);
      assert.equal(packets('inner'), 0, listed);
      assert.equal(packets('inner-back'), 0, listed);
    });
  });

  describe(`one flat wire, a vxlan node beside a bridge node (${mode})`, function () {
    this.timeout(120_000);
    let lab: OverlayLab;
    before(async () => {
      lab = await startOverlayLab(mode, `ovl-flat-${tag}`, flatMixed());
    });
    after(async () => lab?.down());

    it('keeps the single wire0 and no router; a vxlan and a bridge node route to each other via their node IPs, and Pods reach each other both ways', async () => {
      assert.equal(lab.status.wireBridge, 'wire0');
      assert.equal(lab.status.router, undefined);
      assert.deepEqual(lab.status.nodes.map((n) => [n.name, n.cni, n.bridge, n.subnet, n.vtep?.dev]), [
        ['node1', 'vxlan', 'cbr0', undefined, 'flannel.1'], ['node2', 'bridge', 'cbr0', undefined, undefined],
      ]);
      const def = await lab.exec({ kind: 'node', node: 'node2' }, ['ip', '-j', 'route', 'show', 'default']);
      assert.deepEqual(json<unknown[]>(ok(def, 'default route')), [], 'a flat wire has no router to default to');
      for (const [name, dst, via] of [['node1', '10.244.2.0/24', '192.168.1.101'], ['node2', '10.244.1.0/24', '192.168.1.100']]) {
        const routes = json<{ gateway?: string; dev: string }[]>(ok(await lab.exec({ kind: 'node', node: name }, ['ip', '-j', 'route', 'show', dst]), 'route'));
        assert.deepEqual(routes.map((r) => [r.gateway, r.dev]), [[via, 'eth0']], `${name} -> ${dst}`);
      }
      ok(await lab.exec({ kind: 'pod', pod: 'pod-a' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-b')]), 'pod-a -> pod-b');
      ok(await lab.exec({ kind: 'pod', pod: 'pod-b' }, ['busybox', 'ping', '-c', '1', '-W', '2', podIP(lab.status, 'pod-a')]), 'pod-b -> pod-a');
    });
  });

  describe(`a node in no subnet (${mode})`, function () {
    this.timeout(60_000);

    it('is refused with one clear error before anything is built, and leaves no lab behind', async () => {
      const topo = twoSubnets('bad', 'vxlan');
      topo.nodes[1] = { ...topo.nodes[1], ip: '192.168.3.100' };
      await assert.rejects(startOverlayLab(mode, `ovl-bad-${tag}`, topo), /node node2 \(192\.168\.3\.100\) is in no subnet of network\.subnets \(a 192\.168\.1\.0\/24, b 192\.168\.2\.0\/24\)/);
      await assert.rejects(stopOverlayLab(mode, `ovl-bad-${tag}`, true), /no lab named "ovl-bad-/);
    });
  });
}
