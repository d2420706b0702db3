/** Which Pods back a Service in the lab (labels or names; Running ready, Terminating listed not ready), how a Service is reported, and the nft requirement. */
import { strict as assert } from 'node:assert';
import type { ServiceSpec } from '../../../../../src/model/topology';
import { LabError } from '../../../../../src/providers/embedded/control/labError';
import type { PodInfo } from '../../../../../src/providers/embedded/control/protocol';
import type { PodRecord } from '../../../../../src/providers/embedded/daemon/labState';
import { serviceEndpoints, serviceInfo } from '../../../../../src/providers/embedded/daemon/services/serviceEndpoints';
import { requireNftForServices } from '../../../../../src/providers/embedded/daemon/services/serviceLifecycle';
import type { LabTools } from '../../../../../src/providers/embedded/tools';

function pod(name: string, ip: string, status: PodInfo['status'], labels?: Record<string, string>, node = 'node1'): PodRecord {
  return {
    spec: { name, node, containers: [{ name: 'web', workload: 'web', port: 8080 }], ...(labels ? { labels } : {}) },
    info: { name, node, ip, prefixLength: 24, gateway: '', mac: '', hostVeth: '', status, containers: [], sandboxId: name, createdAt: '' },
    containers: [],
  };
}

const WEB: ServiceSpec = {
  name: 'web', selector: { labels: { app: 'web' } }, type: 'NodePort', clusterIP: '10.96.0.100', protocol: 'tcp', port: 80, targetPort: 8080,
  nodePort: 30080, externalTrafficPolicy: 'Cluster',
};

describe('Service endpoints in the lab', () => {
  const pods = [
    pod('b', '10.244.1.10', 'Running', { app: 'web' }),
    pod('a', '10.244.1.9', 'Running', { app: 'web', tier: 'front' }),
    pod('leaving', '10.244.2.3', 'Terminating', { app: 'web' }, 'node2'),
    pod('starting', '', 'Pending', { app: 'web' }),
    pod('dead', '10.244.2.4', 'Failed', { app: 'web' }, 'node2'),
    pod('other', '10.244.2.5', 'Running', { app: 'db' }, 'node2'),
  ];

  it('takes Running Pods whose labels all match as ready endpoints on targetPort, in address order, and lists a terminating one as not ready', () => {
    assert.deepEqual(serviceEndpoints(WEB, pods).map((e) => [e.pod, e.ip, e.port, e.node, e.ready]), [
      ['a', '10.244.1.9', 8080, 'node1', true], ['b', '10.244.1.10', 8080, 'node1', true], ['leaving', '10.244.2.3', 8080, 'node2', false],
    ]);
  });

  it('selects by Pod names when the selector lists them, and nothing when no Pod matches', () => {
    assert.deepEqual(serviceEndpoints({ ...WEB, selector: { pods: ['other', 'dead'] } }, pods).map((e) => e.pod), ['other']);
    assert.deepEqual(serviceEndpoints({ ...WEB, selector: { labels: { app: 'cache' } } }, pods), []);
  });

  it('reports the Service as clients see it: one port with its node port, endpoints with their Pods', () => {
    const info = serviceInfo(WEB, serviceEndpoints(WEB, pods), '2026-11-29T19:00:00.000Z');
    assert.deepEqual(info.ports, [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }]);
    assert.deepEqual(info.endpoints[0], { ip: '10.244.1.9', pod: 'a', node: 'node1', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] });
    assert.equal(info.createdAt, '2026-11-29T19:00:00.000Z');
    assert.deepEqual(info.selector, { labels: { app: 'web' } });
  });

  it('refuses to build Services without nft, saying how to install it', () => {
    const tools: LabTools = { ip: '/ip', unshare: '/unshare', nsenter: '/nsenter', mount: '/mount', umount: '/umount', setpriv: '/setpriv', busybox: '/busybox', cniPath: '/cni' };
    assert.throws(() => requireNftForServices(tools), (e: unknown) => e instanceof LabError && /apt-get install -y nftables/.test(e.message) && e.field === 'services');
    assert.equal(requireNftForServices({ ...tools, nft: '/usr/sbin/nft' }), '/usr/sbin/nft');
  });
});
