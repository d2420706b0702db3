import { strict as assert } from 'node:assert';
import { labExtrasLines, nodeLines } from '../../../src/cli/commands/lab';
import type { NodeInfo, ServiceInfo } from '../../../src/providers/embedded/control/protocol';

describe('podnet lab up|status text', () => {
  it('lab up and lab status list the Services with ClusterIP and ports in the service range', () => {
    const svc = (name: string, ip: string, nodePort?: number): ServiceInfo => ({
      name, type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip, externalTrafficPolicy: 'Cluster', endpoints: [],
      ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) }],
    });
    assert.deepEqual(labExtrasLines({ services: [] }), []);
    assert.deepEqual(labExtrasLines({ serviceCIDR: '10.96.0.0/12', services: [svc('web', '10.96.0.100'), svc('np', '10.96.0.101', 30080)] }), [
      '  2 Services in 10.96.0.0/12: web 10.96.0.100 (80/TCP), np 10.96.0.101 (80:30080/TCP) (podnet get svc)',
    ]);
  });

  it('the outside client comes first, indented like the node lines', () => {
    assert.deepEqual(labExtrasLines({ client: { name: 'outside', ip: '192.168.1.50', wirePort: 'w' } }).map((l) => l.slice(0, 25)), ['  outside client outside:']);
  });
});

describe('podnet lab status node lines', () => {
  const base: NodeInfo = { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24', bridge: 'cbr0', bridgeIP: '10.244.1.1', cni: 'bridge', wirePort: 'wp1' };

  it('a plain bridge node reads as before; ptp and vxlan nodes name their CNI, a vxlan node its tunnel device, a node in a subnet the subnet', () => {
    assert.deepEqual(nodeLines(base), ['  node1  eth0 192.168.1.100  Pod CIDR 10.244.1.0/24  cbr0 10.244.1.1']);
    assert.deepEqual(nodeLines({ ...base, cni: 'ptp', bridge: '' }), ['  node1  eth0 192.168.1.100  Pod CIDR 10.244.1.0/24  no bridge, gateway 10.244.1.1  cni ptp']);
    const vxlan = nodeLines({ ...base, cni: 'vxlan', subnet: 'rack1', vtep: { dev: 'flannel.1', mac: '0e:00:00:00:00:01', vni: 1, port: 8472 } });
    assert.deepEqual(vxlan, ['  node1  eth0 192.168.1.100  Pod CIDR 10.244.1.0/24  cbr0 10.244.1.1  cni vxlan (flannel.1, VNI 1, UDP 8472)  subnet rack1']);
  });

  it('each Pod route the kernel refused (a next hop across the router) gets its own line with the kernel\'s reason', () => {
    const lines = nodeLines({ ...base, subnet: 'rack1', refusedRoutes: [{ dst: '10.244.2.0/24', via: '192.168.2.100', reason: 'Nexthop has invalid gateway' }] });
    assert.deepEqual(lines.slice(1), ['    route 10.244.2.0/24 via 192.168.2.100 not installed: Nexthop has invalid gateway']);
  });
});
