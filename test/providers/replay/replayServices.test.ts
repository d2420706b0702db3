import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ReplayLab } from '../../../src/providers/replay/replayLab';

const FILE = join(__dirname, '../../fixtures/snapshots/services-overlay.json');

describe('ReplayLab of a version-2 snapshot (recorded from a real lab with Services, the client, subnets and a router)', () => {
  it('reports the Services with their endpoints and the service range, as the lab did', async () => {
    const st = await ReplayLab.open(FILE).status();
    assert.equal(st.serviceCIDR, '10.96.0.0/12');
    assert.equal(st.topology.serviceCIDR, '10.96.0.0/12');
    const web = st.services?.find((s) => s.name === 'web');
    assert.equal(web?.type, 'NodePort');
    assert.deepEqual(web?.ports.map((p) => [p.port, p.targetPort, p.nodePort]), [[80, 8080, 30080]]);
    assert.deepEqual(web?.endpoints.map((e) => e.pod), ['pod-a', 'pod-b']);
    assert.deepEqual(st.services?.find((s) => s.name === 'empty')?.endpoints, []);
  });

  it('reports the client on the wire and the router with one interface per subnet', async () => {
    const st = await ReplayLab.open(FILE).status();
    assert.equal(st.client?.name, 'outside');
    assert.equal(st.client?.ip, '192.168.1.50');
    assert.notEqual(st.client?.wirePort, '', 'the client\'s eth0 is a port of the wire bridge');
    assert.deepEqual(st.router?.interfaces.map((i) => [i.subnet, i.ip]).sort(), [['a', '192.168.1.1'], ['b', '192.168.2.1']]);
    assert.deepEqual(st.topology.network.subnets?.map((s) => s.name), ['a', 'b']);
  });

  it('reports the vxlan nodes with their VTEP (flannel.1, VNI 1, UDP 8472)', async () => {
    const st = await ReplayLab.open(FILE).status();
    assert.deepEqual(st.nodes.map((n) => [n.name, n.cni, n.vtep?.dev, n.vtep?.vni, n.vtep?.port]), [['node1', 'vxlan', 'flannel.1', 1, 8472], ['node2', 'vxlan', 'flannel.1', 1, 8472]]);
  });
});
