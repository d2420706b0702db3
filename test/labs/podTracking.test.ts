/** lab validate follows Pods through the steps: a Pod an earlier action deleted cannot be named until it is created again. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { validateLabPack } from '../../src/labs/parse';
import { HEAD, makePack, posOf } from './helpers';

/** Steps given as YAML list items (indented under `steps:`), each with the same page. */
function pack(steps: string): { yaml: string; dir: string } {
  const yaml = `${HEAD}steps:\n${steps}`;
  return { yaml, dir: makePack({ 'lab.yaml': yaml, 'steps/a.md': '# a\n' }) };
}

const formatted = (dir: string) => validateLabPack(dir).map((e) => e.format());

describe('lab validate tracks Pods through the steps', () => {
  it('refuses an exec in step 2 into a Pod that step 1 deleted, saying which action deleted it', () => {
    const { yaml, dir } = pack(`  - id: s1
    title: Delete
    file: steps/a.md
    actions:
      - id: del
        run: [podnet, pod, delete, pod-c]
  - id: s2
    title: Use
    file: steps/a.md
    actions:
      - id: use
        run: [podnet, exec, pod-c, --, ip, addr]
`);
    const { line, column } = posOf(yaml, 'pod-c, --');
    assert.deepEqual(formatted(dir), [
      `${join(dir, 'lab.yaml')}:${line}:${column}: steps[1].actions[0].run[2]: Pod 'pod-c' no longer exists at this step: action steps[0].actions[0] (del) deletes it (create it again first (podnet pod create pod-c --node NODE), or name a Pod that exists: pod-a)`,
    ]);
  });

  it('refuses checks and trace endpoints naming a deleted Pod, also later in the same step', () => {
    const { dir } = pack(`  - id: s1
    title: Delete
    file: steps/a.md
    actions:
      - id: del
        run: [podnet, pod, delete, pod-c]
      - id: tr
        run: [podnet, trace, pod-a, pod-c]
    checks:
      - type: podIpInCidr
        pod: pod-c
`);
    const errors = formatted(dir);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0], /steps\[0\]\.actions\[1\]\.run\[3\]: Pod 'pod-c' no longer exists at this step/);
    assert.match(errors[1], /steps\[0\]\.checks\[0\]\.pod: Pod 'pod-c' no longer exists at this step/);
  });

  it('accepts a Pod deleted and created again before it is used (the re-created Pod counts as from the topology)', () => {
    const { dir } = pack(`  - id: s1
    title: Recreate
    file: steps/a.md
    actions:
      - id: del
        run: [podnet, pod, delete, pod-c]
      - id: make
        run: [podnet, pod, create, pod-c, --node, node2]
      - id: use
        run: [podnet, exec, pod-c, --, ip, addr]
    checks:
      - type: ipChangedAfterRecreate
        pod: pod-c
`);
    assert.deepEqual(formatted(dir), []);
  });

  it('refuses creating a Pod that exists at that step (it would fail at run time)', () => {
    const { dir } = pack(`  - id: s1
    title: Twice
    file: steps/a.md
    actions:
      - id: make
        run: [podnet, pod, create, pod-a, --node, node1]
`);
    const errors = formatted(dir);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /steps\[0\]\.actions\[0\]\.run\[3\]: Pod 'pod-a' already exists at this step, so creating it fails/);
  });
});
