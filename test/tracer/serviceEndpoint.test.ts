/** Trace endpoints for Services (by name, svc/NAME, NAME:PORT, ClusterIP[:PORT]), the outside client and the router. */
import { strict as assert } from 'node:assert';
import { LabError } from '../../src/providers/embedded/control/labError';
import type { Snapshot, SnapshotService } from '../../src/snapshot/types';
import { endpointProto, resolveEndpoint } from '../../src/tracer/endpoints';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture } from './fixtures';

function svc(name: string, clusterIP: string, extra: Partial<SnapshotService> = {}): SnapshotService {
  return {
    name, type: 'ClusterIP', clusterIP, externalTrafficPolicy: 'Cluster',
    ports: [{ name: 'http', protocol: 'tcp', port: 80, targetPort: 8080 }, { name: 'alt', protocol: 'tcp', port: 8443, targetPort: 8443 }], endpoints: [], ...extra,
  };
}

function lab(): Snapshot {
  const s = loadFixture('article.json');
  s.version = 2;
  s.cluster.serviceCIDR = '10.96.0.0/12';
  s.cluster.services = [svc('web', '10.96.0.100'), svc('dns', '10.96.0.101', { ports: [{ protocol: 'udp', port: 53, targetPort: 53 }] }), svc('pod-a', '10.96.0.102')];
  s.cluster.client = { name: 'outside', ip: '192.168.1.50' };
  return s;
}

function refuses(f: () => unknown, message: RegExp, field: string): void {
  assert.throws(f, (e: unknown) => e instanceof LabError && message.test(e.message) && e.field === field);
}

