import { strict as assert } from 'node:assert';
import { ARTICLE_TOPOLOGY_YAML, parseTopology, topologyToYaml, validateTopologyText } from '../../src/model/topologySpec';
import { expectError, listErrors, y } from './specAssert';

/** The article cluster with pod-a and pod-c labelled app=web (pod-a's line is 3 + its index below). */
const LABELLED = y(
  'nodes: [{name: node1}, {name: node2}]',
  'pods:',
  '  - {name: pod-a, node: node1, labels: {app: web}}',
  '  - {name: pod-b, node: node1}',
  '  - {name: pod-c, node: node2, labels: {app: web, tier: front}}',
);

/** LABELLED plus a services list; the first Service line is line 7. */
function withServices(...lines: string[]): string {
  return LABELLED + y('services:', ...lines);
}

describe('serviceSpec (topology files with Services)', () => {
  describe('defaults', () => {
    it('gives every topology the kubeadm service range 10.96.0.0/12 and no Services or client', () => {
      const t = parseTopology(ARTICLE_TOPOLOGY_YAML);
      assert.equal(t.serviceCIDR, '10.96.0.0/12');
      assert.equal(t.services, undefined);
      assert.equal(t.client, undefined);
    });

    it('fills in ClusterIP type, TCP, targetPort = port, Cluster policy, and clusterIP host 100+index', () => {
      const t = parseTopology(withServices('  - {name: web, selector: {app: web}, port: 80}', '  - {name: api, pods: [pod-b], port: 9090, targetPort: 8080}'));
      assert.deepEqual(t.services, [
        { name: 'web', selector: { labels: { app: 'web' } }, type: 'ClusterIP', clusterIP: '10.96.0.100', protocol: 'tcp', port: 80, targetPort: 80, externalTrafficPolicy: 'Cluster' },
        { name: 'api', selector: { pods: ['pod-b'] }, type: 'ClusterIP', clusterIP: '10.96.0.101', protocol: 'tcp', port: 9090, targetPort: 8080, externalTrafficPolicy: 'Cluster' },
      ]);
    });

    it('gives a NodePort Service node port 30080+index and never one another Service names explicitly', () => {
      const t = parseTopology(withServices(
        '  - {name: a, pods: [pod-a], port: 80, type: NodePort}',
        '  - {name: b, pods: [pod-a], port: 80, type: NodePort, nodePort: 30081}',
        '  - {name: c, pods: [pod-a], port: 80, type: NodePort}',
        '  - {name: d, pods: [pod-a], port: 80}',
      ));
      assert.deepEqual(t.services?.map((s) => s.nodePort), [30080, 30081, 30082, undefined]);
      assert.ok(!('nodePort' in (t.services?.[3] ?? {})), 'a ClusterIP Service has no nodePort key');
    });

    it('skips a clusterIP another Service names explicitly when defaulting', () => {
      const t = parseTopology(withServices(
        '  - {name: a, pods: [pod-a], port: 80}',
        '  - {name: b, pods: [pod-a], port: 80, clusterIP: 10.96.0.100}',
      ));
      assert.deepEqual(t.services?.map((s) => s.clusterIP), ['10.96.0.101', '10.96.0.100']);
    });

    it('draws default clusterIPs from a custom serviceCIDR', () => {
      const t = parseTopology(LABELLED + y('serviceCIDR: 10.100.0.0/16', 'services: [{name: web, selector: {app: web}, port: 80}]'));
      assert.equal(t.services?.[0].clusterIP, '10.100.0.100');
    });

    it('reads protocol in any case and stores it lower-case', () => {
      const t = parseTopology(withServices('  - {name: dns, pods: [pod-a], port: 53, protocol: UDP}', '  - {name: web, pods: [pod-a], port: 80, protocol: Tcp}'));
      assert.deepEqual(t.services?.map((s) => s.protocol), ['udp', 'tcp']);
    });

    it('accepts a NodePort Service with externalTrafficPolicy Local', () => {
      const t = parseTopology(withServices('  - {name: web, selector: {app: web}, port: 80, type: NodePort, externalTrafficPolicy: Local}'));
      assert.equal(t.services?.[0].externalTrafficPolicy, 'Local');
    });

    it('accepts a label selector that matches no Pod: a Service without endpoints is valid', () => {
      const t = parseTopology(withServices('  - {name: ghost, selector: {app: nothing-has-this}, port: 80}'));
      assert.deepEqual(t.services?.[0].selector, { labels: { app: 'nothing-has-this' } });
    });

    it('reads Pod labels, including prefixed keys and empty values', () => {
      const t = parseTopology(y('nodes: [{name: n1}]', 'pods:', '  - name: p', '    node: n1', '    labels:', '      app.kubernetes.io/name: web', '      canary: ""', '      tier:'));
      assert.deepEqual(t.pods[0].labels, { 'app.kubernetes.io/name': 'web', canary: '', tier: '' });
    });

    it('`client: {}` is the outside client at host 50 of the node network', () => {
      assert.deepEqual(parseTopology(LABELLED + 'client: {}\n').client, { name: 'outside', ip: '192.168.1.50' });
      assert.deepEqual(parseTopology(LABELLED + 'client:\n').client, { name: 'outside', ip: '192.168.1.50' });
      assert.deepEqual(parseTopology(y('network: {cidr: 172.16.0.0/16}', 'nodes: [{name: n1}]', 'client: {name: laptop}')).client, { name: 'laptop', ip: '172.16.0.50' });
    });
  });

  describe('round trip', () => {
    it('parse(toYaml(t)) equals t for Services of every shape, labels and the client', () => {
      const t = parseTopology(LABELLED + y(
        'serviceCIDR: 10.100.0.0/16',
        'services:',
        '  - {name: web, selector: {app: web, tier: front}, port: 80, targetPort: 8080}',
        '  - {name: np, pods: [pod-a, pod-b], port: 8080, type: NodePort, externalTrafficPolicy: Local, protocol: udp}',
        '  - {name: fixed, pods: [pod-c], port: 1, clusterIP: 10.100.9.9, type: NodePort, nodePort: 32767}',
        'client: {name: laptop, ip: 192.168.1.77}',
      ));
      const text = topologyToYaml(t);
      assert.deepEqual(parseTopology(text), t);
      assert.match(text, /protocol: UDP/);
    });

    it('keeps `services: []` and an empty labels mapping', () => {
      const t = parseTopology(y('nodes: [{name: n1}]', 'pods: [{name: p, node: n1, labels: {}}]', 'services: []'));
      assert.deepEqual(t.services, []);
      assert.deepEqual(t.pods[0].labels, {});
      assert.deepEqual(parseTopology(topologyToYaml(t)), t);
    });
  });

  describe('errors', () => {
    it('port 0 is out of range, at services[0].port', () => {
      expectError(withServices('  - name: web', '    selector: {app: web}', '    port: 0'), { field: 'services[0].port', line: 9, message: /port 0 is out of range/, hint: /1 to 65535/ });
    });

    it('a missing port, name or selector is reported on the Service', () => {
      expectError(withServices('  - {name: web, selector: {app: web}}'), { field: 'services[0].port', line: 7, message: /Service web has no port/ });
      expectError(withServices('  - {name: web, selector: {app: web}, port: http}'), { field: 'services[0].port', line: 7, message: /must be a whole number/ });
      expectError(withServices('  - {selector: {app: web}, port: 80}'), { field: 'services[0].name', line: 7, message: /has no name/ });
      expectError(withServices('  - {name: web, port: 80}'), { field: 'services[0]', line: 7, message: /selects no Pods: it has neither selector nor pods/, hint: /selector: \{app: web\}/ });
    });

    it('a list under selector points to pods: for Pod names; a list of Pod labels does not', () => {
      expectError(withServices('  - {name: web, selector: [pod-a], port: 80}'), { field: 'services[0].selector', line: 7, message: /got a list/, hint: /pods:/ });
      const e = expectError(y('nodes: [{name: node1}]', 'pods: [{name: pod-a, node: node1, labels: [web]}]'), { field: 'pods[0].labels', line: 2, message: /got a list/ });
      assert.doesNotMatch(e.hint ?? '', /pods:/);
    });

    it('a Service that is not a mapping is one error, with no follow-on errors', () => {
      expectError(withServices('  - web'), { field: 'services[0]', line: 7, message: /services\[0\] \(a Service\) must be a mapping/ });
    });

    it('selector and pods together, an empty selector and an empty pods list are refused', () => {
      expectError(withServices('  - {name: web, selector: {app: web}, pods: [pod-a], port: 80}'), { field: 'services[0].pods', line: 7, message: /both selector and pods/ });
      expectError(withServices('  - {name: web, selector: {}, port: 80}'), { field: 'services[0].selector', line: 7, message: /has no labels/ });
      expectError(withServices('  - {name: web, pods: [], port: 80}'), { field: 'services[0].pods', line: 7, message: /is empty/ });
    });

    it('a pods selector naming a Pod that does not exist is a typo, located at the name', () => {
      const e = expectError(withServices('  - name: web', '    pods: [pod-a, pod-cc]', '    port: 80'), { field: 'services[0].pods[1]', line: 8, message: /selects Pod 'pod-cc', which is not in pods/ });
      assert.match(e.hint ?? '', /pod-a, pod-b, pod-c/);
    });

    it('duplicate nodePort names both Services, on the second', () => {
      expectError(withServices(
        '  - {name: a, pods: [pod-a], port: 80, type: NodePort, nodePort: 30100}',
        '  - {name: b, pods: [pod-a], port: 80, type: NodePort, nodePort: 30100}',
      ), { field: 'services[1].nodePort', line: 8, message: /Services a and b both use nodePort 30100/ });
    });

    it('nodePort outside 30000-32767 is refused, and so is a nodePort on a ClusterIP Service', () => {
      for (const p of [29999, 32768, 80]) {
        expectError(withServices(`  - {name: a, pods: [pod-a], port: 80, type: NodePort, nodePort: ${p}}`), { field: 'services[0].nodePort', line: 7, message: /outside the NodePort range 30000-32767/ });
      }
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, nodePort: 30100}'), { field: 'services[0].nodePort', line: 7, message: /has a nodePort but type ClusterIP/, hint: /type: NodePort/ });
    });

    it('externalTrafficPolicy Local on a ClusterIP Service is refused, as the API server does', () => {
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, externalTrafficPolicy: Local}'), { field: 'services[0].externalTrafficPolicy', line: 7, message: /applies only to traffic from outside/ });
    });

    it('unknown type, policy and protocol values say what is allowed', () => {
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, type: LoadBalancer}'), { field: 'services[0].type', line: 7, message: /'LoadBalancer' is not one of ClusterIP, NodePort/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, type: nodeport}'), { field: 'services[0].type', line: 7, hint: /write 'NodePort'/, message: /not one of/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, type: NodePort, externalTrafficPolicy: local}'), { field: 'services[0].externalTrafficPolicy', line: 7, message: /not one of Cluster, Local/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, protocol: SCTP}'), { field: 'services[0].protocol', line: 7, message: /'SCTP' is not a protocol/, hint: /TCP .* or UDP/ });
    });

    it('clusterIP must be a host of serviceCIDR and unique', () => {
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, clusterIP: 10.112.0.1}'), { field: 'services[0].clusterIP', line: 7, message: /outside serviceCIDR 10\.96\.0\.0\/12/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, clusterIP: 10.96.0.0}'), { field: 'services[0].clusterIP', line: 7, message: /network address/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80, clusterIP: 10.111.255.255}'), { field: 'services[0].clusterIP', line: 7, message: /broadcast address/ });
      expectError(withServices(
        '  - {name: a, pods: [pod-a], port: 80, clusterIP: 10.96.5.5}',
        '  - {name: b, pods: [pod-a], port: 81, clusterIP: 10.96.5.5}',
      ), { field: 'services[1].clusterIP', line: 8, message: /Services a and b both have clusterIP 10\.96\.5\.5/ });
    });

    it('a Service name is a DNS-1035 label unique among Services, Pods and nodes', () => {
      expectError(withServices('  - {name: 1web, pods: [pod-a], port: 80}'), { field: 'services[0].name', line: 7, message: /starts with a digit/ });
      expectError(withServices('  - {name: Web, pods: [pod-a], port: 80}'), { field: 'services[0].name', line: 7, message: /not a valid DNS label/ });
      expectError(withServices('  - {name: pod-a, pods: [pod-a], port: 80}'), { field: 'services[0].name', line: 7, message: /already the name of Pod pod-a/ });
      expectError(withServices('  - {name: a, pods: [pod-a], port: 80}', '  - {name: a, pods: [pod-a], port: 81}'), { field: 'services[1].name', line: 8, message: /already the name of Service a/ });
    });

    it('serviceCIDR overlapping another range is refused, and the default says it is the default', () => {
      expectError(LABELLED + 'serviceCIDR: 10.244.0.0/20\n', { field: 'serviceCIDR', line: 6, message: /overlaps clusterCIDR 10\.244\.0\.0\/16/ });
      expectError(LABELLED + 'serviceCIDR: 192.168.0.0/16\n', { field: 'serviceCIDR', line: 6, message: /overlaps the node network 192\.168\.1\.0\/24/ });
      expectError(LABELLED + 'serviceCIDR: 172.17.0.0/24\ndockerHost: {}\n', { field: 'serviceCIDR', line: 6, message: /overlaps the Docker host's bridgeCIDR/ });
      expectError(y('network: {cidr: 10.0.0.0/8}', 'clusterCIDR: 172.20.0.0/16', 'nodes: [{name: n1}]'), { field: 'serviceCIDR', line: 1, message: /10\.96\.0\.0\/12 \(the default when serviceCIDR is not written\) overlaps the node network/ });
    });

    it('serviceCIDR larger than /12 or in a reserved range is refused', () => {
      expectError(LABELLED + 'serviceCIDR: 10.0.0.0/8\n', { field: 'serviceCIDR', line: 6, message: /larger than \/12/ });
      expectError(LABELLED + 'serviceCIDR: 127.1.0.0/16\n', { field: 'serviceCIDR', line: 6, message: /loopback/ });
    });

    it('more than 200 Services is over the lab limit', () => {
      const many = Array.from({ length: 201 }, (_, i) => `  - {name: s${i}, pods: [pod-a], port: 80}`);
      expectError(withServices(...many), { field: 'services', line: 6, message: /201 Services is more than the lab limit of 200/ });
    });

    it('Pod labels are checked with Kubernetes syntax, at the label', () => {
      const pod = (labels: string) => y('nodes: [{name: n1}]', 'pods:', '  - name: p', '    node: n1', `    labels: ${labels}`);
      expectError(pod('{"-app": web}'), { field: 'pods[0].labels.-app', line: 5, message: /label key '-app' is not valid/ });
      expectError(pod(`{${'a'.repeat(64)}: x}`), { field: `pods[0].labels.${'a'.repeat(64)}`, message: /64 characters long; the limit is 63/, line: 5 });
      expectError(pod('{"Example.com/app": x}'), { line: 5, message: /prefix 'Example.com' .* is not a DNS subdomain/ });
      expectError(pod('{app: "web server"}'), { line: 5, message: /value 'web server' of label 'app' is not valid/ });
      expectError(pod('{version: 2}'), { line: 5, message: /value of label 'version' must be a string, got 2/, hint: /quote values/ });
      expectError(pod('[app]'), { field: 'pods[0].labels', line: 5, message: /must be a mapping/ });
      assert.deepEqual(validateTopologyText(pod(`{example.com/${'a'.repeat(63)}: ${'b'.repeat(63)}}`)), []);
    });

    it('the client name is unique among endpoints and its ip is a free host of the node network', () => {
      expectError(LABELLED + 'client: {name: node1}\n', { field: 'client.name', line: 6, message: /already the name of node node1/ });
      expectError(LABELLED + 'services: [{name: web, pods: [pod-a], port: 80}]\nclient: {name: web}\n', { field: 'client.name', line: 7, message: /already the name of Service web/ });
      expectError(LABELLED + 'client: {ip: 10.1.1.1}\n', { field: 'client.ip', line: 6, message: /outside the node network/ });
      expectError(LABELLED + 'client: {ip: 192.168.1.101}\n', { field: 'client.ip', line: 6, message: /same ip 192\.168\.1\.101 as node node2/ });
      expectError(LABELLED + 'client: {port: 1}\n', { field: 'client.port', line: 6, message: /unknown key 'port'/ });
    });

    it('reports several problems at once, in file order', () => {
      const errors = validateTopologyText(withServices('  - {name: a, pods: [nope], port: 0}', '  - {name: b, selector: {app: web}, port: 70000}'), 'lab.yaml');
      assert.deepEqual(errors.map((e) => e.location.field), ['services[0].pods[0]', 'services[0].port', 'services[1].port'], listErrors(errors));
    });
  });
});
