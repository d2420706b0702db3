import { strict as assert } from 'node:assert';
import { kindClusterOf, kindContext } from '../../../src/providers/kind/kindContext';

describe('kind contexts', () => {
  it('names a cluster kind-NAME and reads the name back; any other context belongs to no kind cluster', () => {
    assert.equal(kindContext('podnet'), 'kind-podnet');
    assert.equal(kindClusterOf(kindContext('lab-2')), 'lab-2');
    assert.equal(kindClusterOf('minikube'), undefined);
  });
});
