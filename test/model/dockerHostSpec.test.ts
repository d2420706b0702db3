import { strict as assert } from 'node:assert';
import { SpecError } from '../../src/model/topology';
import {
  ARTICLE_TOPOLOGY_YAML,
  ARTICLE_WITH_DOCKER_HOST_YAML,
  LAB_LIMITS,
  parseTopology,
  topologyToYaml,
  validateTopologyText,
  withDefaultDockerHost,
} from '../../src/model/topologySpec';

/** Joins lines so each test can see which line number a key is on. */
function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** Two nodes and two Pods (lines 1-3), then the given dockerHost lines from line 4 on. */
function withHost(...lines: string[]): string {
  return y('nodes: [{name: node1}, {name: node2}]', 'pods: [{name: pod-a, node: node1}]', '# the Docker host', ...lines);
}

function onlyError(text: string): SpecError {
  const errors = validateTopologyText(text, 'lab.yaml');
  assert.equal(errors.length, 1, `expected one error, got:\n${errors.map((e) => e.format()).join('\n')}`);
  return errors[0];
}

function expectError(text: string, want: { field: string; line: number; message: RegExp; hint?: RegExp }): void {
  const e = onlyError(text);
  assert.equal(e.location.file, 'lab.yaml');
  assert.equal(e.location.field, want.field, e.format());
  assert.equal(e.location.line, want.line, e.format());
  assert.ok(e.location.column !== undefined, 'errors carry a column');
  assert.match(e.message, want.message);
  if (want.hint) assert.match(e.hint ?? '', want.hint);
}

const DEFAULT_HOST = {
  name: 'docker-host',
  ip: '192.168.1.10',
  bridgeCIDR: '172.17.0.0/16',
  containers: [
    { name: 'web-a', port: 8080, publish: 8081 },
    { name: 'web-b', port: 8080 },
  ],
};

