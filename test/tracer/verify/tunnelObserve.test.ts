import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/snapshot/types';
import { predictTrace } from '../../../src/tracer/predict';
import { observeTunnel, outerProbeMatch, tunnelMarkScript } from '../../../src/tracer/verify/tunnelObserve';
import { parseTraceOutput } from '../../../src/tracer/verify/traceEvents';

const snapshot = JSON.parse(readFileSync(join(__dirname, '..', 'data', 'overlay-two-subnets.json'), 'utf8')) as Snapshot;

// `nft monitor trace` in the router of the recorded lab while pod-a pinged pod-b with 100 data bytes (inner IP length 128);
// captured with a table of another name, renamed to PodNet's trace table so the chain maps to its hook.
const ROUTER_FORWARD = 'trace id 1cc26808 inet podnet_trace_abc123 t_fwd packet: iif "eth0" oif "eth1" ether saddr ea:5a:a5:03:43:99 '
  + 'ether daddr d2:00:87:f2:ae:2c ip saddr 192.168.1.100 ip daddr 192.168.2.100 ip dscp cs0 ip ecn not-ect ip ttl 63 ip id 48715 '
  + 'ip protocol udp ip length 178 udp sport 47106 udp dport 8472 udp length 158 @th,64,96 0x8000000000001000ef1c0a8';

describe('verify: the outer packet of a VXLAN tunnel', () => {
  it('marks the outer packet by the probe\'s inner headers at their offsets behind UDP 8 + VXLAN 8 + Ethernet 14 bytes', () => {
    assert.equal(outerProbeMatch(8472, 'icmp', [], 128), 'udp dport 8472 @th,312,8 1 @th,256,16 128 @th,400,8 8');
    assert.equal(outerProbeMatch(8472, 'tcp', [8080, 8080]), 'udp dport 8472 @th,312,8 6 @th,416,16 { 8080 } @th,504,8 & 0x12 == 0x02');
    assert.equal(outerProbeMatch(4789, 'udp', [53], 60), 'udp dport 4789 @th,312,8 17 @th,256,16 60 @th,416,16 { 53 }');
  });

  it('adds the marks to both families\' marking chains only when the path has a tunnel', () => {
    const tunnel = predictTrace(snapshot, { from: 'pod-a', to: 'pod-b' });
    const script = tunnelMarkScript('podnet_trace_x', tunnel, [8080], 128);
    assert.deepEqual(script.trim().split('\n').map((l) => l.split(' udp dport')[0]), [
      'add rule inet podnet_trace_x t_pre', 'add rule inet podnet_trace_x t_out', 'add rule bridge podnet_trace_x t_pre', 'add rule bridge podnet_trace_x t_out',
    ]);
    const local = predictTrace(snapshot, { from: 'pod-a', to: 'node1' });
    assert.equal(tunnelMarkScript('podnet_trace_x', local, [8080], 128), '');
  });

  it('observes the router hop from the outer packet (node IP to node IP, UDP 8472, outer TTL 63), not from a Pod address', () => {
    const t = predictTrace(snapshot, { from: 'pod-a', to: 'pod-b' });
    const { events } = parseTraceOutput('router/router', ROUTER_FORWARD);
    observeTunnel(t.hops, snapshot, events, 128);
    const router = t.hops.find((h) => h.namespace === 'router/router' && h.decision === 'forward')!;
    assert.deepEqual(router.observation, {
      observed: true,
      where: ['inet forward iif eth0 oif eth1: outer packet 192.168.1.100 -> 192.168.2.100 udp 8472 ttl 63'],
      headers: { srcIP: '192.168.1.100', dstIP: '192.168.2.100', proto: 'udp', srcPort: 47106, dstPort: 8472 },
    });
    const encap = t.hops.find((h) => h.decision === 'encap')!;
    assert.deepEqual(encap.observation, { observed: false }, 'no event from node1: not seen');
    assert.equal(t.hops[0].observation, undefined, 'hops outside the tunnel are left to the inner observation');
  });

  it('another probe\'s outer packet (another inner size) is not taken for ours; a different outer TTL is a difference', () => {
    const t = predictTrace(snapshot, { from: 'pod-a', to: 'pod-b' });
    const router = t.hops.find((h) => h.namespace === 'router/router' && h.decision === 'forward')!;
    observeTunnel(t.hops, snapshot, parseTraceOutput('router/router', ROUTER_FORWARD).events, 100);
    assert.deepEqual(router.observation, { observed: false });
    observeTunnel(t.hops, snapshot, parseTraceOutput('router/router', ROUTER_FORWARD.replace('ip ttl 63', 'ip ttl 61')).events, 128);
    assert.deepEqual(router.observation?.differences, ['outer TTL 61 (predicted 63)']);
  });
});
