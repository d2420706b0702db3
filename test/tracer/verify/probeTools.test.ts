/** Which programs a probe tries, in order, and that addresses stay arguments, never script text. */
import { strict as assert } from 'node:assert';
import { predictTrace } from '../../../src/tracer/predict';
import { probeAlternatives, probeIpLength, probeUnusable } from '../../../src/tracer/verify/probeTools';
import { loadFixture } from '../fixtures';

describe('probeAlternatives', () => {
  const udp = predictTrace(loadFixture('article.json'), { from: 'pod-a', to: 'pod-c', proto: 'udp', port: 53 });

  it('UDP: nc first, then bash /dev/udp (Debian busybox nc has no -u), with the address and port as arguments of a fixed script', () => {
    const probes = probeAlternatives(udp, 7);
    assert.deepEqual(probes.map((p) => p.argv[0]), ['busybox', 'nc', 'bash']);
    const bash = probes[2];
    assert.equal(bash.argv[2], 'exec cat > "/dev/udp/$1/$2"');
    assert.deepEqual(bash.argv.slice(-2), ['10.244.2.2', '53']);
    assert.ok(!bash.argv[2].includes('10.244.2.2'), 'the address is never part of the script');
  });

  it('every UDP alternative sends the same bytes, so the marking rule matches whichever ran', () => {
    const probes = probeAlternatives(udp, 7);
    const lengths = new Set(probes.map((p) => 28 + Buffer.byteLength(p.input ?? '')));
    assert.deepEqual([...lengths], [probeIpLength('udp', 7)]);
  });

  it("busybox nc's missing -u is unusable (the next is tried); a refused datagram is a result, not unusable", () => {
    assert.equal(probeUnusable({ code: 1, stderr: "nc: invalid option -- 'u'" }), true);
    assert.equal(probeUnusable({ code: 127, stderr: 'setpriv: failed to execute nc: No such file or directory' }), true);
    assert.equal(probeUnusable({ code: 1, stderr: 'bash: connect: Connection refused' }), false);
  });
});
