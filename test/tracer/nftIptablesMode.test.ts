/**
 * kube-proxy's iptables mode is not guessed at: as iptables-nft tables (`xt` expressions, recorded from the real
 * iptables-nft-restore) or as iptables-save text, its rules are left out and described in one sentence.
 */
import { strict as assert } from 'node:assert';
import { describeIptablesMode } from '../../src/tracer/iptablesMode';
import { readRuleset } from '../../src/tracer/nftRules';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture } from './fixtures';
import { fixtureText, hook, nftFilter, tcp } from './nftSupport';

const RULES = fixtureText('kube-proxy-iptables-mode.rules');
const RULE_COUNT = RULES.split('\n').filter((l) => l.startsWith('-A ')).length;
const SENTENCE = new RegExp(
  `^node1: ${RULE_COUNT} kube-proxy iptables-mode rules \\(chains KUBE-SERVICES, .*1 KUBE-SVC-\\*, 2 KUBE-SEP-\\*\\) were not evaluated: ` +
  "PodNet reads kube-proxy's nftables mode only; the trace stops trusting Service hops here$",
);

describe('kube-proxy iptables mode is described, not evaluated', () => {
  it('iptables-nft tables: one sentence counting the rules and naming the chains', () => {
    const sentence = describeIptablesMode(nftFilter('kube-proxy-iptables-mode.json'), 'node1');
    assert.match(sentence ?? '', SENTENCE);
    assert.match(sentence ?? '', /KUBE-MARK-MASQ/);
  });

  it('the same rules as iptables-save text give the same sentence', () => {
    const sentence = describeIptablesMode({ tool: 'iptables', iptablesSave: fixtureText('kube-proxy-iptables-mode.save') }, 'node1');
    assert.match(sentence ?? '', SENTENCE);
  });

  it('the evaluator skips those tables: no DNAT from half-read rules, and the sentence in unknown', () => {
    const rs = readRuleset(nftFilter('kube-proxy-iptables-mode.json'));
    assert.equal(rs.size, 0, 'no chain of the iptables-nft tables is evaluated');
    const res = hook(rs, 'prerouting', { packet: tcp('10.244.1.5', '10.96.0.100', 80), iifname: 'cbr0' });
    assert.equal(res.changes.length, 0);
    assert.equal(res.unknown.length, 1);
    assert.match(res.unknown[0], /kube-proxy iptables-mode rules .* were not evaluated/);
  });

  it('iptables-save text without kube-proxy chains is still named as not evaluated', () => {
    const text = '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n';
    assert.equal(
      describeIptablesMode({ tool: 'iptables', iptablesSave: text }),
      '1 iptables rule (tables nat) were not evaluated: nft is not installed in this namespace and PodNet evaluates nftables rulesets only',
    );
  });

  it('nothing to say for a native nft ruleset, an empty iptables-save or no rules at all', () => {
    assert.equal(describeIptablesMode(nftFilter('kube-proxy-node1.json')), undefined);
    assert.equal(describeIptablesMode({ tool: 'iptables', iptablesSave: '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n' }), undefined);
    assert.equal(describeIptablesMode({ tool: 'none', error: 'neither nft nor iptables-save is installed' }), undefined);
  });

  it('iptables-nft rules outside kube-proxy are evaluated rule by rule: xt extensions are reported, comment matches ignored', () => {
    // the recorded tables with every KUBE- name renamed: no longer kube-proxy's, so evaluated with their xt expressions
    const renamed = JSON.parse(JSON.stringify(nftFilter('kube-proxy-iptables-mode.json')).replace(/KUBE-/g, 'LAB-'));
    const rs = readRuleset(renamed);
    assert.ok(rs.size > 0);
    const res = hook(rs, 'prerouting', { packet: tcp('10.244.1.5', '10.96.0.100', 80), iifname: 'cbr0' });
    assert.equal(res.changes.length, 0, 'an xt DNAT target is never applied');
    assert.ok(res.unknown.length >= 1);
    assert.ok(res.unknown.every((u) => /an iptables extension PodNet cannot evaluate; rule skipped/.test(u)), res.unknown.join('\n'));
    assert.ok(res.unknown.some((u) => u.includes('ip nat LAB-SVC-')), 'the statistic match of the Service chain is named');
  });

  it('a trace through a node with iptables-mode rules warns once, in the sentence, and is not rewritten by them', () => {
    const s = loadFixture('article.json');
    const node1 = s.namespaces.find((n) => n.id === 'node/node1')!;
    node1.filter = nftFilter('kube-proxy-iptables-mode.json');
    const t = predictTrace(s, { from: 'pod-a', to: 'pod-c' });
    assert.equal(t.disposition, 'DELIVERED');
    assert.deepEqual(t.nat, []);
    const about = t.warnings.filter((w) => w.includes('iptables-mode'));
    assert.equal(about.length, 1, t.warnings.join('\n'));
    assert.match(about[0], SENTENCE);
  });
});

describe('iptables-save text with other tables beside kube-proxy\'s', () => {
  it('counts only the rules of the tables that hold kube-proxy chains', () => {
    const mangle = '*mangle\n:PREROUTING ACCEPT [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\n-A PREROUTING -j MARK --set-mark 0x1\n-A PREROUTING -j MARK --set-mark 0x2\nCOMMIT\n';
    const sentence = describeIptablesMode({ tool: 'iptables', iptablesSave: `${mangle}${fixtureText('kube-proxy-iptables-mode.save')}` }, 'node1');
    assert.match(sentence ?? '', SENTENCE);
  });
});
