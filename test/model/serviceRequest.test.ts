import { strict as assert } from 'node:assert';
import { endpointOwner, validateServiceAddition } from '../../src/model/serviceRequest';
import type { ServiceSpec, Topology } from '../../src/model/topology';
import { ARTICLE_WITH_DOCKER_HOST_YAML, parseTopology } from '../../src/model/topologySpec';
import type { LabError } from '../../src/providers/embedded/control/labError';
import { expectLabError } from './specAssert';
import type { ServiceRequest } from '../../src/providers/embedded/control/protocol';

const ARTICLE = parseTopology(`${ARTICLE_WITH_DOCKER_HOST_YAML}client: {}\n`);
const WEB: ServiceRequest = { name: 'web', selector: { labels: { app: 'web' } }, port: 80 };

function add(req: ServiceRequest, existing: ServiceSpec[] = [], topology: Topology = ARTICLE): ServiceSpec {
  return validateServiceAddition(topology, existing, req);
}

/** Asserts that adding `req` fails with a LabError of this code and field, and returns it. */
function rejects(req: ServiceRequest, code: LabError['code'], field: string, existing: ServiceSpec[] = [], pods?: { name: string }[]): LabError {
  return expectLabError(() => validateServiceAddition(ARTICLE, existing, req, pods), code, field);
}