describe('trace endpoints: Services', () => {
  it('a Service by name, svc/NAME and NAME:PORT resolve to its ClusterIP, the first port by default', () => {
    const s = lab();
    for (const [text, port] of [['web', 80], ['svc/web', 80], ['service/web', 80], ['web:8443', 8443], ['web:alt', 8443], ['svc/web:80', 80]] as const) {
      const e = resolveEndpoint(s, text, 'to');
      assert.deepEqual([e.kind, e.name, e.ip, e.port, e.input], ['service', 'web', '10.96.0.100', port, text], text);
    }
  });

  it('a ClusterIP, with or without a port, is that Service (the service range is a lab network)', () => {
    const s = lab();
    assert.deepEqual(({ ...resolveEndpoint(s, '10.96.0.100', 'to') }), { input: '10.96.0.100', kind: 'service', name: 'web', ip: '10.96.0.100', port: 80 });
    assert.equal(resolveEndpoint(s, '10.96.0.100:8443', 'to').port, 8443);
    assert.equal(resolveEndpoint(s, '10.96.0.100:9999', 'to').kind, 'ip', 'a port the Service does not serve is a plain address: the rules decide');
    assert.equal(resolveEndpoint(s, '10.96.5.5', 'to').kind, 'ip', 'an unallocated ClusterIP is still in the lab');
  });

  it('a UDP Service is traced with UDP', () => {
    const s = lab();
    assert.equal(endpointProto(s, resolveEndpoint(s, 'dns', 'to')), 'udp');
    assert.equal(endpointProto(s, resolveEndpoint(s, 'web', 'to')), 'tcp');
  });

  it('with a port typed and no --proto: a UDP ClusterIP:PORT and a node address on a UDP NodePort are UDP; a shared node port stays undecided', () => {
    const s = lab();
    s.cluster.services!.push(svc('dns-np', '10.96.0.103', { type: 'NodePort', ports: [{ protocol: 'udp', port: 53, targetPort: 53, nodePort: 30053 }] }));
    s.cluster.services!.push(svc('both', '10.96.0.104', { type: 'NodePort', ports: [{ protocol: 'udp', port: 53, targetPort: 53, nodePort: 30054 }, { protocol: 'tcp', port: 53, targetPort: 53, nodePort: 30054 }] }));
    const proto = (to: string): string | undefined => predictTrace(s, { from: 'pod-a', to }, {}).request.proto;
    assert.equal(proto('10.96.0.101:53'), 'udp');
    assert.equal(proto('node1:30053'), 'udp');
    assert.equal(proto('192.168.1.101:30053'), 'udp', 'any node address');
    assert.equal(endpointProto(s, resolveEndpoint(s, 'node1:30054', 'to')), undefined, 'tcp and udp share 30054: no guess');
    assert.equal(proto('node1:30054'), 'tcp');
    assert.equal(proto('pod-c:8080'), 'tcp');
    assert.equal(predictTrace(s, { from: 'pod-a', to: 'node1:30053', proto: 'tcp' }).request.proto, 'tcp', '--proto wins');
  });

  it('a Pod keeps its name over a Service of the same name; svc/ picks the Service', () => {
    const s = lab();
    assert.equal(resolveEndpoint(s, 'pod-a', 'to').kind, 'pod');
    assert.equal(resolveEndpoint(s, 'svc/pod-a', 'to').kind, 'service');
  });

  it('bad Service input is one located error: unknown name, unknown port, headless, a Service as FROM', () => {
    const s = lab();
    refuses(() => resolveEndpoint(s, 'svc/nope', 'to'), /no Service nope in this lab \(Services: web, dns, pod-a\)/, 'to');
    refuses(() => resolveEndpoint(s, 'web:81', 'to'), /Service web has no port "81" \(its ports: http 80\/TCP, alt 8443\/TCP\)/, 'to');
    refuses(() => resolveEndpoint(s, 'web', 'from'), /a Service is a virtual address that nothing sends from/, 'from');
    s.cluster.services!.push(svc('headless', 'None'));
    refuses(() => resolveEndpoint(s, 'headless', 'to'), /headless \(no ClusterIP\)/, 'to');
    refuses(() => resolveEndpoint(s, 'nothing', 'to'), /Services: web, dns, pod-a, headless; outside client outside/, 'to');
  });

  it('on a cluster: svc/NAMESPACE/NAME, a bare name in one namespace, and an ambiguous bare name refused', () => {
    const s = lab();
    s.cluster.services = [svc('web', '10.96.0.100', { namespace: 'shop' }), svc('web', '10.96.0.110', { namespace: 'blog' }), svc('api', '10.96.0.120', { namespace: 'shop' })];
    assert.equal(resolveEndpoint(s, 'svc/blog/web', 'to').ip, '10.96.0.110');
    assert.equal(resolveEndpoint(s, 'shop/web:8443', 'to').port, 8443);
    assert.equal(resolveEndpoint(s, 'api', 'to').name, 'shop/api');
    refuses(() => resolveEndpoint(s, 'web', 'to'), /names Services in several namespaces \(shop\/web, blog\/web\): write svc\/NAMESPACE\/web/, 'to');
  });
});

describe('trace endpoints: the outside client and the router', () => {
  it('the client is a FROM and a TO by name, in namespace client/NAME', () => {
    const s = lab();
    for (const role of ['from', 'to'] as const) {
      const e = resolveEndpoint(s, 'outside', role);
      assert.deepEqual([e.kind, e.namespace, e.ip], ['client', 'client/outside', '192.168.1.50']);
    }
    assert.equal(resolveEndpoint(s, '192.168.1.50', 'from').kind, 'client', 'by its address too');
  });

  it('the router goes by its name (namespace router/NAME) and its first subnet address; its subnets are lab networks', () => {
    const s = lab();
    s.cluster.subnets = [{ name: 'a', cidr: '10.0.1.0/24', routerIP: '10.0.1.1' }, { name: 'b', cidr: '10.0.2.0/24', routerIP: '10.0.2.1' }];
    s.cluster.router = { name: 'router' };
    const r = resolveEndpoint(s, 'router', 'from');
    assert.deepEqual([r.kind, r.namespace, r.ip], ['router', 'router/router', '10.0.1.1']);
    assert.equal(resolveEndpoint(s, '10.0.2.9', 'to').kind, 'ip');
  });
});
