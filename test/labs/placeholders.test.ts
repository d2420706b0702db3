import { strict as assert } from 'node:assert';
import { kindIncompatibility } from '../../src/labs/kindCompat';
import { parseLabPack, validateLabPack } from '../../src/labs/parse';
import { escapeRegex, fillCheck, fillPlaceholders, fillText, scanPlaceholders } from '../../src/labs/placeholders';
import { firstMatch } from '../../src/labs/safeRegex';
import type { LabStatus } from '../../src/providers/embedded/control/protocol';
import { HEAD, makePack } from './helpers';

/** A cluster-shaped status: Pods NAMESPACE/NAME, kind workers with their topology node as alias. */
const cluster = {
  pods: [{ name: 'default/pod-a', ip: '10.244.2.7' }, { name: 'default/pod-c', ip: '10.244.1.3' }],
  nodes: [{ name: 'pn-worker', ip: '172.18.0.3', podCIDR: '10.244.2.0/24', aliases: ['node1'] }, { name: 'pn-worker2', ip: '172.18.0.4', podCIDR: '10.244.1.0/24', aliases: ['node2'] }],
} as unknown as LabStatus;

const STEP = (check: string) => `steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    actions:\n      - id: a1\n        run: [podnet, get, pods]\n    checks:\n${check}`;

describe('lab placeholders: {{ip:NAME}} and {{podCIDR:NODE}} in actions and checks', () => {
  it('fills argv from the live lab, finding cluster Pods by bare name and kind workers by topology node', () => {
    assert.deepEqual(fillPlaceholders(['podnet', 'exec', 'pod-a', '--', 'ping', '{{ip:pod-c}}', 'via={{ip:node2}}', '{{podCIDR:node1}}'], cluster),
      ['podnet', 'exec', 'pod-a', '--', 'ping', '10.244.1.3', 'via=172.18.0.4', '10.244.2.0/24']);
    assert.throws(() => fillPlaceholders(['{{ip:pod-z}}'], cluster), /\{\{ip:pod-z\}\} has no value: pod-z is not in the lab right now, so this command was not run/);
  });

  it('knows both kinds, and calls anything else in braces unknown', () => {
    const { refs, problems } = scanPlaceholders(['{{ip:pod-a}}', '{{podCIDR:node2}}/x', '{{mac:pod-a}}']);
    assert.deepEqual(refs, [{ kind: 'ip', name: 'pod-a', arg: 0 }, { kind: 'podCIDR', name: 'node2', arg: 1 }]);
    assert.deepEqual(problems.map((p) => [p.message, p.arg]), [['unknown placeholder {{mac:pod-a}}', 2]]);
  });

  it('escapes a value filled into a regular expression, so its dots match only dots', () => {
    const re = fillText('inet {{ip:pod-a}}/', cluster, { regex: true });
    assert.equal(re, 'inet 10\\.244\\.2\\.7/');
    assert.equal(firstMatch(re, 'inet 10.244.2.7/24'), 'inet 10.244.2.7/');
    assert.equal(firstMatch(re, 'inet 10x244x2x7/24'), undefined);
    assert.equal(escapeRegex('a.b*c(d)[e]$^|?+{}\\'), 'a\\.b\\*c\\(d\\)\\[e\\]\\$\\^\\|\\?\\+\\{\\}\\\\');
  });

  it('fills the cidr, matches and to fields of a check, leaving the others alone', () => {
    assert.deepEqual(fillCheck({ type: 'podIpInCidr', pod: 'pod-c', cidr: '{{podCIDR:node2}}' }, cluster), { type: 'podIpInCidr', pod: 'pod-c', cidr: '10.244.1.0/24' });
    assert.deepEqual(fillCheck({ type: 'actionOutput', action: 'a1', matches: '{{podCIDR:node2}} via {{ip:node2}} dev' }, cluster),
      { type: 'actionOutput', action: 'a1', matches: '10\\.244\\.1\\.0\\/24 via 172\\.18\\.0\\.4 dev' });
    assert.deepEqual(fillCheck({ type: 'reachable', from: 'pod-a', to: '{{ip:pod-c}}' }, cluster), { type: 'reachable', from: 'pod-a', to: '10.244.1.3' });
  });

  it('lab validate accepts placeholders in check fields and reports an unknown name or kind at its field', () => {
    const ok = makePack({ 'lab.yaml': `${HEAD}${STEP("      - type: podIpInCidr\n        pod: pod-c\n        cidr: '{{podCIDR:node2}}'\n      - type: actionOutput\n        action: a1\n        matches: 'inet {{ip:pod-a}}/'\n")}`, 'steps/a.md': '# a\n' });
    assert.deepEqual(validateLabPack(ok).map((e) => e.format()), []);
    const pack = parseLabPack(ok);
    assert.deepEqual(pack.steps[0].checks[0], { type: 'podIpInCidr', pod: 'pod-c', cidr: '{{podCIDR:node2}}' });
    const bad = makePack({ 'lab.yaml': `${HEAD}${STEP("      - type: podIpInCidr\n        pod: pod-c\n        cidr: '{{podCIDR:node9}}'\n      - type: actionOutput\n        action: a1\n        matches: '{{ipv6:pod-a}}'\n")}`, 'steps/a.md': '# a\n' });
    const errors = validateLabPack(bad).map((e) => `${e.location.field}: ${e.message}`);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /steps\[0\]\.checks\[0\]\.cidr: \{\{podCIDR:node9\}\} names 'node9', which is not a node/);
    assert.match(errors.join('\n'), /steps\[0\]\.checks\[1\]\.matches: unknown placeholder \{\{ipv6:pod-a\}\}/);
  });

  it('names why a pack cannot run on kind: a Docker-style host, or an action on --wire or --docker-host', () => {
    const topology = { name: 't', network: { cidr: '192.168.1.0/24' }, clusterCIDR: '10.244.0.0/16', nodes: [], pods: [] };
    const step = (run: string[]) => [{ id: 's1', title: 'S', file: 'a.md', hints: [], checks: [], actions: [{ id: 'a1', run }] }];
    assert.equal(kindIncompatibility({ topology, steps: step(['podnet', 'exec', 'pod-a', '--', 'ip', 'addr']) }), undefined);
    assert.match(kindIncompatibility({ topology: { ...topology, dockerHost: {} } as never, steps: [] }) ?? '', /Docker-style NAT host, which is part of the embedded lab only/);
    assert.match(kindIncompatibility({ topology, steps: step(['podnet', 'exec', '--wire', '--', 'ip', 'link']) }) ?? '', /action s1\/a1 uses --wire/);
    assert.equal(kindIncompatibility({ topology, steps: step(['podnet', 'exec', 'pod-a', '--', 'echo', '--wire']) }), undefined, 'after -- it is the command\'s own argument');
  });
});
