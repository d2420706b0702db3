import { strict as assert } from 'node:assert';
import { SpecError, Topology } from '../../src/model/topology';
import {
  ARTICLE_TOPOLOGY_YAML,
  LAB_LIMITS,
  generateTopology,
  parseTopology,
  topologyToYaml,
  validateTopologyText,
} from '../../src/model/topologySpec';
import { expectError, listErrors, y } from './specAssert';

const ARTICLE: Topology = {
  name: 'article',
  network: { cidr: '192.168.1.0/24' },
  clusterCIDR: '10.244.0.0/16',
  nodes: [
    { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24' },
    { name: 'node2', ip: '192.168.1.101', podCIDR: '10.244.2.0/24' },
  ],
  pods: [
    {
      name: 'pod-a',
      node: 'node1',
      containers: [
        { name: 'web', workload: 'web', port: 8080 },
        { name: 'sidecar', workload: 'sidecar' },
      ],
    },
    { name: 'pod-b', node: 'node1', containers: [{ name: 'web', workload: 'web', port: 8080 }] },
    { name: 'pod-c', node: 'node2', containers: [{ name: 'web', workload: 'web', port: 8080 }] },
  ],
  serviceCIDR: '10.96.0.0/12',
};

/** The article written with nothing but the values that have no default. */
const ARTICLE_MINIMAL = y(
  'name: article',
  'nodes:',
  '  - name: node1',
  '  - name: node2',
  'pods:',
  '  - name: pod-a',
  '    node: node1',
  '    containers:',
  '      - name: web',
  '      - name: sidecar',
  '        workload: sidecar',
  '  - {name: pod-b, node: node1}',
  '  - {name: pod-c, node: node2}',
);

/** n Pods on node1 with the given podCIDR; pod i is on line 4 + i. */
function podsOnOneNode(n: number, podCIDR = '10.244.1.0/24'): string {
  const pods = Array.from({ length: n }, (_, i) => `  - {name: p${i}, node: node1}`);
  return y('nodes:', `  - {name: node1, podCIDR: ${podCIDR}}`, 'pods:', ...pods);
}

describe('topologySpec', () => {
  describe('article topology and defaults', () => {
    it('ARTICLE_TOPOLOGY_YAML parses to the article cluster', () => {
      assert.deepEqual(parseTopology(ARTICLE_TOPOLOGY_YAML), ARTICLE);
    });

    it('a spec with only names and placements gets the article addresses by default', () => {
      assert.deepEqual(parseTopology(ARTICLE_MINIMAL), ARTICLE);
    });

    it('defaults name, network, clusterCIDR and pods when only nodes are given', () => {
      const t = parseTopology(y('nodes:', '  - name: node1', '  - name: node2', '  - name: node3'));
      assert.equal(t.name, 'lab');
      assert.deepEqual(t.network, { cidr: '192.168.1.0/24' });
      assert.equal(t.clusterCIDR, '10.244.0.0/16');
      assert.deepEqual(t.pods, []);
      assert.deepEqual(t.nodes[2], { name: 'node3', ip: '192.168.1.102', podCIDR: '10.244.3.0/24' });
    });

    it('node defaults follow a custom network and clusterCIDR', () => {
      const t = parseTopology(y('network: {cidr: 172.16.0.0/16}', 'clusterCIDR: 10.8.0.0/14', 'nodes: [{name: a}, {name: b}]'));
      assert.deepEqual(t.nodes, [
        { name: 'a', ip: '172.16.0.100', podCIDR: '10.8.1.0/24' },
        { name: 'b', ip: '172.16.0.101', podCIDR: '10.8.2.0/24' },
      ]);
    });

    it('an empty value means the default', () => {
      const t = parseTopology(y('name:', 'network:', 'nodes:', '  - name: node1', '    ip:', 'pods:'));
      assert.equal(t.name, 'lab');
      assert.equal(t.network.cidr, '192.168.1.0/24');
      assert.equal(t.nodes[0].ip, '192.168.1.100');
      assert.deepEqual(t.pods, []);
    });

    it('sidecar and sleep containers have no port unless one is given; web defaults to 8080', () => {
      const t = parseTopology(y(
        'nodes: [{name: node1}]',
        'pods:',
        '  - name: p',
        '    node: node1',
        '    containers:',
        '      - {name: s1, workload: sidecar}',
        '      - {name: s2, workload: sleep}',
        '      - {name: s3, workload: sleep, port: 9000}',
        '      - {name: w, workload: web}',
        '      - {name: w2, port: 8081}',
      ));
      assert.deepEqual(t.pods[0].containers, [
        { name: 's1', workload: 'sidecar' },
        { name: 's2', workload: 'sleep' },
        { name: 's3', workload: 'sleep', port: 9000 },
        { name: 'w', workload: 'web', port: 8080 },
        { name: 'w2', workload: 'web', port: 8081 },
      ]);
      assert.ok(!('port' in t.pods[0].containers[0]), 'no port key at all, not port: undefined');
    });

    it('resolves YAML anchors and aliases', () => {
      const t = parseTopology(y(
        'nodes: [{name: node1}]',
        'pods:',
        '  - {name: a, node: node1, containers: &pair [{name: web}, {name: side, workload: sidecar}]}',
        '  - {name: b, node: node1, containers: *pair}',
      ));
      assert.deepEqual(t.pods[1].containers, t.pods[0].containers);
    });
  });

  describe('JSON input', () => {
    it('accepts JSON (compact or tab-indented) and applies the same defaults', () => {
      const spec = {
        name: 'article',
        nodes: [{ name: 'node1' }, { name: 'node2' }],
        pods: [
          { name: 'pod-a', node: 'node1', containers: [{ name: 'web' }, { name: 'sidecar', workload: 'sidecar' }] },
          { name: 'pod-b', node: 'node1' },
          { name: 'pod-c', node: 'node2' },
        ],
      };
      assert.deepEqual(parseTopology(JSON.stringify(spec)), ARTICLE);
      assert.deepEqual(parseTopology(JSON.stringify(spec, null, '\t')), ARTICLE);
    });

    it('reports JSON errors with their line', () => {
      const text = ['{', '  "nodes": [', '    {"name": "node1", "IP": "192.168.1.5"}', '  ]', '}'].join('\n');
      expectError(text, { field: 'nodes[0].IP', line: 3, message: /unknown key 'IP'/, hint: /did you mean 'ip'/ });
    });
  });

  describe('error reporting', () => {
    it('parseTopology throws the first error in file order as a SpecError with file, line, column and field', () => {
      const text = y('nodes:', '  - name: node1', 'pods:', '  - {name: a, node: nodeX}', 'extra: 1');
      assert.throws(
        () => parseTopology(text, 'my.yaml'),
        (e: unknown) => {
          assert.ok(e instanceof SpecError);
          assert.deepEqual(e.location, { file: 'my.yaml', line: 4, column: 21, field: 'pods[0].node' });
          assert.equal(e.format(), "my.yaml:4:21: pods[0].node: Pod a is on unknown node 'nodeX' (use one of the nodes: node1)");
          return true;
        },
      );
    });

    it('validateTopologyText returns every error, sorted by line', () => {
      const text = y('nodes:', '  - name: Node1', '  - name: node2', '    ip: 192.168.1.300', 'pods:', '  - {name: a, node: node2, colour: red}');
      const errors = validateTopologyText(text);
      assert.deepEqual(errors.map((e) => [e.location.line, e.location.field]), [
        [2, 'nodes[0].name'],
        [4, 'nodes[1].ip'],
        [6, 'pods[0].colour'],
      ]);
      assert.equal(errors[0].location.file, undefined, 'no file given, none reported');
    });

    it('returns no errors for a valid topology', () => {
      assert.deepEqual(validateTopologyText(ARTICLE_TOPOLOGY_YAML), []);
    });
  });

  describe('syntax and structure errors', () => {
    it('malformed YAML reports the parser position', () => {
      expectError(y('nodes:', '  - name: node1', '    ip: 1: 2'), { line: 3, column: 9, message: /YAML syntax error: Nested mappings/ });
      expectError(y('nodes:', '  - name: node1', '\tip: x'), { line: 3, column: 1, message: /Tabs are not allowed/ });
    });

    it('after a syntax error only syntax errors are reported (no guesses from a broken tree)', () => {
      const errors = validateTopologyText(y('nodes:', '  - name: Node_1', 'pods: [', '  {name: a'));
      assert.ok(errors.length > 0);
      assert.ok(errors.every((e) => e.message.startsWith('YAML syntax error')), listErrors(errors));
    });

    it('duplicate keys are a syntax error on the second key', () => {
      expectError(y('nodes: [{name: node1}]', 'name: a', 'name: b'), { line: 3, column: 1, message: /unique/ });
    });

    it('a top level that is not a mapping is rejected', () => {
      expectError(y('- name: node1'), { line: 1, message: /top level .* must be a mapping.*got a list/, hint: /nodes:/ });
      expectError(y('just text'), { line: 1, message: /got the string 'just text'/ });
    });

    it('an empty file is rejected', () => {
      expectError('', { line: 1, message: /empty/, hint: /nodes:/ });
      expectError('# only a comment\n', { line: 1, message: /empty/ });
    });

    it('unknown top-level key names the allowed keys', () => {
      expectError(y('nodes: [{name: node1}]', 'netwrok:', '  cidr: 10.0.0.0/24'), {
        field: 'netwrok', line: 2, column: 1, message: /unknown key 'netwrok'/, hint: /allowed keys here: name, network, clusterCIDR, serviceCIDR, nodes, pods, services, client, dockerHost$/,
      });
    });

    it('unknown keys in nodes, pods, containers and network are rejected with their own allowed keys', () => {
      expectError(y('nodes:', '  - name: node1', '    podCidr: 10.244.1.0/24'), {
        field: 'nodes[0].podCidr', line: 3, message: /unknown key 'podCidr' in nodes\[0\]/, hint: /did you mean 'podCIDR'\? allowed keys here: name, ip, subnet, podCIDR, cni$/,
      });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    image: nginx'), {
        field: 'pods[0].image', line: 5, message: /unknown key 'image'/, hint: /name, node, labels, containers/,
      });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - name: web', '        ports: [80]'), {
        field: 'pods[0].containers[0].ports', line: 7, message: /unknown key 'ports'/, hint: /name, workload, port/,
      });
      expectError(y('network:', '  cidr: 10.0.0.0/24', '  gateway: 10.0.0.1', 'nodes: [{name: node1}]'), {
        field: 'network.gateway', line: 3, message: /unknown key 'gateway'/, hint: /allowed keys here: cidr, subnets, router$/,
      });
    });

    it('nodes is required and must not be empty', () => {
      expectError(y('name: x'), { field: 'nodes', line: 1, message: /nodes is missing/ });
      expectError(y('name: x', 'nodes: []'), { field: 'nodes', line: 2, message: /nodes is empty/ });
    });

    it('required names and Pod node are reported where the entry is', () => {
      expectError(y('nodes:', '  - ip: 192.168.1.5'), { field: 'nodes[0].name', line: 2, message: /has no name/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a'), { field: 'pods[0].node', line: 3, message: /Pod a has no node/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - node: node1'), { field: 'pods[0].name', line: 3, message: /has no name/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - workload: sleep'), {
        field: 'pods[0].containers[0].name', line: 6, message: /has no name/,
      });
    });

    it('wrong types say what was found', () => {
      expectError(y('nodes: node1'), { field: 'nodes', line: 1, message: /nodes must be a list, got the string 'node1'/ });
      expectError(y('nodes:', '  - node1'), { field: 'nodes[0]', line: 2, message: /must be a mapping.*got the string 'node1'/ });
      expectError(y('network: 10.0.0.0/24', 'nodes: [{name: node1}]'), { field: 'network', line: 1, message: /network must be a mapping/, hint: /cidr/ });
      expectError(y('name: 42', 'nodes: [{name: node1}]'), { field: 'name', line: 1, message: /name must be a non-empty string, got the number 42/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1, containers: [{name: web, port: "8080"}]}'), {
        field: 'pods[0].containers[0].port', line: 3, message: /port must be a whole number, got the string '8080'/,
      });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1, containers: [{name: web, port: 80.5}]}'), {
        field: 'pods[0].containers[0].port', line: 3, message: /whole number/,
      });
      expectError(y('nodes: [{name: node1}]', 'pods: {a: node1}'), { field: 'pods', line: 2, message: /pods must be a list, got a mapping/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1, containers: web}'), {
        field: 'pods[0].containers', line: 3, message: /containers must be a list/,
      });
    });

    it('an empty containers list is rejected', () => {
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers: []'), {
        field: 'pods[0].containers', line: 5, message: /at least one container/,
      });
    });

    it('an unknown workload lists the known ones', () => {
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - {name: x, workload: nginx}'), {
        field: 'pods[0].containers[0].workload', line: 6, message: /unknown workload 'nginx'/, hint: /web, sidecar, sleep/,
      });
    });
  });

  describe('names', () => {
    it('rejects names that are not DNS labels', () => {
      for (const bad of ['Node1', 'node_1', '-node', 'node-', 'nöde', 'a.b']) {
        expectError(y('nodes:', `  - name: "${bad}"`), { field: 'nodes[0].name', line: 2, message: /not a valid DNS label/, hint: /lowercase/ });
      }
      expectError(y('name: My-Lab', 'nodes: [{name: node1}]'), { field: 'name', line: 1, message: /lab name 'My-Lab'/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: Pod-A, node: node1}'), { field: 'pods[0].name', line: 3, message: /Pod name 'Pod-A'/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1, containers: [{name: my_web}]}'), {
        field: 'pods[0].containers[0].name', line: 3, message: /container name 'my_web'/,
      });
    });

    it('enforces length limits: node 12, container 15, Pod 63', () => {
      assert.doesNotThrow(() => parseTopology(y('nodes:', `  - name: ${'n'.repeat(12)}`)));
      expectError(y('nodes:', `  - name: ${'n'.repeat(13)}`), { field: 'nodes[0].name', line: 2, message: /13 characters long; the limit is 12/ });

      const pod = (name: string, container = 'web') => y('nodes: [{name: node1}]', 'pods:', `  - {name: ${name}, node: node1, containers: [{name: ${container}}]}`);
      assert.doesNotThrow(() => parseTopology(pod('p'.repeat(63), 'c'.repeat(15))));
      expectError(pod('p'.repeat(64)), { field: 'pods[0].name', line: 3, message: /64 characters long; the limit is 63/ });
      expectError(pod('p', 'c'.repeat(16)), { field: 'pods[0].containers[0].name', line: 3, message: /16 characters long; the limit is 15/ });
    });

    it('rejects duplicate node, Pod and container names on the second occurrence', () => {
      expectError(y('nodes:', '  - name: node1', '  - name: node1'), { field: 'nodes[1].name', line: 3, message: /duplicate node name 'node1'/ });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1}', '  - {name: a, node: node1}'), {
        field: 'pods[1].name', line: 4, message: /duplicate Pod name 'a'/,
      });
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - {name: c, workload: sleep}', '      - {name: c, workload: sidecar}'), {
        field: 'pods[0].containers[1].name', line: 7, message: /duplicate container name 'c' in Pod a/,
      });
    });
  });

  describe('addresses', () => {
    it('an invalid CIDR or IP names the value', () => {
      expectError(y('network: {cidr: 192.168.1.0/33}', 'nodes: [{name: node1, ip: 192.168.1.5}]'), { field: 'network.cidr', line: 1, message: /'192\.168\.1\.0\/33'/ });
      expectError(y('clusterCIDR: 10.244.0.0', 'nodes: [{name: node1, podCIDR: 10.244.1.0/24}]'), { field: 'clusterCIDR', line: 1, message: /invalid CIDR '10\.244\.0\.0'/ });
      expectError(y('nodes:', '  - name: node1', '    ip: 192.168.1.256'), { field: 'nodes[0].ip', line: 3, message: /invalid IPv4 address '192\.168\.1\.256'/ });
      expectError(y('nodes:', '  - name: node1', '    podCIDR: 10.244.1.5/24'), {
        field: 'nodes[0].podCIDR', line: 3, message: /'10\.244\.1\.5\/24'.*host bits.*use 10\.244\.1\.0\/24/,
      });
    });

    it('network and clusterCIDR must not overlap', () => {
      expectError(y('network:', '  cidr: 10.0.0.0/8', 'clusterCIDR: 10.244.0.0/16', 'serviceCIDR: 172.20.0.0/16', 'nodes: [{name: node1, ip: 10.0.0.10}]'), {
        field: 'clusterCIDR', line: 3, message: /clusterCIDR 10\.244\.0\.0\/16 overlaps the node network 10\.0\.0\.0\/8/,
      });
    });

    it('a node podCIDR must lie inside clusterCIDR', () => {
      expectError(y('nodes:', '  - name: node1', '    podCIDR: 10.245.1.0/24'), {
        field: 'nodes[0].podCIDR', line: 3, message: /podCIDR 10\.245\.1\.0\/24 of node node1 is outside clusterCIDR 10\.244\.0\.0\/16/,
      });
    });

    it('node podCIDRs must not overlap, including a default one', () => {
      expectError(y('nodes:', '  - name: node1', '    podCIDR: 10.244.0.0/23', '  - name: node2', '    podCIDR: 10.244.1.0/24'), {
        field: 'nodes[1].podCIDR', line: 5, message: /10\.244\.1\.0\/24 of node node2 overlaps podCIDR 10\.244\.0\.0\/23 of node node1/,
      });
      // node2's default podCIDR is 10.244.2.0/24, taken by node1 already.
      expectError(y('nodes:', '  - name: node1', '    podCIDR: 10.244.2.0/24', '  - name: node2'), {
        field: 'nodes[1].podCIDR', line: 4, message: /overlaps/,
      });
    });

    it('a podCIDR must be between /16 and /30', () => {
      const node = (cidr: string) => y('clusterCIDR: 10.0.0.0/8', 'serviceCIDR: 172.20.0.0/16', 'nodes:', '  - name: node1', `    podCIDR: ${cidr}`);
      expectError(node('10.244.1.0/31'), { field: 'nodes[0].podCIDR', line: 5, message: /smaller than \/30/, hint: /\/16 to \/30/ });
      expectError(node('10.244.0.0/15'), { field: 'nodes[0].podCIDR', line: 5, message: /larger than \/16/ });
      assert.equal(parseTopology(node('10.244.1.0/30')).nodes[0].podCIDR, '10.244.1.0/30');
      assert.equal(parseTopology(node('10.244.0.0/16')).nodes[0].podCIDR, '10.244.0.0/16');
    });

    it('a node ip must be a host address of the node network', () => {
      const node = (ip: string) => y('nodes:', '  - name: node1', `    ip: ${ip}`);
      expectError(node('192.168.2.1'), { field: 'nodes[0].ip', line: 3, message: /ip 192\.168\.2\.1 is outside the node network 192\.168\.1\.0\/24/, hint: /192\.168\.1\.1-192\.168\.1\.254/ });
      expectError(node('192.168.1.0'), { field: 'nodes[0].ip', line: 3, message: /network address of 192\.168\.1\.0\/24/ });
      expectError(node('192.168.1.255'), { field: 'nodes[0].ip', line: 3, message: /broadcast address/ });
      assert.equal(parseTopology(node('192.168.1.254')).nodes[0].ip, '192.168.1.254');
    });

    it('node ips must be unique, including a default one', () => {
      expectError(y('nodes:', '  - {name: node1, ip: 192.168.1.7}', '  - {name: node2, ip: 192.168.1.7}'), {
        field: 'nodes[1].ip', line: 3, message: /node node2 has the same ip 192\.168\.1\.7 as node node1/,
      });
      // node2 defaults to .101.
      expectError(y('nodes:', '  - {name: node1, ip: 192.168.1.101}', '  - {name: node2}'), { field: 'nodes[1].ip', line: 3, message: /same ip/ });
    });

    it('reports when a default cannot be computed because the base range is too small', () => {
      expectError(y('network: {cidr: 192.168.1.0/26}', 'nodes:', '  - name: node1'), { field: 'nodes[0].ip', line: 3, message: /no default ip/, hint: /give this node an ip/ });
      expectError(y('clusterCIDR: 10.244.0.0/25', 'nodes:', '  - name: node1', '    ip: 192.168.1.5'), {
        field: 'nodes[0].podCIDR', line: 3, message: /no default podCIDR/,
      });
    });
  });

  describe('Pods', () => {
    it('a Pod on an unknown node lists the known nodes', () => {
      expectError(y('nodes: [{name: node1}, {name: node2}]', 'pods:', '  - name: a', '    node: node3'), {
        field: 'pods[0].node', line: 4, column: 11, message: /Pod a is on unknown node 'node3'/, hint: /node1, node2/,
      });
    });

    it('containers of one Pod must use different ports', () => {
      const e = expectError(
        y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - {name: web, port: 80}', '      - {name: api, workload: sleep, port: 80}'),
        { field: 'pods[0].containers[1].port', line: 7, message: /containers web and api of Pod a both use port 80/ },
      );
      assert.equal(e.hint, 'containers of a Pod share one network namespace and one IP, so their ports must differ');
      // Two web containers without a port both default to 8080.
      expectError(y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', '      - name: w1', '      - name: w2'), {
        field: 'pods[0].containers[1].port', line: 7, message: /both use port 8080/,
      });
    });

    it('the same port in different Pods is fine (each Pod has its own IP)', () => {
      assert.doesNotThrow(() => parseTopology(y('nodes: [{name: node1}]', 'pods:', '  - {name: a, node: node1}', '  - {name: b, node: node1}')));
    });

    it('ports must be within 1..65535', () => {
      const withPort = (port: number) => y('nodes: [{name: node1}]', 'pods:', '  - name: a', '    node: node1', '    containers:', `      - {name: web, port: ${port}}`);
      expectError(withPort(0), { field: 'pods[0].containers[0].port', line: 6, message: /port 0 is out of range/, hint: /1 to 65535/ });
      expectError(withPort(65536), { field: 'pods[0].containers[0].port', line: 6, message: /port 65536 is out of range/ });
      assert.equal(parseTopology(withPort(65535)).pods[0].containers[0].port, 65535);
      assert.equal(parseTopology(withPort(1)).pods[0].containers[0].port, 1);
    });

    it('253 Pods fit on a /24 node', () => {
      assert.equal(parseTopology(podsOnOneNode(253)).pods.length, 253);
    });

    it('the 254th Pod on a /24 node is a capacity error naming node, CIDR and capacity, reported once', () => {
      const e = expectError(podsOnOneNode(255), {
        field: 'pods[253].node', line: 4 + 253, message: /node node1 is full: its podCIDR 10\.244\.1\.0\/24 holds 253 Pods and Pod p253 would be number 254/,
        hint: /larger podCIDR/,
      });
      assert.ok(e instanceof SpecError);
    });

    it('a /30 node holds exactly one Pod', () => {
      assert.doesNotThrow(() => parseTopology(podsOnOneNode(1, '10.244.1.0/30')));
      expectError(podsOnOneNode(2, '10.244.1.0/30'), { field: 'pods[1].node', line: 5, message: /holds 1 Pods/ });
    });
  });

  describe('lab limits', () => {
    const nodes = (n: number) => y('nodes:', ...Array.from({ length: n }, (_, i) => `  - name: node${i + 1}`));

    it(`allows ${LAB_LIMITS.nodes} nodes and rejects more`, () => {
      assert.equal(LAB_LIMITS.nodes, 16);
      assert.equal(parseTopology(nodes(16)).nodes.length, 16);
      expectError(nodes(17), { field: 'nodes', line: 1, message: /17 nodes is more than the lab limit of 16/ });
    });

    it(`allows ${LAB_LIMITS.pods} Pods and rejects more`, () => {
      assert.equal(LAB_LIMITS.pods, 1000);
      const pods = (n: number) =>
        y('nodes: [{name: node1}, {name: node2}, {name: node3}, {name: node4}, {name: node5}]', 'pods:',
          ...Array.from({ length: n }, (_, i) => `  - {name: p${i}, node: node${(i % 5) + 1}}`));
      assert.equal(parseTopology(pods(1000)).pods.length, 1000);
      expectError(pods(1001), { field: 'pods', line: 2, message: /1001 Pods is more than the lab limit of 1000/ });
    });
  });

  describe('generateTopology', () => {
    it('generateTopology(3, 50) is valid with 150 unique Pod names spread over node1..node3', () => {
      const t = generateTopology(3, 50);
      assert.deepEqual(t.nodes.map((n) => n.name), ['node1', 'node2', 'node3']);
      assert.deepEqual(t.nodes.map((n) => n.podCIDR), ['10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']);
      assert.equal(t.pods.length, 150);
      assert.equal(new Set(t.pods.map((p) => p.name)).size, 150);
      assert.equal(t.pods[0].name, 'p1-001');
      assert.equal(t.pods[149].name, 'p3-050');
      assert.equal(t.pods.filter((p) => p.node === 'node2').length, 50);
      assert.ok(t.pods.every((p) => p.containers.length === 1 && p.containers[0].workload === 'web' && p.containers[0].port === 8080));
      assert.deepEqual(validateTopologyText(topologyToYaml(t)), []);
    });

    it('generateTopology rejects sizes the lab cannot hold', () => {
      assert.throws(() => generateTopology(17, 1), (e: unknown) => e instanceof SpecError && /lab limit of 16/.test(e.message));
      assert.throws(() => generateTopology(1, 254), (e: unknown) => e instanceof SpecError && /node node1 is full/.test(e.message));
    });
  });

  describe('topologyToYaml', () => {
    it('round-trips the article and a generated topology', () => {
      assert.deepEqual(parseTopology(topologyToYaml(ARTICLE)), ARTICLE);
      const g = generateTopology(2, 3);
      assert.deepEqual(parseTopology(topologyToYaml(g)), g);
    });

    it('writes every default out and omits absent ports', () => {
      const text = topologyToYaml(parseTopology(ARTICLE_MINIMAL));
      assert.match(text, /ip: 192\.168\.1\.101/);
      assert.match(text, /podCIDR: 10\.244\.2\.0\/24/);
      assert.match(text, /cidr: 192\.168\.1\.0\/24/);
      assert.doesNotMatch(text, /port: null|undefined/);
    });
  });
});