describe('dockerHost topology section', () => {
  describe('defaults', () => {
    it('a topology without the section has no dockerHost key at all', () => {
      assert.equal('dockerHost' in parseTopology(ARTICLE_TOPOLOGY_YAML), false);
    });

    it('ARTICLE_WITH_DOCKER_HOST_YAML is the article plus the default Docker host', () => {
      const t = parseTopology(ARTICLE_WITH_DOCKER_HOST_YAML);
      const { dockerHost, ...rest } = t;
      assert.deepEqual(rest, parseTopology(ARTICLE_TOPOLOGY_YAML));
      assert.deepEqual(dockerHost, DEFAULT_HOST);
    });

    it('`dockerHost: {}` and `dockerHost:` with no value both give every default', () => {
      assert.deepEqual(parseTopology(withHost('dockerHost: {}')).dockerHost, DEFAULT_HOST);
      assert.deepEqual(parseTopology(withHost('dockerHost:')).dockerHost, DEFAULT_HOST);
    });

    it('the default ip is host number 10 of a custom network', () => {
      const t = parseTopology(y('network: {cidr: 10.0.0.0/24}', 'clusterCIDR: 10.244.0.0/16', 'nodes: [{name: n1}]', 'dockerHost: {}'));
      assert.equal(t.dockerHost?.ip, '10.0.0.10');
    });

    it('containers default to port 8080 with nothing published; given values are kept', () => {
      const t = parseTopology(withHost(
        'dockerHost:',
        '  name: dh',
        '  ip: 192.168.1.20',
        '  bridgeCIDR: 172.18.0.0/24',
        '  containers:',
        '    - name: api',
        '    - {name: db, port: 5432, publish: 15432}',
      ));
      assert.deepEqual(t.dockerHost, {
        name: 'dh', ip: '192.168.1.20', bridgeCIDR: '172.18.0.0/24',
        containers: [{ name: 'api', port: 8080 }, { name: 'db', port: 5432, publish: 15432 }],
      });
    });

    it('round-trips through topologyToYaml with every default written out', () => {
      const t = parseTopology(ARTICLE_WITH_DOCKER_HOST_YAML);
      const text = topologyToYaml(t);
      assert.match(text, /bridgeCIDR: 172\.17\.0\.0\/16/);
      assert.match(text, /publish: 8081/);
      assert.deepEqual(parseTopology(text), t);
      assert.doesNotMatch(topologyToYaml(parseTopology(ARTICLE_TOPOLOGY_YAML)), /dockerHost/);
    });
  });

  describe('withDefaultDockerHost (lab up --with-docker-host)', () => {
    it('adds the default Docker host to a topology that has none', () => {
      const t = withDefaultDockerHost(parseTopology(ARTICLE_TOPOLOGY_YAML));
      assert.deepEqual(t.dockerHost, DEFAULT_HOST);
      assert.deepEqual(t.pods, parseTopology(ARTICLE_TOPOLOGY_YAML).pods);
    });

    it('keeps a Docker host the topology already has', () => {
      const t = parseTopology(withHost('dockerHost: {name: mine, containers: [{name: c1}]}'));
      assert.equal(withDefaultDockerHost(t), t);
    });

    it('refuses, naming the field, when a default name clashes with a Pod', () => {
      const t = parseTopology(y('nodes: [{name: node1}]', 'pods: [{name: web-b, node: node1}]'));
      assert.throws(() => withDefaultDockerHost(t), (e: unknown) => e instanceof SpecError
        && e.location.field === 'dockerHost.containers[1].name' && /already the name of Pod web-b/.test(e.message));
    });

    it('refuses when the network has no host number 10', () => {
      const t = parseTopology(y('network: {cidr: 192.168.1.0/29}', 'nodes: [{name: node1, ip: 192.168.1.1}]'));
      assert.throws(() => withDefaultDockerHost(t), (e: unknown) => e instanceof SpecError && e.location.field === 'dockerHost.ip' && /no host number 10/.test(e.message));
    });
  });

  describe('structure', () => {
    it('rejects unknown keys in the section and in a container, naming the allowed ones', () => {
      expectError(withHost('dockerHost: {nmae: x}'), { field: 'dockerHost.nmae', line: 4, message: /unknown key 'nmae' in dockerHost/, hint: /name, ip, bridgeCIDR, containers/ });
      expectError(withHost('dockerHost:', '  containers: [{name: c, ports: 1}]'), { field: 'dockerHost.containers[0].ports', line: 5, message: /unknown key 'ports'/, hint: /name, port, publish/ });
    });

    it('rejects a section that is not a mapping, and wrong types', () => {
      expectError(withHost('dockerHost: [a]'), { field: 'dockerHost', line: 4, message: /dockerHost must be a mapping/ });
      expectError(withHost('dockerHost: {containers: [{name: c, publish: "80"}]}'), { field: 'dockerHost.containers[0].publish', line: 4, message: /must be a whole number/ });
      expectError(withHost('dockerHost: {ip: 7}'), { field: 'dockerHost.ip', line: 4, message: /must be a non-empty string/ });
    });

    it('a container needs a name, and an empty containers list is an error (remove the key for the defaults)', () => {
      expectError(withHost('dockerHost:', '  containers:', '    - port: 80'), { field: 'dockerHost.containers[0].name', line: 6, message: /has no name/ });
      expectError(withHost('dockerHost: {containers: []}'), { field: 'dockerHost.containers', line: 4, message: /dockerHost.containers is empty/, hint: /remove the key/ });
    });
  });

  describe('names (they are trace endpoints)', () => {
    it('must be DNS labels', () => {
      expectError(withHost('dockerHost: {name: Docker_Host}'), { field: 'dockerHost.name', line: 4, message: /Docker host name 'Docker_Host' is not a valid DNS label/ });
      expectError(withHost('dockerHost: {containers: [{name: Web}]}'), { field: 'dockerHost.containers[0].name', line: 4, message: /Docker container name 'Web' is not a valid DNS label/ });
    });

    it('must not clash with a node, a Pod, the host or another container', () => {
      expectError(withHost('dockerHost: {name: node2}'), { field: 'dockerHost.name', line: 4, message: /Docker host name 'node2' is already the name of node node2/ });
      expectError(withHost('dockerHost: {containers: [{name: pod-a}]}'), { field: 'dockerHost.containers[0].name', line: 4, message: /already the name of Pod pod-a/ });
      expectError(withHost('dockerHost: {containers: [{name: docker-host}]}'), { field: 'dockerHost.containers[0].name', line: 4, message: /already the name of Docker host docker-host/ });
      expectError(withHost('dockerHost:', '  containers:', '    - name: c1', '    - name: c1'), { field: 'dockerHost.containers[1].name', line: 7, message: /already the name of Docker container c1/ });
    });
  });

  describe('addresses', () => {
    it('ip must be a host address inside the node network', () => {
      expectError(withHost('dockerHost: {ip: 10.1.1.1}'), { field: 'dockerHost.ip', line: 4, message: /Docker host docker-host ip 10\.1\.1\.1 is outside the node network 192\.168\.1\.0\/24/ });
      expectError(withHost('dockerHost: {ip: 192.168.1.255}'), { field: 'dockerHost.ip', line: 4, message: /broadcast address/ });
      expectError(withHost('dockerHost: {ip: 192.168.1.300}'), { field: 'dockerHost.ip', line: 4, message: /invalid IPv4 address/ });
    });

    it('ip must not be a node ip, including a default one', () => {
      expectError(withHost('dockerHost: {ip: 192.168.1.101}'), { field: 'dockerHost.ip', line: 4, message: /same ip 192\.168\.1\.101 as node node2/ });
    });

    it('reports when the default ip cannot be computed', () => {
      const text = y('network: {cidr: 192.168.1.0/29}', 'nodes: [{name: node1, ip: 192.168.1.1}]', 'dockerHost: {}');
      const e = onlyError(text);
      assert.equal(e.location.field, 'dockerHost.ip');
      assert.match(e.message, /no default ip for the Docker host: network 192\.168\.1\.0\/29 has no host number 10/);
    });

    it('bridgeCIDR must not overlap the node network, clusterCIDR or any podCIDR', () => {
      expectError(withHost('dockerHost: {bridgeCIDR: 192.168.0.0/16}'), { field: 'dockerHost.bridgeCIDR', line: 4, message: /overlaps the node network 192\.168\.1\.0\/24/, hint: /172\.17\.0\.0\/16/ });
      expectError(withHost('dockerHost: {bridgeCIDR: 10.244.200.0/24}'), { field: 'dockerHost.bridgeCIDR', line: 4, message: /overlaps clusterCIDR 10\.244\.0\.0\/16/ });
      // A podCIDR outside clusterCIDR is its own error; the bridge check still names the node.
      const errors = validateTopologyText(y('nodes: [{name: node1, podCIDR: 10.9.0.0/24}]', 'dockerHost: {bridgeCIDR: 10.9.0.0/16}'), 'lab.yaml');
      assert.ok(errors.some((e) => e.location.field === 'dockerHost.bridgeCIDR' && /overlaps podCIDR 10\.9\.0\.0\/24 of node node1/.test(e.message)), errors.map((e) => e.format()).join('\n'));
    });

    it('bridgeCIDR must be a valid CIDR with room for every container', () => {
      expectError(withHost('dockerHost: {bridgeCIDR: 172.17.0.1/16}'), { field: 'dockerHost.bridgeCIDR', line: 4, message: /host bits are set; use 172\.17\.0\.0\/16/ });
      expectError(withHost('dockerHost: {bridgeCIDR: 172.17.0.0/30}'), { field: 'dockerHost.bridgeCIDR', line: 4, message: /holds 1 containers and the Docker host has 2/ });
    });
  });

  describe('ports and limits', () => {
    it('port and publish must be within 1..65535', () => {
      expectError(withHost('dockerHost: {containers: [{name: c, port: 0}]}'), { field: 'dockerHost.containers[0].port', line: 4, message: /port 0 is out of range/ });
      expectError(withHost('dockerHost: {containers: [{name: c, publish: 65536}]}'), { field: 'dockerHost.containers[0].publish', line: 4, message: /publish port 65536 is out of range/ });
    });

    it('publish ports must be unique; the same container port twice is fine (each container has its own IP)', () => {
      expectError(withHost('dockerHost:', '  containers:', '    - {name: c1, publish: 80}', '    - {name: c2, publish: 80}'),
        { field: 'dockerHost.containers[1].publish', line: 7, message: /containers c1 and c2 both publish host port 80/ });
      assert.deepEqual(validateTopologyText(withHost('dockerHost: {containers: [{name: c1, port: 80}, {name: c2, port: 80}]}')), []);
    });

    it(`allows ${LAB_LIMITS.dockerContainers} containers and rejects more`, () => {
      const list = (n: number) => `dockerHost: {containers: [${Array.from({ length: n }, (_, i) => `{name: c${i}}`).join(', ')}]}`;
      assert.deepEqual(validateTopologyText(withHost(list(8))), []);
      expectError(withHost(list(9)), { field: 'dockerHost.containers', line: 4, message: /9 containers is more than the Docker host limit of 8/ });
    });
  });
});
