/** A run on kind shown in the lab panel: run events become the panel's check marks, progress lines and one result sentence. */
import { strict as assert } from 'node:assert';
import type { LabRunResult, RunEvent, StepResult } from '../../../src/labs/runner';
import type { LabStep } from '../../../src/labs/types';
import { kindRunMessages, kindRunProgress, kindRunSentence } from '../../../src/vscode/labs/kindRunEvents';

const step = { id: 'own-ip', title: 'Every Pod has its own IP', file: 'step.md', actions: [], checks: [], hints: [] } as unknown as LabStep;
const stepResult = (passed: boolean): StepResult => ({
  id: 'own-ip', title: 'Every Pod has its own IP', passed, hints: [],
  actions: [{ id: 'get', argv: ['podnet', 'get', 'pods'], usesShell: false, code: 0, stdout: '', stderr: '', timedOut: false, ms: 5 }],
  checks: [{ type: 'uniquePodIps', title: 'unique IPs', passed: true, message: '3 Pods, 3 IPs' }, { type: 'podIpInCidr', title: 'in the CIDR', passed, message: passed ? 'inside' : 'pod-c 10.9.0.2 is outside 10.244.0.0/16' }],
});
const result = (passed: boolean, error?: string): LabRunResult => ({
  pack: { id: 'own-ip', title: 'Own IP', version: '1', dir: '/x' }, lab: 'kind-podnet', passed, steps: [stepResult(passed)], kept: false, durationMs: 1, ...(error ? { error } : {}),
});

describe('lab panel: a run on kind', () => {
  it("marks a step as being checked when it starts, shows each action's exit code, then the step's check results by index", () => {
    assert.deepEqual(kindRunMessages({ kind: 'step', index: 0, total: 2, step }), [{ type: 'checking', step: 'own-ip' }]);
    const action: RunEvent = { kind: 'action', step: 'own-ip', result: { ...stepResult(true).actions[0], code: 3 } };
    assert.deepEqual(kindRunMessages(action), [{ type: 'actionDone', step: 'own-ip', action: 'get', code: 3 }]);
    assert.deepEqual(kindRunMessages({ kind: 'step-done', result: stepResult(false) }), [{
      type: 'checks', step: 'own-ip', stepPassed: false,
      results: [{ index: 0, passed: true, message: '3 Pods, 3 IPs' }, { index: 1, passed: false, message: 'pod-c 10.9.0.2 is outside 10.244.0.0/16' }],
    }]);
    assert.deepEqual(kindRunMessages({ kind: 'teardown', lab: 'kind-podnet', kept: false }), []);
  });

  it('says in the progress notification which step runs and which command', () => {
    assert.equal(kindRunProgress({ kind: 'step', index: 1, total: 3, step }, 'podnet'), 'step 2 of 3: Every Pod has its own IP');
    assert.equal(kindRunProgress({ kind: 'action-start', step: 'own-ip', id: 'get', argv: ['podnet', 'get', 'pods', '--context', 'kind-podnet'], usesShell: false }, 'podnet'), 'own-ip: podnet get pods --context kind-podnet');
    assert.equal(kindRunProgress({ kind: 'lab-up', lab: 'kind-podnet', nodes: 3, pods: 3, rootless: false, cluster: 'podnet' }, 'podnet'), 'kind-podnet: 3 nodes, 3 Pods ready');
  });

  it('ends with one sentence: passed, or which checks failed and why the run stopped', () => {
    assert.equal(kindRunSentence(result(true), 'podnet'), '"Own IP" passed on the kind cluster "podnet": 1 of 1 steps, every check passed.');
    assert.equal(kindRunSentence(result(false), 'podnet'), '"Own IP" did not pass on the kind cluster "podnet": 0 of 1 steps passed; failed: Every Pod has its own IP (pod-c 10.9.0.2 is outside 10.244.0.0/16).');
    const stopped = kindRunSentence({ ...result(false, 'the kind cluster "x" (context kind-x) could not be reached: no such context'), steps: [] }, 'x');
    assert.equal(stopped, '"Own IP" did not pass on the kind cluster "x": 0 of 0 steps passed. The kind cluster "x" (context kind-x) could not be reached: no such context.');
  });
});
