import { strict as assert } from 'node:assert';
import { crossedClusterWire } from '../../../src/labs/checks/trace';
import { parseClientIp } from '../../../src/demo/httpProbe';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import type { Hop } from '../../../src/tracer/types';

const st = { nodes: [{ name: 'pn-worker' }, { name: 'pn-worker2' }] } as unknown as LabStatus;
const hops = (...where: string[]): Hop[] => where.map((w, index) => ({ index, where: w, decision: 'forward' }) as unknown as Hop);

describe('checks on a cluster: the wire between nodes, and agnhost\'s /clientip answer', () => {
  it('counts a packet as over the wire when one node hands it straight to another node', () => {
    assert.equal(crossedClusterWire(hops('default/pod-a', 'pn-worker', 'pn-worker2', 'default/pod-c'), st), true);
    assert.equal(crossedClusterWire(hops('default/pod-a', 'pn-worker', 'default/pod-b'), st), false, 'same node: no wire');
    assert.equal(crossedClusterWire(hops('default/pod-a', 'pn-worker', 'pn-worker', 'default/pod-b'), st), false, 'two hops in one node are not a crossing');
  });

  it('reads IP:PORT (and [IPv6]:PORT) from /clientip, and nothing else', () => {
    assert.deepEqual(parseClientIp('10.244.1.4:43210\n'), { ip: '10.244.1.4', port: 43210 });
    assert.deepEqual(parseClientIp('[::ffff:10.244.1.4]:80'), { ip: '10.244.1.4', port: 80 });
    assert.deepEqual(parseClientIp('[fd00::1]:8080'), { ip: 'fd00::1', port: 8080 });
    assert.equal(parseClientIp('NOW: 2026-11-29 17:00:00'), undefined);
    assert.equal(parseClientIp('{"sawSource":"10.0.0.1"}'), undefined);
  });
});
