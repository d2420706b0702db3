import { strict as assert } from 'node:assert';
import { coveringCIDR } from '../../src/model/networkSpec';
import { parseTopology, topologyToYaml, validateTopologyText, withDefaultDockerHost } from '../../src/model/topologySpec';
import { expectError, listErrors, y } from './specAssert';

/** Two subnets, a and b; the nodes list starts on line 5. */
function twoSubnets(...nodes: string[]): string {
  return y('network:', '  subnets:', '    - {name: a, cidr: 192.168.1.0/24}', '    - {name: b, cidr: 192.168.2.0/24}', 'nodes:', ...nodes);
}

describe('networkSpec (subnets, router, vxlan nodes)', () => {
  describe('defaults', () => {
    it('without subnets the network, node addresses and router are as before', () => {
      const t = parseTopology(y('nodes: [{name: n1}, {name: n2}]'));
      assert.deepEqual(t.network, { cidr: '192.168.1.0/24' });
      assert.deepEqual(t.nodes.map((n) => [n.ip, n.subnet]), [['192.168.1.100', undefined], ['192.168.1.101', undefined]]);
    });

    it('gives each subnet routerIP host 1 and the router the name router', () => {
      const t = parseTopology(twoSubnets('  - {name: n1}'));
      assert.deepEqual(t.network.subnets, [
        { name: 'a', cidr: '192.168.1.0/24', routerIP: '192.168.1.1' },
        { name: 'b', cidr: '192.168.2.0/24', routerIP: '192.168.2.1' },
      ]);
      assert.deepEqual(t.network.router, { name: 'router' });
    });

    it('numbers node addresses 100+k within each subnet; a node without ip or subnet goes to the first subnet', () => {
      const t = parseTopology(twoSubnets('  - {name: n1}', '  - {name: n2, subnet: b}', '  - {name: n3, subnet: b}', '  - {name: n4}', '  - {name: n5, ip: 192.168.2.7}'));
      assert.deepEqual(t.nodes.map((n) => [n.name, n.ip, n.subnet]), [
        ['n1', '192.168.1.100', 'a'], ['n2', '192.168.2.100', 'b'], ['n3', '192.168.2.101', 'b'], ['n4', '192.168.1.101', 'a'], ['n5', '192.168.2.7', 'b'],
      ]);
      assert.deepEqual(t.nodes.map((n) => n.podCIDR), ['10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24', '10.244.4.0/24', '10.244.5.0/24']);
    });

    it('derives network.cidr: 192.168.1.0/24 when it holds every subnet, else the smallest range that does', () => {
      assert.equal(parseTopology(twoSubnets('  - {name: n1}')).network.cidr, '192.168.0.0/22');
      assert.equal(coveringCIDR(['192.168.1.0/26', '192.168.1.64/26']), '192.168.1.0/24');
      assert.equal(coveringCIDR(['10.1.0.0/24', '10.1.1.0/24']), '10.1.0.0/23');
      assert.equal(coveringCIDR(['10.0.0.0/24', '172.16.0.0/24']), '0.0.0.0/0');
      assert.equal(coveringCIDR(['not-a-cidr']), '192.168.1.0/24');
      assert.equal(parseTopology(y('network:', '  cidr: 192.168.0.0/16', '  subnets: [{name: a, cidr: 192.168.5.0/24}]', 'nodes: [{name: n1}]')).network.cidr, '192.168.0.0/16');
    });

    it('puts the client, the Docker host and a custom-named router in the first subnet by default', () => {
      const t = parseTopology(twoSubnets('  - {name: n1, subnet: b}').replace('nodes:', '  router: {name: gw}\nnodes:') + 'client: {}\ndockerHost: {}\n');
      assert.deepEqual(t.client, { name: 'outside', ip: '192.168.1.50', subnet: 'a' });
      assert.equal(t.dockerHost?.ip, '192.168.1.10');
      assert.deepEqual(t.network.router, { name: 'gw' });
      assert.equal(parseTopology(twoSubnets('  - {name: n1}') + 'client: {ip: 192.168.2.50}\n').client?.subnet, 'b');
    });

    it('--with-docker-host puts the default Docker host in the first subnet', () => {
      const t = withDefaultDockerHost(parseTopology(twoSubnets('  - {name: n1, subnet: b}').replace('192.168.1.0/24', '192.168.4.0/24')));
      assert.equal(t.network.cidr, '192.168.0.0/21');
      assert.equal(t.dockerHost?.ip, '192.168.4.10');
    });

    it('accepts vxlan nodes on different subnets and routed nodes on different subnets', () => {
      assert.deepEqual(validateTopologyText(twoSubnets('  - {name: n1, cni: vxlan}', '  - {name: n2, subnet: b, cni: vxlan}')), []);
      // Routed nodes across the router are valid: the lesson shows the kernel refusing the route.
      assert.deepEqual(validateTopologyText(twoSubnets('  - {name: n1}', '  - {name: n2, subnet: b, cni: ptp}')), []);
      assert.deepEqual(validateTopologyText(twoSubnets('  - {name: n1, cni: vxlan}', '  - {name: n2}')), [], 'vxlan and bridge on one subnet');
      assert.deepEqual(validateTopologyText(y('nodes: [{name: n1, cni: vxlan}, {name: n2}]')), [], 'vxlan and bridge on one flat network');
    });
  });

  describe('round trip', () => {
    it('parse(toYaml(t)) equals t with subnets, a router, node subnets, vxlan, a client and a Docker host', () => {
      const t = parseTopology(twoSubnets('  - {name: n1, cni: vxlan}', '  - {name: n2, subnet: b, cni: vxlan}')
        .replace('nodes:', '  router: {name: gw}\nnodes:') + 'client: {ip: 192.168.2.9}\ndockerHost: {}\n');
      const text = topologyToYaml(t);
      assert.deepEqual(parseTopology(text), t, text);
      assert.match(text, /routerIP: 192\.168\.2\.1/);
    });
  });

  describe('errors', () => {
    it('a node whose ip is in no subnet says so, with the subnets', () => {
      const e = expectError(twoSubnets('  - {name: node1}', '  - {name: X1, ip: 192.168.3.5}'.replace('X1', 'node3')), {
        field: 'nodes[1].ip', line: 7, message: /^node node3 \(192\.168\.3\.5\) is in no subnet of network\.subnets$/,
      });
      assert.match(e.hint ?? '', /a 192\.168\.1\.0\/24, b 192\.168\.2\.0\/24/);
    });

    it('overlapping subnets are refused at the second', () => {
      expectError(y('network:', '  subnets:', '    - {name: a, cidr: 192.168.1.0/24}', '    - {name: b, cidr: 192.168.1.128/25}', 'nodes: [{name: n1, ip: 192.168.1.10}]'), {
        field: 'network.subnets[1].cidr', line: 4, message: /subnet b 192\.168\.1\.128\/25 overlaps subnet a 192\.168\.1\.0\/24/,
      });
    });

    it('a vxlan node and a routed node on different subnets are refused, naming both and what to do', () => {
      const e = expectError(twoSubnets('  - {name: n1, cni: vxlan}', '  - {name: n2, subnet: b, cni: ptp}'), {
        field: 'nodes[1].cni', line: 7, message: /node n1 \(vxlan, subnet a\) and node n2 \(ptp, subnet b\) could not reach each other's Pods/,
      });
      assert.match(e.hint ?? '', /make both nodes vxlan, or put them on one subnet/);
      expectError(twoSubnets('  - {name: n1}', '  - {name: n2, subnet: b, cni: vxlan}'), { field: 'nodes[1].cni', line: 7, message: /node n2 \(vxlan, subnet b\) and node n1 \(bridge, subnet a\)/ });
    });

    it('subnets overlapping the Pod, Service or Docker ranges, or outside network.cidr, are refused', () => {
      const one = (cidr: string, extra = '') => y('network:', '  cidr: 192.168.0.0/16', `  subnets: [{name: a, cidr: ${cidr}}]`, 'nodes: [{name: n1}]') + extra;
      expectError(one('10.244.9.0/24').replace('  cidr: 192.168.0.0/16\n', ''), { field: 'network.subnets[0].cidr', line: 2, message: /overlaps clusterCIDR/ });
      expectError(one('192.168.0.0/16', 'serviceCIDR: 192.168.200.0/24\n'), { field: 'serviceCIDR', line: 5, message: /overlaps subnet a/ });
      expectError(one('172.17.1.0/24').replace('  cidr: 192.168.0.0/16\n', '') + 'dockerHost: {ip: 172.17.1.10, bridgeCIDR: 172.17.0.0/16}\n', { field: 'network.subnets[0].cidr', line: 2, message: /overlaps the Docker host's bridgeCIDR/ });
      expectError(one('10.1.0.0/24'), { field: 'network.subnets[0].cidr', line: 3, message: /outside network\.cidr 192\.168\.0\.0\/16/ });
      expectError(one('192.168.1.0/31'), { field: 'network.subnets[0].cidr', line: 3, message: /smaller than \/30/ });
    });

    it('subnet names are DNS labels and unique; a subnet needs a cidr; the list is not empty', () => {
      expectError(twoSubnets('  - {name: n1}').replace('name: b', 'name: a'), { field: 'network.subnets[1].name', line: 4, message: /duplicate subnet name 'a'/ });
      expectError(twoSubnets('  - {name: n1}').replace('name: b', 'name: B_2'), { field: 'network.subnets[1].name', line: 4, message: /not a valid DNS label/ });
      expectError(y('network:', '  subnets: [{name: a, cidr: 192.168.1.0/24}, {name: b}]', 'nodes: [{name: n1}]'), { field: 'network.subnets[1].cidr', line: 2, message: /subnet b has no cidr/ });
      expectError(y('network:', '  subnets: []', 'nodes: [{name: n1}]'), { field: 'network.subnets', line: 2, message: /network\.subnets is empty/ });
    });

    it('routerIP must be a host of its subnet and not a machine\'s address', () => {
      const custom = (ip: string) => y('network:', `  subnets: [{name: a, cidr: 192.168.1.0/24, routerIP: ${ip}}]`, 'nodes: [{name: n1}]');
      expectError(custom('192.168.2.1'), { field: 'network.subnets[0].routerIP', line: 2, message: /outside subnet a 192\.168\.1\.0\/24/ });
      expectError(custom('192.168.1.255'), { field: 'network.subnets[0].routerIP', line: 2, message: /broadcast address/ });
      expectError(custom('192.168.1.100'), { field: 'nodes[0].ip', line: 3, message: /node n1 has the router's address 192\.168\.1\.100 in subnet a/ });
    });

    it('a node names an unknown subnet, or an ip outside the subnet it names, or a subnet without subnets', () => {
      expectError(twoSubnets('  - {name: n1, subnet: c}'), { field: 'nodes[0].subnet', line: 6, message: /node n1 is in unknown subnet 'c'/, hint: /a, b/ });
      expectError(twoSubnets('  - {name: n1, subnet: b, ip: 192.168.1.7}'), { field: 'nodes[0].ip', line: 6, message: /outside its subnet b 192\.168\.2\.0\/24/ });
      expectError(y('nodes: [{name: n1, subnet: a}]'), { field: 'nodes[0].subnet', line: 1, message: /the network has no subnets/ });
    });

    it('network.router needs subnets, and its name is a short DNS label unique among endpoints', () => {
      expectError(y('network: {router: {name: gw}}', 'nodes: [{name: n1}]'), { field: 'network.router', line: 1, message: /no network\.subnets for it to join/ });
      const named = (name: string) => twoSubnets('  - {name: n1}').replace('nodes:', `  router: {name: ${name}}\nnodes:`);
      expectError(named('n1'), { field: 'network.router.name', line: 5, message: /already the name of node n1/ });
      expectError(named('a-very-long-router'), { field: 'network.router.name', line: 5, message: /limit is 12/ });
      expectError(named('gw') + 'client: {name: gw}\n', { field: 'network.router.name', line: 5, message: /already the name of the client gw/ });
    });

    it('the client and the Docker host must be in a subnet', () => {
      expectError(twoSubnets('  - {name: n1}') + 'client: {ip: 192.168.3.50}\n', { field: 'client.ip', line: 7, message: /client outside \(192\.168\.3\.50\) is in no subnet/ });
      expectError(twoSubnets('  - {name: n1}') + 'dockerHost: {ip: 192.168.3.10}\n', { field: 'dockerHost.ip', line: 7, message: /Docker host docker-host \(192\.168\.3\.10\) is in no subnet/ });
    });

    it('more than 8 subnets is over the lab limit', () => {
      const subnets = Array.from({ length: 9 }, (_, i) => `    - {name: s${i}, cidr: 192.168.${i + 1}.0/24}`);
      const errors = validateTopologyText(y('network:', '  subnets:', ...subnets, 'nodes: [{name: n1}]'), 'lab.yaml');
      assert.deepEqual(errors.map((e) => e.location.field), ['network.subnets'], listErrors(errors));
      assert.match(errors[0].message, /9 subnets is more than the lab limit of 8/);
    });
  });
});
