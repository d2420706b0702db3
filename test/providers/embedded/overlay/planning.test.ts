/** What the lab plans for subnets, the router, peer routes and flannel.1, before any process runs (the integration test runs it for real). */
import { strict as assert } from 'node:assert';
import { LabError } from '../../../../src/providers/embedded/control/labError';
import { peerRoutePlan } from '../../../../src/providers/embedded/daemon/overlay/peerRoutes';
import { routerLines, routerPlan, subnetWireLines } from '../../../../src/providers/embedded/daemon/overlay/router';
import { assertEveryMachineInASubnet, defaultRouteLines, segmentFor, subnetBridgeName } from '../../../../src/providers/embedded/daemon/overlay/subnets';
import { flannelFdbLines, flannelIpLines, vtepIP, vtepMac, VXLAN_MTU } from '../../../../src/providers/embedded/daemon/overlay/vxlan';
import type { Topology } from '../../../../src/model/topology';
import { twoSubnets } from './topologies';

const flat: Topology = {
  name: 'flat',
  network: { cidr: '192.168.1.0/24' },
  clusterCIDR: '10.244.0.0/16',
  nodes: [
    { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24' },
    { name: 'node2', ip: '192.168.1.101', podCIDR: '10.244.2.0/24' },
  ],
  pods: [],
};

describe('overlay planning', () => {
  it('keeps a flat network as it always was: wire0, the network prefix, no default route, a route via every peer node', () => {
    const seg = segmentFor(flat, '192.168.1.100', 'node node1');
    assert.deepEqual(seg, { bridge: 'wire0', prefix: 24 });
    assert.deepEqual(defaultRouteLines(seg), []);
    assert.deepEqual(peerRoutePlan(flat, flat.nodes[0]), { onLink: ['route add 10.244.2.0/24 via 192.168.1.101 dev eth0'], offLink: [] });
  });

  it("puts a machine on its subnet's bridge with the subnet's prefix and a default route via that subnet's router", () => {
    const topo = twoSubnets('t', 'bridge');
    const seg = segmentFor(topo, '192.168.2.100', 'node node2');
    assert.deepEqual([seg.bridge, seg.prefix, seg.subnet?.name], ['wire-b', 24, 'b']);
    assert.deepEqual(defaultRouteLines(seg), ['route add default via 192.168.2.1 dev eth0']);
  });

  it('refuses, naming the subnets, a machine whose address is in no subnet', () => {
    assert.throws(() => segmentFor(twoSubnets('t', 'bridge'), '192.168.3.5', 'node node9'), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.message, 'node node9 (192.168.3.5) is in no subnet of network.subnets (a 192.168.1.0/24, b 192.168.2.0/24): give it an address in one of them');
      return true;
    });
  });

  it('names a subnet bridge wire-<name> when the kernel accepts the name, else wire-s<n>', () => {
    assert.equal(subnetBridgeName({ name: 'rack-1', cidr: '10.0.0.0/24', routerIP: '10.0.0.1' }, 0), 'wire-rack-1');
    assert.equal(subnetBridgeName({ name: 'a-very-long-subnet', cidr: '10.0.0.0/24', routerIP: '10.0.0.1' }, 2), 'wire-s3');
  });

  it('plans the router with one interface per subnet at its routerIP, whose far ends land in the sandbox', () => {
    const topo = twoSubnets('t', 'bridge');
    assert.deepEqual(routerPlan(topo).interfaces.map((i) => [i.ifname, i.subnet, i.ip, i.wirePort]), [
      ['eth0', 'a', '192.168.1.1', 'wire0-r1'], ['eth1', 'b', '192.168.2.1', 'wire0-r2'],
    ]);
    assert.deepEqual(subnetWireLines(topo), ['link set lo up', 'link add wire-a type bridge', 'link set wire-a up', 'link add wire-b type bridge', 'link set wire-b up']);
    assert.deepEqual(routerLines(topo, 42).slice(1, 4), ['link add eth0 type veth peer name wire0-r1 netns 42', 'addr add 192.168.1.1/24 dev eth0', 'link set eth0 up']);
    assert.equal(routerLines(topo, 42).some((l) => l.includes('10.244.')), false, 'the router learns no Pod CIDR');
  });

  it('asks for the direct route only on-link: across the router it is left for the kernel to refuse', () => {
    const topo = twoSubnets('t', 'bridge', true);
    assert.deepEqual(peerRoutePlan(topo, topo.nodes[0]), {
      onLink: ['route add 10.244.3.0/24 via 192.168.1.101 dev eth0'],
      offLink: [{ dst: '10.244.2.0/24', via: '192.168.2.100', peer: 'node2' }],
    });
  });

  it('routes between two vxlan nodes only through flannel.1, never via the peer node IP', () => {
    const topo = twoSubnets('t', 'vxlan');
    assert.deepEqual(peerRoutePlan(topo, topo.nodes[0]), { onLink: [], offLink: [] });
  });

  it("writes Flannel's device, address, route, neighbour and FDB entry for a peer", () => {
    const [node1, node2] = twoSubnets('t', 'vxlan').nodes;
    assert.equal(vtepMac('192.168.2.100'), '0e:f1:c0:a8:02:64');
    assert.equal(vtepIP('10.244.2.0/24'), '10.244.2.0');
    assert.equal(VXLAN_MTU, 1450);
    assert.deepEqual(flannelIpLines(node1, [node2]), [
      'link add flannel.1 address 0e:f1:c0:a8:01:64 mtu 1450 type vxlan id 1 local 192.168.1.100 dev eth0 dstport 8472 nolearning',
      'addr add 10.244.1.0/32 dev flannel.1',
      'link set flannel.1 up',
      'route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      'neigh replace 10.244.2.0 lladdr 0e:f1:c0:a8:02:64 dev flannel.1 nud permanent',
    ]);
    assert.deepEqual(flannelFdbLines([node2]), ['fdb append 0e:f1:c0:a8:02:64 dev flannel.1 dst 192.168.2.100 self permanent']);
  });
});

describe('overlay planning: checks before building', () => {
  it('accepts a flat network and machines that are all in a subnet', () => {
    assertEveryMachineInASubnet(flat);
    assertEveryMachineInASubnet({ ...twoSubnets('t', 'vxlan'), client: { name: 'outside', ip: '192.168.2.50' } });
  });

  it('names the first machine outside every subnet: a node, then the outside client', () => {
    const topo = twoSubnets('t', 'bridge');
    const badNode = { ...topo, nodes: [...topo.nodes, { name: 'node9', ip: '10.9.9.9', podCIDR: '10.244.9.0/24' }] };
    assert.throws(() => assertEveryMachineInASubnet(badNode), /^LabError: node node9 \(10\.9\.9\.9\) is in no subnet/);
    assert.throws(() => assertEveryMachineInASubnet({ ...topo, client: { name: 'outside', ip: '192.168.0.50' } }), /client outside \(192\.168\.0\.50\) is in no subnet/);
  });
});
