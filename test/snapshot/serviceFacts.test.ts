import { strict as assert } from 'node:assert';
import type { LabStatus, ServiceInfo } from '../../src/providers/embedded/control/protocol';
import { clusterFacts, namespaceTargets } from '../../src/snapshot/clusterFacts';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/validate';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../src/snapshot/types';

const svc = (name: string, over: Partial<ServiceInfo> = {}): ServiceInfo => ({
  name, type: 'ClusterIP', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster', selector: { labels: { app: name } },
  ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }], endpoints: [], ...over,
});

/** An embedded-lab status with Services, the outside client and a router between two subnets. */
function status(): LabStatus {
  return {
    lab: 'svc', state: 'running', rootless: true, sandboxPid: 1, startedAt: '', wireBridge: 'wire0',
    topology: {
      name: 'svc', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodes: [], pods: [],
      network: { cidr: '192.168.0.0/16', subnets: [{ name: 'rack2', cidr: '192.168.2.0/24', routerIP: '192.168.2.1' }, { name: 'rack1', cidr: '192.168.1.0/24', routerIP: '192.168.1.1' }], router: { name: 'core' } },
    },
    nodes: [{ name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24', bridge: 'cbr0', bridgeIP: '10.244.1.1', cni: 'bridge', wirePort: 'p1' }],
    pods: [],
    serviceCIDR: '10.96.0.0/12',
    services: [
      svc('web', {
        type: 'NodePort', clusterIP: '10.96.0.101', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30081 }, { name: 'metrics', protocol: 'udp', port: 9000, targetPort: 9000 }],
        endpoints: [
          { ip: '10.244.2.10', pod: 'pod-c', node: 'node2', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
          { ip: '10.244.1.9', pod: 'pod-b', node: 'node1', ready: false, ports: [{ protocol: 'tcp', port: 8080 }] },
        ],
      }),
      svc('api'),
    ],
    client: { name: 'outside', ip: '192.168.1.50', wirePort: 'p9' },
    router: { name: 'core', interfaces: [{ ifname: 'eth0', subnet: 'rack1', ip: '192.168.1.1', wirePort: 'p8' }] },
  };
}

describe('snapshot cluster facts of version 2 (Services, client, subnets, router)', () => {
  it('lists Services by name with endpoints by address, keeps port order and drops the selector', () => {
    const facts = clusterFacts(status());
    assert.deepEqual(facts.services?.map((s) => s.name), ['api', 'web']);
    const web = facts.services![1];
    assert.deepEqual(web.endpoints.map((e) => [e.ip, e.pod, e.ready]), [['10.244.1.9', 'pod-b', false], ['10.244.2.10', 'pod-c', true]]);
    assert.deepEqual(web.ports.map((p) => p.port), [80, 9000]);
    assert.equal('selector' in web, false);
    assert.equal(facts.serviceCIDR, '10.96.0.0/12');
  });

  it('records the client, the subnets (by name) and the router, and collects their namespaces after the others', () => {
    const st = status();
    const facts = clusterFacts(st);
    assert.deepEqual(facts.client, { name: 'outside', ip: '192.168.1.50' });
    assert.deepEqual(facts.subnets?.map((s) => s.name), ['rack1', 'rack2']);
    assert.deepEqual(facts.router, { name: 'core' });
    assert.deepEqual(namespaceTargets(st).map((t) => [t.id, t.target]), [
      ['wire', { kind: 'wire' }], ['node/node1', { kind: 'node', node: 'node1' }], ['client/outside', { kind: 'client' }], ['router/core', { kind: 'router' }],
    ]);
  });

  it('writes none of the version-2 fields for a lab without them', () => {
    const st = status();
    delete st.services;
    delete st.serviceCIDR;
    delete st.topology.serviceCIDR;
    delete st.client;
    delete st.router;
    st.topology.network = { cidr: '192.168.1.0/24' };
    const facts = clusterFacts(st);
    for (const k of ['services', 'serviceCIDR', 'client', 'subnets', 'router']) assert.equal(k in facts, false, k);
    assert.deepEqual(namespaceTargets(st).map((t) => t.id), ['wire', 'node/node1']);
  });

  it('facts of a status with Services make a valid version-2 file once its namespaces are there', () => {
    const st = status();
    const lo = { ifindex: 1, name: 'lo', kind: 'loopback' as const, mac: '00:00:00:00:00:00', mtu: 65536, state: 'UNKNOWN', up: true };
    const namespaces = namespaceTargets(st).map((t) => ({
      id: t.id, kind: t.kind, name: t.name, forwarding: false, links: [lo], addresses: [], routes: [], rules: [], neighbors: [], fdb: [], filter: { tool: 'none' as const },
    }));
    const text = serializeSnapshot({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, capturedAt: '2026-11-29T00:00:00Z', source: { provider: 'embedded', lab: 'svc' }, cluster: clusterFacts(st), namespaces });
    assert.equal(parseSnapshot(text).cluster.services?.length, 2);
    assert.equal(SNAPSHOT_VERSION, 2);
  });
});
