import { strict as assert } from 'node:assert';
import { labExtrasLines } from '../../../src/cli/commands/lab';
import type { ServiceInfo } from '../../../src/providers/embedded/control/protocol';

describe('podnet lab up|status text', () => {
  it('lab up and lab status list the Services with ClusterIP and ports in the service range', () => {
    const svc = (name: string, ip: string, nodePort?: number): ServiceInfo => ({
      name, type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip, externalTrafficPolicy: 'Cluster', endpoints: [],
      ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) }],
    });
    assert.deepEqual(labExtrasLines({ services: [] }), []);
    assert.deepEqual(labExtrasLines({ serviceCIDR: '10.96.0.0/12', services: [svc('web', '10.96.0.100'), svc('np', '10.96.0.101', 30080)] }), [
      '  2 Services in 10.96.0.0/12: web 10.96.0.100 (80/TCP), np 10.96.0.101 (80:30080/TCP) (podnet get svc)',
    ]);
  });

  it('the outside client comes first, indented like the node lines', () => {
    assert.deepEqual(labExtrasLines({ client: { name: 'outside', ip: '192.168.1.50', wirePort: 'w' } }).map((l) => l.slice(0, 25)), ['  outside client outside:']);
  });
});
