/** Find IP's answers, on the status of recorded labs (the replay provider reads the fixtures). */
import { strict as assert } from 'node:assert';
import { statusFromSnapshot } from '../../../src/providers/replay/replayStatus';
import { whoHas } from '../../../src/vscode/commands/whoHas';
import { loadFixture, podIP } from '../../tracer/fixtures';

describe('whoHas (Find IP)', () => {
  const snap = loadFixture('article-docker.json');
  const st = statusFromSnapshot(snap);

  it('names the Pod, node, bridge gateway, NAT host and its containers', () => {
    assert.deepEqual(whoHas(st, podIP(snap, 'pod-c')), { answer: `${podIP(snap, 'pod-c')} is Pod pod-c on node2 (eth0 inside the Pod).`, pod: 'pod-c' });
    assert.match(whoHas(st, '192.168.1.100').answer, /is node node1/);
    assert.match(whoHas(st, '10.244.1.1').answer, /is cbr0 on node1: the default gateway of that node's Pods/);
    assert.match(whoHas(st, '192.168.1.10').answer, /Docker-style host docker-host/);
    const webA = snap.cluster.dockerHost!.containers.find((c) => c.name === 'web-a')!;
    assert.match(whoHas(st, webA.ip).answer, /container web-a behind docker-host's NAT.*others use 192\.168\.1\.10:8081/);
  });

  it('says an address inside a Pod CIDR but unused is not in the lab, and why', () => {
    const r = whoHas(st, '10.244.2.200');
    assert.match(r.answer, /10\.244\.2\.200 is not in this lab\. It lies in node2's Pod CIDR 10\.244\.2\.0\/24, but no Pod has it now/);
    assert.equal(r.pod, undefined);
  });

  it('says an address outside every network is not in the lab', () => {
    assert.match(whoHas(st, '172.31.9.9').answer, /not in this lab \(Pod CIDR 10\.244\.0\.0\/16, nodes on 192\.168\.1\.0\/24\)/);
  });
});
