/** Parsing real `nft monitor trace` output into per-hook packet events. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTraceOutput } from '../../../src/tracer/verify/traceEvents';

const recorded = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'nft-trace', name), 'utf8');

describe('parseTraceOutput on recorded nft monitor trace output', () => {
  it('reads node1: bridge prerouting from the veth, then IP prerouting on cbr0, forward and postrouting to eth0 with TTL 63', () => {
    const { events, verdicts } = parseTraceOutput('node/node1', recorded('node1-cross-node-ping.txt'));
    const seq = events.map((e) => `${e.family} ${e.hook} ${e.iif ?? '-'} ${e.oif ?? '-'} ${e.headers.ttl}`);
    assert.deepEqual(seq.map((x) => x.replace(/veth\w+/, 'vethX')), [
      'bridge prerouting vethX - 64',
      'inet prerouting cbr0 - 64',
      'inet forward cbr0 eth0 63',
      'inet postrouting cbr0 eth0 63',
    ]);
    const first = events[0];
    assert.equal(first.headers.srcIP, '10.244.1.2');
    assert.equal(first.headers.dstIP, '10.244.2.2');
    assert.equal(first.headers.proto, 'icmp');
    assert.equal(first.icmpId, 110);
    assert.equal(first.icmpSeq, 0);
    assert.match(first.headers.srcMAC ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    assert.ok(events.every((e) => e.namespace === 'node/node1'));
    assert.deepEqual(verdicts, [], 'only "continue" rule verdicts and accept policies: nothing decided the fate');
  });

  it('reads the wire: the bridge forwards between the node ports', () => {
    const { events } = parseTraceOutput('wire', recorded('wire-cross-node-ping.txt'));
    const fwd = events.find((e) => e.family === 'bridge' && e.hook === 'forward');
    assert.equal(fwd?.iif, 'wire0-p1');
    assert.equal(fwd?.oif, 'wire0-p2');
  });

  it('keeps drop verdicts of other tables, with the rule text', () => {
    const text = [
      'trace id 1a2b3c4d ip lesson guard packet: iif "cbr0" oif "eth0" ip saddr 10.244.1.2 ip daddr 10.244.2.2 ip ttl 63 ip protocol icmp icmp type echo-request icmp id 7 icmp sequence 0',
      'trace id 1a2b3c4d ip lesson guard rule ip daddr 10.244.2.2 drop (verdict drop)',
      'trace id 1a2b3c4e ip other fwd policy drop',
    ].join('\n');
    const { events, verdicts } = parseTraceOutput('node/node1', text);
    assert.equal(events[0].hook, undefined, 'not one of our observation chains');
    assert.deepEqual(verdicts.map((v) => [v.table, v.chain, v.rule, v.verdict]), [['lesson', 'guard', 'ip daddr 10.244.2.2 drop', 'drop'], ['other', 'fwd', 'policy drop', 'drop']]);
  });
});
