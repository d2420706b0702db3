/** On a cluster a trace to a Service reads the Service's endpoint Pods too, and only those of the Service it names. */
import { strict as assert } from 'node:assert';
import type { ServiceInfo } from '../../src/providers/embedded/control/protocol';
import { serviceEndpointIPs } from '../../src/tracer/serviceScope';

const svc = (name: string, namespace: string, clusterIP: string, ips: string[], nodePort?: number): ServiceInfo => ({
  name, namespace, type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP, externalTrafficPolicy: 'Cluster',
  ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) }],
  endpoints: ips.map((ip) => ({ ip, ready: true, ports: [{ protocol: 'tcp', port: 8080 }] })),
});

describe('serviceEndpointIPs (which Pods a cluster trace to a Service reads)', () => {
  const services = [svc('web', 'shop', '10.96.0.10', ['10.244.1.5', '10.244.2.7']), svc('api', 'shop', '10.96.0.11', ['10.244.3.9'], 30080)];
  it('names the endpoints of the Service named by NAME, NAMESPACE/NAME, svc/..., its ClusterIP[:PORT] or a NodePort', () => {
    for (const to of ['web', 'shop/web', 'svc/shop/web:80', '10.96.0.10', '10.96.0.10:80']) {
      assert.deepEqual([...serviceEndpointIPs(services, { to })].sort(), ['10.244.1.5', '10.244.2.7'], to);
    }
    assert.deepEqual([...serviceEndpointIPs(services, { to: 'kind-worker:30080' })], ['10.244.3.9']);
  });
  it('names nothing for a Pod or a port no Service has', () => {
    assert.equal(serviceEndpointIPs(services, { to: 'shop/web-1' }).size, 0);
    assert.equal(serviceEndpointIPs(services, { to: 'kind-worker:31000' }).size, 0);
  });
});
