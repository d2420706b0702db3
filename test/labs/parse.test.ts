/** lab.yaml validation: every bad input gives an error with file:line:column and the field path, and nothing else is needed to find it. */
import { strict as assert } from 'node:assert';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabPackInvalidError, type LabPackError } from '../../src/labs/errors';
import { parseLabPack, validateLabPack } from '../../src/labs/parse';
import { FIXTURES, HEAD, makePack, posOf, REPO, tempDir } from './helpers';

const STEP = `steps:
  - id: s1
    title: One
    file: steps/a.md
`;

function errorsOf(yaml: string, files: Record<string, string> = {}): { dir: string; errors: LabPackError[] } {
  const dir = makePack({ 'lab.yaml': yaml, ...files });
  return { dir, errors: validateLabPack(dir) };
}

/** Asserts exactly one error, at `needle` (+skip) in `yaml`, on `field`, with a message matching `message`. */
function expectOne(yaml: string, needle: string, field: string, message: RegExp, opts: { skip?: number; files?: Record<string, string> } = {}): LabPackError {
  const { dir, errors } = errorsOf(yaml, opts.files);
  assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
  const [e] = errors;
  const { line, column } = posOf(yaml, needle, opts.skip);
  assert.equal(e.location.file, join(dir, 'lab.yaml'));
  assert.deepEqual([e.location.line, e.location.column, e.location.field], [line, column, field], e.format());
  assert.match(e.message, message);
  assert.match(e.format(), new RegExp(`^${join(dir, 'lab.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:${column}: ${field.replace(/[[\].]/g, '\\$&')}: `));
  return e;
}

const withChecks = (checks: string, actions = '') => `${HEAD}${STEP}${actions ? `    actions:\n${actions}` : ''}    checks:\n${checks}`;

