import { strict as assert } from 'node:assert';
import { toKubeEndpointSlice, toKubeService } from '../../../src/providers/kube/api/convertService';
import type { KubeEndpointSlice, KubeService } from '../../../src/providers/kube/clusterTypes';
import { joinServices } from '../../../src/providers/kube/serviceInfo';
import { endpointSliceObject, serviceObject, type ServiceFacts } from '../../support/kubeApiStandIn/serviceObjects';

const svc = (f: Partial<ServiceFacts> & { name: string }): KubeService => toKubeService(serviceObject({ namespace: 'default', clusterIP: '10.96.0.10', ports: [{ port: 80, targetPort: 8080 }], ...f }))!;
const ep = (ip: string, name: string, ready = true) => ({ ip, pod: { namespace: 'default', name }, node: 'n1', ready });
const slice = (service: string, suffix: string, eps: ReturnType<typeof ep>[], port = 8080): KubeEndpointSlice =>
  toKubeEndpointSlice(endpointSliceObject({ namespace: 'default', name: service }, eps, [{ port }], suffix))!;

describe('joining Services with their EndpointSlices (as kube-proxy pairs them)', () => {
  it('gathers the endpoints of every slice of a Service, one per address, sorted by address, ready or not', () => {
    const { services, problems } = joinServices(
      [svc({ name: 'web', selector: { app: 'web' } })],
      [slice('web', 'a', [ep('10.244.2.2', 'web-2'), ep('10.244.1.10', 'web-3', false)]), slice('web', 'b', [ep('10.244.1.9', 'web-1'), ep('10.244.2.2', 'web-2')])],
    );
    assert.deepEqual(problems, []);
    assert.equal(services.length, 1);
    assert.deepEqual(services[0].endpoints.map((e) => [e.ip, e.pod, e.ready]), [['10.244.1.9', 'default/web-1', true], ['10.244.1.10', 'default/web-3', false], ['10.244.2.2', 'default/web-2', true]]);
    assert.deepEqual(services[0].selector, { labels: { app: 'web' } });
    assert.deepEqual(services[0].ports, [{ protocol: 'tcp', port: 80, targetPort: 8080 }]);
  });

  it('a Service without slices has no endpoints (valid: kube-proxy rejects its traffic); slices of other Services or none are not mixed in', () => {
    const { services } = joinServices([svc({ name: 'empty' }), svc({ name: 'other', clusterIP: '10.96.0.11' })], [slice('other', 'a', [ep('10.244.1.2', 'o')])]);
    assert.deepEqual(services.map((s) => [s.name, s.endpoints.length]), [['empty', 0], ['other', 1]]);
  });

  it('skips a Service it cannot trace with a sentence naming it, and keeps the readable ones sorted by namespace and name', () => {
    const broken = toKubeService({ metadata: { name: 'v6', namespace: 'a' }, spec: { clusterIP: 'fd00::1', ports: [{ port: 80 }] } })!;
    const { services, problems } = joinServices([svc({ name: 'zeta' }), svc({ name: 'alpha', namespace: 'zoo' }), broken, svc({ name: 'beta' })], []);
    assert.deepEqual(services.map((s) => `${s.namespace}/${s.name}`), ['default/beta', 'default/zeta', 'zoo/alpha']);
    assert.deepEqual(problems, ['Service a/v6 skipped: spec.clusterIP "fd00::1" is not an IPv4 address (PodNet traces IPv4 only)']);
  });
});
