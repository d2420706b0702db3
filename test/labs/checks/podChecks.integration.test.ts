/** The Pod checks on a real embedded lab: each passes when the fact holds and fails, with the learner's sentence, when it does not. */
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { parseTopology } from '../../../src/model/topologySpec';
import { EmbeddedLab } from '../../../src/providers/embedded/embeddedLab';
import { startLab, stopLab } from '../../../src/providers/embedded/launcher';
import { evaluateCheck } from '../../../src/labs/checks';
import { runAction } from '../../../src/labs/runner';
import { createRunState, recordActionOutput, type LabRunState } from '../../../src/labs/state';
import type { LabCheck } from '../../../src/labs/types';
import { sleep } from '../../../src/util/concurrency';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const LAB = 'ilab-podchecks';
const TOPOLOGY = `nodes: [{name: node1}, {name: node2}]
pods:
  - {name: pod-a, node: node1, containers: [{name: web}, {name: sidecar, workload: sidecar}]}
  - {name: pod-c, node: node2}
`;

describe('lab pack checks on a live lab: Pods', function () {
  this.timeout(120_000);
  let lab: EmbeddedLab;
  let state: LabRunState;
  const check = (c: LabCheck) => evaluateCheck(c, { lab, state });
  const ipOf = async (pod: string) => (await lab.status()).pods.find((p) => p.name === pod)!.ip;

  before(async () => {
    await stopLab(LAB).catch(() => undefined);
    const status = await startLab({ lab: LAB, topology: parseTopology(TOPOLOGY), entry: CLI });
    state = createRunState(status);
    lab = await EmbeddedLab.connect(LAB);
  });
  after(async () => {
    lab?.close();
    await stopLab(LAB).catch(() => undefined);
  });

  it('podIpInCidr: inside its node\'s Pod CIDR passes; another range fails, naming both', async () => {
    const ip = await ipOf('pod-a');
    assert.deepEqual(await check({ type: 'podIpInCidr', pod: 'pod-a' }), { passed: true, message: `pod-a has ${ip}, inside node1's Pod CIDR 10.244.1.0/24.` });
    assert.deepEqual(await check({ type: 'podIpInCidr', pod: 'pod-a', cidr: '10.244.2.0/24' }), { passed: false, message: `pod-a has ${ip}, which is outside 10.244.2.0/24.` });
  });

  it('uniquePodIps: passes, then fails when pod-c\'s eth0 also gets pod-a\'s address', async () => {
    const ip = await ipOf('pod-a');
    assert.equal((await check({ type: 'uniquePodIps' })).passed, true);
    const add = await lab.exec({ kind: 'pod', pod: 'pod-c' }, ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
    assert.equal(add.code, 0, add.stderr);
    try {
      const res = await check({ type: 'uniquePodIps' });
      assert.equal(res.passed, false);
      assert.equal(res.message, `pod-a and pod-c both have ${ip}: a packet to ${ip} cannot tell which Pod it is for, so every Pod needs its own address.`);
    } finally {
      await lab.exec({ kind: 'pod', pod: 'pod-c' }, ['ip', 'addr', 'del', `${ip}/32`, 'dev', 'eth0']);
    }
  });

  it('sharedNetns: web and sidecar share one namespace; a container that exited shares none', async () => {
    const ok = await check({ type: 'sharedNetns', pod: 'pod-a', containers: ['web', 'sidecar'] });
    assert.equal(ok.passed, true, ok.message);
    assert.match(ok.message, /^web \(PID \d+\) and sidecar \(PID \d+\) of pod-a are in the same network namespace, net:\[\d+\]: they share one IP and one localhost\.$/);
    const duo = await lab.addPod({ name: 'duo', node: 'node1', containers: [{ name: 'web' }, { name: 'helper', workload: 'sleep' }] });
    try {
      const kill = await lab.exec({ kind: 'wire' }, ['kill', '-9', String(duo.containers[1].pid)]);
      assert.equal(kill.code, 0, kill.stderr);
      for (let i = 0; i < 100 && (await lab.status()).pods.find((p) => p.name === 'duo')!.containers[1].state === 'running'; i++) await sleep(20);
      const res = await check({ type: 'sharedNetns', pod: 'duo', containers: ['web', 'helper'] });
      assert.deepEqual(res, { passed: false, message: 'The helper container of duo is not running (it exited), so it is in no network namespace; delete the Pod and create it again, then check again.' });
    } finally {
      await lab.deletePod('duo');
    }
  });

  it('podExists: an existing Pod passes; a Pod the learner has not created, or on the wrong node, fails with what to do', async () => {
    assert.deepEqual(await check({ type: 'podExists', pod: 'pod-a', node: 'node1' }), { passed: true, message: `pod-a exists on node1 with IP ${await ipOf('pod-a')} and is Running.` });
    assert.deepEqual(await check({ type: 'podExists', pod: 'web-2', node: 'node2' }), { passed: false, message: 'There is no Pod named web-2 yet: create it with `podnet pod create web-2 --node node2`, then check again.' });
    assert.deepEqual(await check({ type: 'podExists', pod: 'pod-a', node: 'node2' }), { passed: false, message: 'pod-a exists but runs on node1, not node2: delete it and create it on node2.' });
  });

  it('ipChangedAfterRecreate: fails while pod-c keeps its IP or is gone, passes once it is created again', async () => {
    const first = state.initialPods.get('pod-c')!.ip;
    assert.deepEqual(await check({ type: 'ipChangedAfterRecreate', pod: 'pod-c' }), { passed: false, message: `pod-c still has ${first} — delete the Pod and create it again, then check again.` });
    await lab.deletePod('pod-c');
    assert.deepEqual(await check({ type: 'ipChangedAfterRecreate', pod: 'pod-c' }), { passed: false, message: 'pod-c does not exist right now: create it again with `podnet pod create pod-c --node node2`, then check again.' });
    const again = await lab.addPod({ name: 'pod-c', node: 'node2' });
    assert.notEqual(again.ip, first);
    assert.deepEqual(await check({ type: 'ipChangedAfterRecreate', pod: 'pod-c' }), { passed: true, message: `pod-c now has ${again.ip} instead of ${first}: its IP changed.` });
  });

  it('actionOutput: reads what the action printed through the real CLI; no match, not run, and a runaway regex all fail clearly', async () => {
    const argv = ['podnet', 'exec', '--lab', LAB, 'pod-a', '--', 'ip', '-4', 'addr', 'show', 'eth0'];
    const out = await runAction(argv, { cliEntry: CLI, cwd: process.cwd(), timeoutMs: 30_000 });
    assert.equal(out.code, 0, out.stderr);
    recordActionOutput(state, 'addr', { argv, title: "pod-a's eth0", code: out.code, stdout: out.stdout, stderr: out.stderr, timedOut: out.timedOut });
    const ip = await ipOf('pod-a');
    assert.deepEqual(await check({ type: 'actionOutput', action: 'addr', matches: 'inet 10\\.244\\.1\\.\\d+/24' }), { passed: true, message: `The output of "pod-a's eth0" shows "inet ${ip}/24".` });
    assert.deepEqual(await check({ type: 'actionOutput', action: 'addr', matches: 'inet 192\\.168\\.' }), { passed: false, message: 'The output of "pod-a\'s eth0" has nothing matching /inet 192\\.168\\./; look at it again, or run it again.' });
    assert.deepEqual(await check({ type: 'actionOutput', action: 'later', matches: 'x' }), { passed: false, message: "The action 'later' has not run yet: run it first, then check again." });
    recordActionOutput(state, 'aaa', { argv, code: 0, stdout: `${'a'.repeat(40)}b`, stderr: '', timedOut: false });
    const slow = await check({ type: 'actionOutput', action: 'aaa', matches: '^(a+)+$' });
    assert.equal(slow.passed, false);
    assert.match(slow.message, /took longer than 1000 ms, so it was stopped/);
  });
});
