import { strict as assert } from 'node:assert';
import { selectPods } from '../../src/model/serviceSelect';

const PODS: { name: string; labels?: Record<string, string> }[] = [
  { name: 'pod-c', labels: { app: 'web', tier: 'front' } },
  { name: 'pod-b' },
  { name: 'pod-a', labels: { app: 'web' } },
  { name: 'pod-d', labels: { app: 'db', tier: 'front' } },
  { name: 'pod-e', labels: { app: '' } },
];

describe('selectPods', () => {
  it('selects the Pods carrying every selector label, in input order', () => {
    assert.deepEqual(selectPods({ labels: { app: 'web' } }, PODS), ['pod-c', 'pod-a']);
    assert.deepEqual(selectPods({ labels: { app: 'web', tier: 'front' } }, PODS), ['pod-c']);
    assert.deepEqual(selectPods({ labels: { tier: 'front' } }, PODS), ['pod-c', 'pod-d']);
  });

  it('matches an empty label value only against a label that is present and empty', () => {
    assert.deepEqual(selectPods({ labels: { app: '' } }, PODS), ['pod-e']);
  });

  it('selects nothing when no Pod matches, and for an empty label selector', () => {
    assert.deepEqual(selectPods({ labels: { app: 'cache' } }, PODS), []);
    assert.deepEqual(selectPods({ labels: {} }, PODS), []);
    assert.deepEqual(selectPods({ labels: { toString: 'x' } }, PODS), [], 'inherited object keys are not labels');
  });

  it('selects listed Pods by name in input order, ignoring names that are gone', () => {
    assert.deepEqual(selectPods({ pods: ['pod-a', 'pod-b', 'pod-x'] }, PODS), ['pod-b', 'pod-a']);
  });
});
