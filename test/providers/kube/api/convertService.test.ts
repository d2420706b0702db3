import { strict as assert } from 'node:assert';
import { toKubeEndpointSlice, toKubeService } from '../../../../src/providers/kube/api/convertService';
import { endpointSliceObject, serviceObject } from '../../../support/kubeApiStandIn/serviceObjects';

describe('reading Services and EndpointSlices from API objects (untrusted input)', () => {
  it('reads a NodePort Service: lower-case protocol, named targetPort kept, nodePort, Local policy, selector', () => {
    const svc = toKubeService(serviceObject({
      namespace: 'shop', name: 'web', clusterIP: '10.96.0.10', type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }, { name: 'dns', protocol: 'UDP', port: 53, targetPort: 5353 }],
    }));
    assert.deepEqual(svc, {
      namespace: 'shop', name: 'web', type: 'NodePort', clusterIP: '10.96.0.10', externalTrafficPolicy: 'Local', selector: { app: 'web' }, problems: [], resourceVersion: '',
      ports: [{ name: 'http', protocol: 'tcp', port: 80, targetPort: 'http', nodePort: 30080 }, { name: 'dns', protocol: 'udp', port: 53, targetPort: 5353 }],
    });
  });

  it('keeps metadata.creationTimestamp as createdAt (the AGE column), and leaves it out when the API sent none', () => {
    const svc = toKubeService({ metadata: { name: 'aged', creationTimestamp: '2026-11-29T10:00:00Z' }, spec: { clusterIP: '10.96.0.12', ports: [{ port: 80 }] } });
    assert.equal(svc?.createdAt, '2026-11-29T10:00:00Z');
    assert.equal('createdAt' in (toKubeService({ metadata: { name: 'new' }, spec: { clusterIP: '10.96.0.13', ports: [{ port: 80 }] } }) ?? {}), false);
  });

  it('applies the API defaults: no type is ClusterIP, no protocol is TCP, no targetPort is the port, no namespace is default', () => {
    const svc = toKubeService({ metadata: { name: 'bare' }, spec: { clusterIP: '10.96.0.11', ports: [{ port: 8080 }] } });
    assert.equal(svc?.type, 'ClusterIP');
    assert.equal(svc?.namespace, 'default');
    assert.deepEqual(svc?.ports, [{ protocol: 'tcp', port: 8080, targetPort: 8080 }]);
    assert.equal(svc?.externalTrafficPolicy, 'Cluster');
    assert.equal('selector' in (svc ?? {}), false);
  });

  it('drops what it cannot read with a reason instead of throwing: SCTP, port 0, a bad targetPort, an IPv6-only ClusterIP, an unknown type', () => {
    const svc = toKubeService({
      metadata: { name: 'odd' },
      spec: { type: 'Mystery', clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ports: [{ port: 0 }, { port: 9, protocol: 'SCTP' }, { port: 81, targetPort: 'Not A Name!' }, 'junk'] },
    })!;
    assert.equal(svc.type, '');
    assert.equal(svc.clusterIP, '');
    assert.deepEqual(svc.ports, [{ protocol: 'tcp', port: 81, targetPort: 81 }]);
    assert.deepEqual(svc.problems, [
      'spec.type "Mystery" is not ClusterIP, NodePort, LoadBalancer or ExternalName',
      'spec.ports[0]: port 0 is not 1-65535',
      'spec.ports[1]: protocol "SCTP" is not traced (PodNet follows TCP and UDP only)',
      'spec.ports[2]: targetPort "Not A Name!" is neither a port nor a port name; using port 81',
      'spec.ports[3]: port null is not 1-65535',
      'spec.clusterIP "fd00::10" is not an IPv4 address (PodNet traces IPv4 only)',
    ]);
    assert.equal(toKubeService({ metadata: {} }), undefined);
    assert.equal(toKubeService(null), undefined);
    assert.equal(toKubeService([1, 2]), undefined);
  });

  it('takes the IPv4 ClusterIP of a dual-stack Service whose primary family is IPv6', () => {
    const svc = toKubeService({ metadata: { name: 'dual' }, spec: { clusterIP: 'fd00::10', clusterIPs: ['fd00::10', '10.96.0.12'], ports: [{ port: 80 }] } });
    assert.equal(svc?.clusterIP, '10.96.0.12');
    assert.deepEqual(svc?.problems, []);
  });

  it('reads a slice: its Service from the label, each endpoint\'s first address, Pod as NAMESPACE/NAME, node, ready (absent = ready)', () => {
    const raw = endpointSliceObject({ namespace: 'shop', name: 'web' }, [
      { ip: '10.244.1.2', pod: { namespace: 'shop', name: 'web-1' }, node: 'kind-worker' },
      { ip: '10.244.2.2', pod: { namespace: 'shop', name: 'web-2' }, node: 'kind-worker2', ready: false },
    ], [{ port: 8080 }]);
    (raw.endpoints as Record<string, unknown>[]).push({ addresses: ['10.244.3.3', '10.244.3.4'] });
    const slice = toKubeEndpointSlice(raw)!;
    assert.equal(slice.service, 'web');
    assert.deepEqual(slice.ports, [{ protocol: 'tcp', port: 8080 }]);
    assert.deepEqual(slice.endpoints, [
      { ip: '10.244.1.2', ready: true, pod: 'shop/web-1', node: 'kind-worker' },
      { ip: '10.244.2.2', ready: false, pod: 'shop/web-2', node: 'kind-worker2' },
      { ip: '10.244.3.3', ready: true },
    ]);
  });

  it('keeps no endpoints of an IPv6 or FQDN slice and notes unreadable addresses', () => {
    const v6 = toKubeEndpointSlice({ metadata: { name: 's6' }, addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }], ports: [{ port: 80 }] });
    assert.deepEqual(v6?.endpoints, []);
    const bad = toKubeEndpointSlice({ metadata: { name: 'sb' }, addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['10.244.1.300'] }, 7], ports: [{ port: 'x' }] })!;
    assert.deepEqual(bad.endpoints, []);
    assert.deepEqual(bad.ports, []);
    assert.equal(bad.problems.length, 3);
    assert.match(bad.problems[1], /^endpoints\[1\]: address "10\.244\.1\.300" is not an IPv4 address$/);
  });
});
