/** A snapshot is untrusted input: malformed nft JSON is reported rule by rule and never stops the evaluation. */
import { strict as assert } from 'node:assert';
import { readRuleset } from '../../src/tracer/nftRules';
import { hook, tcp } from './nftSupport';

const daddr = { payload: { protocol: 'ip', field: 'daddr' } };
const rule = (handle: number, expr: unknown) => ({ rule: { family: 'ip', table: 't', chain: 'c', handle, expr } });

const LISTING = [
  { table: { family: 'ip', name: 't' } },
  { chain: { family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'forward', prio: 'not-a-priority', policy: 'accept' } },
  { chain: { family: 'ip', table: 't', name: 7 } },
  { map: { family: 'ip', table: 't', name: 'm', map: 'verdict', elem: [['999.1.1.1/8', { drop: null }]] } },
  { set: { family: 'ip', table: 't', name: 'noelems', elem: 'not-a-list' } },
  rule(1, [null, 5]),
  rule(2, [{ match: null }]),
  rule(3, [{ jump: null }]),
  rule(4, [{ match: { op: '==', left: daddr, right: '999.1.1.1/8' } }, { drop: null }]),
  rule(5, [{ vmap: { key: daddr, data: '@m' } }]),
  rule(6, [{ match: { op: '==', left: daddr, right: '@noelems' } }, { drop: null }]),
  rule(7, 'not-a-list'),
  rule(8, [{ dnat: { addr: { map: 'x' } } }]),
  { chain: { family: 'ip', table: 't', name: 'loop' } },
  { rule: { family: 'ip', table: 't', chain: 'loop', handle: 11, expr: [{ jump: { target: 'loop' } }] } },
  rule(9, [{ jump: { target: 'loop' } }]),
  rule(10, [{ match: { op: '==', left: daddr, right: '10.244.2.2' } }, { accept: null }]),
];

describe('nft evaluator on malformed input', () => {
  it('reports every unreadable rule, applies none of them, and still reaches the readable rule after them', () => {
    const rs = readRuleset({ tool: 'nft', nft: LISTING });
    const res = hook(rs, 'forward', { packet: tcp('10.244.1.2', '10.244.2.2', 80) });
    assert.equal(res.verdict, 'accept');
    assert.deepEqual(res.changes, []);
    assert.equal(res.rows.at(-1)?.handle, 10, 'the last, readable rule decided');
    for (const handle of [1, 2, 3, 4, 5, 8]) {
      assert.ok(res.unknown.some((u) => u.startsWith(`ip t c handle ${handle}:`)), `handle ${handle} reported:\n${res.unknown.join('\n')}`);
    }
    assert.ok(res.unknown.some((u) => /ip t loop handle 11: .*jumps nest deeper than 16/.test(u)), 'a chain that jumps to itself stops at the depth limit');
  });
});
