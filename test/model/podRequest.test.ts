import { strict as assert } from 'node:assert';
import { validatePodAddition } from '../../src/model/podRequest';
import type { PodSpec, Topology } from '../../src/model/topology';
import { ARTICLE_TOPOLOGY_YAML, parseTopology } from '../../src/model/topologySpec';
import type { LabError } from '../../src/providers/embedded/control/labError';
import { expectLabError } from './specAssert';
import type { PodRequest } from '../../src/providers/embedded/control/protocol';

const ARTICLE = parseTopology(ARTICLE_TOPOLOGY_YAML);

/** Asserts that adding `req` fails with a LabError of this code and field, and returns it. */
function rejects(req: PodRequest, code: LabError['code'], field: string, topology: Topology = ARTICLE, existing: readonly PodSpec[] = ARTICLE.pods): LabError {
  return expectLabError(() => validatePodAddition(topology, existing, req), code, field);
}

describe('podRequest', () => {
  describe('validatePodAddition', () => {
    it('gives a Pod without containers one web container on 8080', () => {
      assert.deepEqual(validatePodAddition(ARTICLE, ARTICLE.pods, { name: 'web-2', node: 'node2' }), {
        name: 'web-2',
        node: 'node2',
        containers: [{ name: 'web', workload: 'web', port: 8080 }],
      });
    });

    it('treats an empty containers list like no list', () => {
      const spec = validatePodAddition(ARTICLE, [], { name: 'p', node: 'node1', containers: [] });
      assert.deepEqual(spec.containers, [{ name: 'web', workload: 'web', port: 8080 }]);
    });

    it('fills in workload web and its port, and gives sidecar and sleep no port', () => {
      const spec = validatePodAddition(ARTICLE, [], {
        name: 'duo',
        node: 'node1',
        containers: [{ name: 'api', port: 9090 }, { name: 'main' }, { name: 'helper', workload: 'sidecar' }, { name: 'idle', workload: 'sleep' }],
      });
      assert.deepEqual(spec.containers, [
        { name: 'api', workload: 'web', port: 9090 },
        { name: 'main', workload: 'web', port: 8080 },
        { name: 'helper', workload: 'sidecar' },
        { name: 'idle', workload: 'sleep' },
      ]);
      assert.ok(!('port' in spec.containers[2]), 'no port key at all, not port: undefined');
    });

    it('rejects an unknown node with NOT_FOUND on field node and lists the nodes', () => {
      const e = rejects({ name: 'p', node: 'node9' }, 'NOT_FOUND', 'node');
      assert.match(e.message, /node "node9" does not exist \(nodes: node1, node2\)/);
    });

    it('rejects a name that is already taken with CONFLICT on field name', () => {
      const e = rejects({ name: 'pod-b', node: 'node2' }, 'CONFLICT', 'name');
      assert.match(e.message, /pod "pod-b" already exists/);
    });

    it('rejects names that are not DNS labels or are too long, with BAD_REQUEST on field name', () => {
      for (const bad of ['Pod-A', 'pod_a', '-pod', 'pod-', '', 'a'.repeat(64)]) {
        rejects({ name: bad, node: 'node1' }, 'BAD_REQUEST', 'name');
      }
      rejects({ name: 42 as unknown as string, node: 'node1' }, 'BAD_REQUEST', 'name');
      assert.doesNotThrow(() => validatePodAddition(ARTICLE, [], { name: 'a'.repeat(63), node: 'node1' }));
    });

    it('rejects a Pod on a node whose podCIDR has no address left, with CONFLICT on field node', () => {
      // A /30 holds exactly one Pod: network, gateway and broadcast take the other three addresses.
      const tiny = parseTopology('nodes:\n  - {name: small, podCIDR: 10.244.1.0/30}\n  - {name: big}\n');
      const one: PodSpec = { name: 'first', node: 'small', containers: [{ name: 'web', workload: 'web', port: 8080 }] };
      assert.doesNotThrow(() => validatePodAddition(tiny, [], { name: 'first', node: 'small' }));
      const e = rejects({ name: 'second', node: 'small' }, 'CONFLICT', 'node', tiny, [one]);
      assert.match(e.message, /node small is full: its Pod CIDR 10\.244\.1\.0\/30 holds 1 Pods/);
      assert.doesNotThrow(() => validatePodAddition(tiny, [one], { name: 'second', node: 'big' }), 'other nodes still have room');
    });

    it('rejects two containers with the same name, on the second one', () => {
      const e = rejects({ name: 'p', node: 'node1', containers: [{ name: 'web' }, { name: 'web', port: 9090 }] }, 'BAD_REQUEST', 'containers[1].name');
      assert.match(e.message, /container name "web" is used twice in pod p/);
    });

    it('rejects two containers on one port, naming both and that they share one IP', () => {
      const e = rejects({ name: 'p', node: 'node1', containers: [{ name: 'a' }, { name: 'b', workload: 'web' }] }, 'BAD_REQUEST', 'containers[1].port');
      assert.match(e.message, /containers a and b both use port 8080/);
      assert.match(e.message, /share one IP/);
    });

    it('rejects an unknown workload and lists the known ones', () => {
      const e = rejects({ name: 'p', node: 'node1', containers: [{ name: 'x', workload: 'nginx' as 'web' }] }, 'BAD_REQUEST', 'containers[0].workload');
      assert.match(e.message, /unknown workload "nginx" \(use web, sidecar, sleep\)/);
    });

    it('rejects ports outside 1-65535 and ports that are not whole numbers', () => {
      for (const port of [0, 65536, -1, 80.5]) {
        const e = rejects({ name: 'p', node: 'node1', containers: [{ name: 'web', port }] }, 'BAD_REQUEST', 'containers[0].port');
        assert.match(e.message, /not between 1 and 65535/);
      }
      assert.doesNotThrow(() => validatePodAddition(ARTICLE, [], { name: 'p', node: 'node1', containers: [{ name: 'web', port: 65535 }] }));
    });

    it('rejects a container name that is not a DNS label of at most 15 characters', () => {
      rejects({ name: 'p', node: 'node1', containers: [{ name: 'My_Web' }] }, 'BAD_REQUEST', 'containers[0].name');
      rejects({ name: 'p', node: 'node1', containers: [{ name: 'a'.repeat(16) }] }, 'BAD_REQUEST', 'containers[0].name');
    });

    it('keeps valid Kubernetes labels and rejects bad keys, values and shapes on the label field', () => {
      const spec = validatePodAddition(ARTICLE, [], { name: 'p', node: 'node1', labels: { app: 'web', 'example.com/tier': '' } });
      assert.deepEqual(spec.labels, { app: 'web', 'example.com/tier': '' });
      assert.ok(!('labels' in validatePodAddition(ARTICLE, [], { name: 'p', node: 'node1' })), 'no labels key when none are given');
      rejects({ name: 'p', node: 'node1', labels: { '-app': 'web' } }, 'BAD_REQUEST', 'labels.-app');
      rejects({ name: 'p', node: 'node1', labels: { app: 'a'.repeat(64) } }, 'BAD_REQUEST', 'labels.app');
      rejects({ name: 'p', node: 'node1', labels: { app: 7 as unknown as string } }, 'BAD_REQUEST', 'labels.app');
      rejects({ name: 'p', node: 'node1', labels: ['app'] as unknown as Record<string, string> }, 'BAD_REQUEST', 'labels');
    });
  });
});