describe('serviceRequest', () => {
  describe('validateServiceAddition', () => {
    it('applies the defaults: ClusterIP, TCP, targetPort = port, Cluster, first clusterIP host 100', () => {
      assert.deepEqual(add(WEB), {
        name: 'web', selector: { labels: { app: 'web' } }, type: 'ClusterIP', clusterIP: '10.96.0.100', protocol: 'tcp', port: 80, targetPort: 80, externalTrafficPolicy: 'Cluster',
      });
    });

    it('takes the next free clusterIP and node port, reusing freed ones', () => {
      const first = add({ ...WEB, type: 'NodePort' });
      assert.equal(first.nodePort, 30080);
      const second = add({ ...WEB, name: 'web2', type: 'NodePort' }, [first]);
      assert.deepEqual([second.clusterIP, second.nodePort], ['10.96.0.101', 30081]);
      const third = add({ ...WEB, name: 'web3', type: 'NodePort' }, [second]);
      assert.deepEqual([third.clusterIP, third.nodePort], ['10.96.0.100', 30080], 'web was deleted: its address and port are free again');
    });

    it('keeps explicit values and reads the protocol in any case', () => {
      const s = add({ name: 'dns', selector: { pods: ['pod-a'] }, port: 53, targetPort: 5353, protocol: 'UDP' as 'udp', type: 'NodePort', nodePort: 32000, clusterIP: '10.96.0.10', externalTrafficPolicy: 'Local' });
      assert.deepEqual(s, {
        name: 'dns', selector: { pods: ['pod-a'] }, type: 'NodePort', clusterIP: '10.96.0.10', protocol: 'udp', port: 53, targetPort: 5353, nodePort: 32000, externalTrafficPolicy: 'Local',
      });
    });

    it('accepts a label selector that matches no Pod', () => {
      assert.deepEqual(add({ ...WEB, selector: { labels: { app: 'none' } } }).selector, { labels: { app: 'none' } });
    });

    it('rejects bad names, taken Service names and names of other endpoints', () => {
      for (const bad of ['Web', '1web', 'web_1', '', 'a'.repeat(64)]) rejects({ ...WEB, name: bad }, 'BAD_REQUEST', 'name');
      rejects(WEB, 'CONFLICT', 'name', [add(WEB)]);
      for (const taken of ['node1', 'pod-a', 'docker-host', 'web-a', 'outside']) assert.match(rejects({ ...WEB, name: taken }, 'CONFLICT', 'name').message, /already the name of/);
    });

    it('rejects port 0, out-of-range and fractional ports', () => {
      for (const port of [0, 65536, -1, 80.5]) rejects({ ...WEB, port }, 'BAD_REQUEST', 'port');
      rejects({ ...WEB, targetPort: 0 }, 'BAD_REQUEST', 'targetPort');
      rejects({ ...WEB, port: '80' as unknown as number }, 'BAD_REQUEST', 'port');
    });

    it('rejects a nodePort outside 30000-32767, a taken one, and one on a ClusterIP Service', () => {
      for (const nodePort of [29999, 32768, 8080]) rejects({ ...WEB, type: 'NodePort', nodePort }, 'BAD_REQUEST', 'nodePort');
      const e = rejects({ ...WEB, name: 'web2', type: 'NodePort', nodePort: 30080 }, 'CONFLICT', 'nodePort', [add({ ...WEB, type: 'NodePort' })]);
      assert.match(e.message, /already used by Service web; pick another, or leave it out/, 'says what to do');
      rejects({ ...WEB, nodePort: 30100 }, 'BAD_REQUEST', 'nodePort');
      rejects({ ...WEB, externalTrafficPolicy: 'Local' }, 'BAD_REQUEST', 'externalTrafficPolicy');
    });

    it('rejects a clusterIP outside the service range, its network or broadcast address, a taken one and a non-address', () => {
      for (const clusterIP of ['10.112.0.1', '10.96.0.0', '10.111.255.255', '192.168.1.100']) rejects({ ...WEB, clusterIP }, 'BAD_REQUEST', 'clusterIP');
      const e = rejects({ ...WEB, name: 'web2', clusterIP: '10.96.0.100' }, 'CONFLICT', 'clusterIP', [add(WEB)]);
      assert.match(e.message, /already Service web's; pick another, or leave it out/, 'says what to do');
      const bad = rejects({ ...WEB, clusterIP: '10.96.0' }, 'BAD_REQUEST', 'clusterIP');
      assert.ok(bad.cause instanceof Error, 'the parse error is kept as the cause');
    });

    it('rejects an unknown Pod in a pods selector with NOT_FOUND, judged against the current Pods', () => {
      const e = rejects({ ...WEB, selector: { pods: ['pod-a', 'pod-x'] } }, 'NOT_FOUND', 'selector.pods[1]');
      assert.match(e.message, /pod "pod-x" does not exist/);
      rejects({ ...WEB, selector: { pods: ['pod-a'] } }, 'NOT_FOUND', 'selector.pods[0]', [], [{ name: 'pod-b' }]);
      assert.deepEqual(validateServiceAddition(ARTICLE, [], { ...WEB, selector: { pods: ['new-pod'] } }, [{ name: 'new-pod' }]).selector, { pods: ['new-pod'] });
    });

    it('rejects a selector with both or neither kind, empty ones, and bad label syntax', () => {
      rejects({ ...WEB, selector: { labels: { app: 'web' }, pods: ['pod-a'] } }, 'BAD_REQUEST', 'selector');
      rejects({ ...WEB, selector: {} }, 'BAD_REQUEST', 'selector');
      rejects({ ...WEB, selector: undefined as unknown as ServiceRequest['selector'] }, 'BAD_REQUEST', 'selector');
      rejects({ ...WEB, selector: { labels: {} } }, 'BAD_REQUEST', 'selector.labels');
      rejects({ ...WEB, selector: { pods: [] } }, 'BAD_REQUEST', 'selector.pods');
      rejects({ ...WEB, selector: { pods: ['pod-a', 'pod-a'] } }, 'BAD_REQUEST', 'selector.pods[1]');
      rejects({ ...WEB, selector: { labels: { 'bad key': 'x' } } }, 'BAD_REQUEST', 'selector.labels.bad key');
      rejects({ ...WEB, selector: { labels: { app: 3 as unknown as string } } }, 'BAD_REQUEST', 'selector.labels.app');
    });

    it('rejects unknown type, protocol and policy values', () => {
      rejects({ ...WEB, type: 'LoadBalancer' as 'NodePort' }, 'BAD_REQUEST', 'type');
      rejects({ ...WEB, protocol: 'sctp' as 'tcp' }, 'BAD_REQUEST', 'protocol');
      rejects({ ...WEB, type: 'NodePort', externalTrafficPolicy: 'local' as 'Local' }, 'BAD_REQUEST', 'externalTrafficPolicy');
    });

    it('refuses a 201st Service', () => {
      const many = Array.from({ length: 200 }, (_, i) => ({ ...add(WEB), name: `s${i}`, clusterIP: `10.96.1.${i + 1}` }));
      rejects(WEB, 'CONFLICT', 'name', many);
    });

  describe('endpointOwner', () => {
    it('names what already has a name among nodes, current Pods, Services, the Docker host and containers, the client and the router', () => {
      const routed = { ...ARTICLE, network: { ...ARTICLE.network, router: { name: 'gw' } } };
      const pods = [{ name: 'late-pod' }];
      const services = [{ name: 'web' }];
      const owners = ['node1', 'late-pod', 'web', 'docker-host', 'web-b', 'outside', 'gw', 'pod-a', 'free'].map((n) => endpointOwner(routed, pods, n, services));
      assert.deepEqual(owners, ['a node', 'a Pod', 'a Service', 'the Docker host', 'a Docker container', 'the outside client', 'the router', undefined, undefined]);
    });
  });
  });
});