describe('lab.yaml validation', () => {
  it('reads the mini fixture: steps, actions from a list and from a string, checks with their fields', () => {
    const pack = parseLabPack(join(FIXTURES, 'mini'));
    assert.equal(pack.id, 'mini');
    assert.equal(pack.minutes, 3);
    assert.deepEqual(pack.steps.map((s) => s.id), ['look', 'recreate']);
    assert.deepEqual(pack.steps[0].actions[1].run, ['podnet', 'exec', 'pod-a', '--', 'ip', '-4', 'addr', 'show', 'eth0']);
    assert.equal(pack.steps[0].actions[1].usesShell, undefined);
    assert.deepEqual(pack.steps[1].checks[1], { type: 'podExists', pod: 'pod-c', node: 'node2' });
    assert.deepEqual(pack.topology.pods.map((p) => p.name), ['pod-a', 'pod-c']);
    assert.equal(pack.file, join(FIXTURES, 'mini', 'lab.yaml'));
  });

  it('accepts every built-in pack in labs/', () => {
    for (const d of readdirSync(join(REPO, 'labs'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      assert.deepEqual(validateLabPack(join(REPO, 'labs', d.name)).map((e) => e.format()), [], d.name);
    }
  });

  it('malformed YAML: a syntax error with its line and column, and nothing else', () => {
    const yaml = `${HEAD}steps:\n  - id: s1\n    title: One: two\n    file: steps/a.md\n`;
    const { errors } = errorsOf(yaml);
    assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
    assert.match(errors[0].message, /^YAML syntax error: Nested mappings are not allowed/);
    assert.deepEqual([errors[0].location.line, errors[0].location.column], [21, 12]);
    assert.deepEqual(posOf(yaml, 'One: two'), { line: 21, column: 12 });
  });

  it('an unknown check type names the known ones', () => {
    const yaml = withChecks('      - type: podHasIp\n        pod: pod-a\n');
    const e = expectOne(yaml, 'podHasIp', 'steps[0].checks[0].type', /unknown check type 'podHasIp'/);
    assert.match(e.hint!, /podIpInCidr, uniquePodIps, sharedNetns, trace, receiverSawSender, ipChangedAfterRecreate, actionOutput, podExists, reachable/);
  });

  it('a check on a Pod the topology does not have', () => {
    const yaml = withChecks('      - type: podIpInCidr\n        pod: pod-x\n');
    const e = expectOne(yaml, 'pod-x', 'steps[0].checks[0].pod', /Pod 'pod-x' is not in this lab/);
    assert.match(e.hint!, /pod-a, pod-c/);
  });

  it('podExists may name a Pod the learner must create, but its node must exist', () => {
    const ok = withChecks('      - type: podExists\n        pod: web-2\n        node: node2\n      - type: podIpInCidr\n        pod: web-2\n');
    assert.deepEqual(errorsOf(ok).errors.map((e) => e.format()), []);
    const yaml = withChecks('      - type: podExists\n        pod: web-2\n        node: node3\n');
    expectOne(yaml, 'node3', 'steps[0].checks[0].node', /node 'node3' is not in the topology/);
  });

  it('a container the Pod does not have', () => {
    const yaml = withChecks('      - type: sharedNetns\n        pod: pod-a\n        containers: [web, helper]\n');
    expectOne(yaml, 'helper', 'steps[0].checks[0].containers[1]', /Pod pod-a has no container 'helper'/);
  });

  it('an action on a missing Pod points at the word, in the list form and the string form', () => {
    const list = withChecks('      - type: uniquePodIps\n', '      - id: a1\n        run: [podnet, exec, pod-x, --, ip, addr]\n');
    expectOne(list, 'pod-x', 'steps[0].actions[0].run[2]', /Pod 'pod-x' is not in this lab/);
    const text = withChecks('      - type: uniquePodIps\n', '      - id: a1\n        run: podnet exec --node node9 -- ip route\n');
    expectOne(text, 'podnet exec --node', 'steps[0].actions[0].run', /node 'node9' is not in the topology/);
  });

  it('a missing step file', () => {
    const yaml = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/missing.md\n`;
    expectOne(yaml, 'steps/missing.md', 'steps[0].file', /"steps\/missing.md" does not exist in the pack/);
  });

  it('step files that would leave the pack: "..", an absolute path, a symlink leading out', () => {
    const up = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: ../outside.md\n`;
    expectOne(up, '../outside.md', 'steps[0].file', /uses "\.\."/);
    const abs = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: /etc/passwd\n`;
    expectOne(abs, '/etc/passwd', 'steps[0].file', /absolute path/);
    const link = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/link.md\n`;
    const dir = makePack({ 'lab.yaml': link });
    const outside = join(tempDir('podnet-outside-'), 'outside.md');
    writeFileSync(outside, '# outside\n');
    symlinkSync(outside, join(dir, 'steps/link.md'));
    const errors = validateLabPack(dir);
    assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
    assert.deepEqual([errors[0].location.line, errors[0].location.column, errors[0].location.field], [posOf(link, 'steps/link.md').line, posOf(link, 'steps/link.md').column, 'steps[0].file']);
    assert.match(errors[0].message, /symbolic link that leads outside the pack/);
  });

  it('overlapping Pod CIDRs inside topology point at the line in lab.yaml', () => {
    const yaml = `id: t\ntitle: T\nversion: '1'\nauthor: a\nminutes: 1\ntopology:\n  nodes:\n    - name: node1\n      podCIDR: 10.244.1.0/24\n    - name: node2\n      podCIDR: 10.244.1.128/25\n${STEP}`;
    expectOne(yaml, '10.244.1.128/25', 'topology.nodes[1].podCIDR', /overlaps podCIDR 10\.244\.1\.0\/24 of node node1/);
  });

  it('a duplicate step id, and a duplicate action id across steps', () => {
    const steps = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n  - id: s1\n    title: Two\n    file: steps/a.md\n`;
    const e = expectOne(steps, '- id: s1\n    title: Two', 'steps[1].id', /duplicate step id 's1' \(already used by steps\[0\]\.id on line 20\)/, { skip: 6 });
    assert.equal(posOf(steps, 'id: s1').line, 20);
    assert.match(e.hint!, /its own id/);
    const actions = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    actions:\n      - {id: look, run: podnet get pods}\n  - id: s2\n    title: Two\n    file: steps/a.md\n    actions:\n      - {id: look, run: podnet get nodes}\n`;
    expectOne(actions, 'look, run: podnet get nodes', 'steps[1].actions[0].id', /duplicate action id 'look'/);
  });

  it('unknown keys and missing required fields', () => {
    const yaml = `${HEAD}${STEP}    colour: blue\n`;
    expectOne(yaml, 'colour', 'steps[0].colour', /unknown key 'colour' in steps\[0\]/);
    const noAuthor = HEAD.replace("author: tests\n", '') + STEP;
    expectOne(noAuthor, 'id: t', 'author', /has no author/);
  });

  it('a regex that does not compile, and an action of a later step', () => {
    expectOne(withChecks("      - type: actionOutput\n        action: a1\n        matches: 'inet (10'\n", '      - {id: a1, run: podnet get pods}\n'), "'inet (10'", 'steps[0].checks[0].matches', /does not compile/);
    const later = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    checks:\n      - {type: actionOutput, action: late, matches: x}\n  - id: s2\n    title: Two\n    file: steps/a.md\n    actions:\n      - {id: late, run: podnet get pods}\n`;
    expectOne(later, 'late, matches', 'steps[0].checks[0].action', /runs in a later step \(steps\[1\]\)/);
  });

  it('trace expectations: an empty expect, an unknown disposition, a port with icmp', () => {
    expectOne(withChecks('      - type: trace\n        from: pod-a\n        to: pod-c\n        expect: {}\n'), 'expect: {}', 'steps[0].checks[0].expect', /is empty, so the check could never fail/);
    expectOne(withChecks('      - type: trace\n        from: pod-a\n        to: pod-c\n        expect: {disposition: ARRIVED}\n'), 'ARRIVED', 'steps[0].checks[0].expect.disposition', /'ARRIVED' is not one of the allowed values/);
    expectOne(withChecks('      - type: trace\n        from: pod-a\n        to: pod-c\n        proto: icmp\n        port: 80\n        expect: {disposition: DELIVERED}\n'), '80', 'steps[0].checks[0].port', /a port makes no sense with proto: icmp/);
    expectOne(withChecks('      - type: trace\n        from: pod-a\n        to: pod-z\n        expect: {nat: none}\n'), 'pod-z', 'steps[0].checks[0].to', /'pod-z' is not a Pod, node, Docker-style host, outside client or router, nor a Service or an IP address/);
  });

  it('reports every problem at once, in file order, and parseLabPack throws them all', () => {
    const yaml = `${HEAD.replace('minutes: 1', 'minutes: lots')}${STEP}    checks:\n      - type: nope\n      - type: podExists\n        pod: web-2\n        node: node7\n`;
    const { dir, errors } = errorsOf(yaml);
    assert.deepEqual(errors.map((e) => e.location.field), ['minutes', 'steps[0].checks[0].type', 'steps[0].checks[1].node']);
    assert.throws(() => parseLabPack(dir), (e: unknown) => e instanceof LabPackInvalidError && e.errors.length === 3 && /3 problems/.test(e.message));
  });

  it('an empty lab.yaml, and a folder without one', () => {
    assert.match(errorsOf('').errors[0].format(), /lab\.yaml:1:1: lab\.yaml is empty/);
    const dir = makePack({});
    assert.match(validateLabPack(dir)[0].format(), /lab\.yaml: no usable lab\.yaml: "lab\.yaml" does not exist in the pack/);
  });
});
