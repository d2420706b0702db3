/** Finding Pods, nodes and addresses in the diagram graph (src/webview/diagram/find.ts), run in Node. */
import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../src/snapshot/types';
import { findMatches } from '../../src/webview/diagram/find';
import { buildGraph } from '../../src/webview/diagram/model';
import { clusterSnapshot, fixture } from './clusterSnapshot';

describe('diagram find', () => {
  const big = buildGraph(fixture<Snapshot>('traces/three-by-fifty.snapshot.json'));

  it('finds a Pod by name with the node that holds it', () => {
    assert.deepEqual(findMatches(big, 'pod-2-25').map((m) => [m.id, m.holder]), [['ns:pod/pod-2-25', 'ns:node/node2']]);
  });

  it('puts the exact address first: 10.244.1.2 before 10.244.1.20 to .29', () => {
    const owner = fixture<Snapshot>('traces/three-by-fifty.snapshot.json').cluster.pods.find((p) => p.ip === '10.244.1.2')!;
    const ms = findMatches(big, ' 10.244.1.2 ');
    assert.equal(ms[0].id, `ns:pod/${owner.name}`);
    assert.equal(ms.length, 11, 'then the ten addresses starting with it');
    assert.ok(ms.slice(1).every((m) => /10\.244\.1\.2\d\b/.test(m.text)), ms.map((m) => m.text).join('; '));
  });

  it('finds a node (no holder), ignores case, and finds nothing for an empty or unknown query', () => {
    assert.deepEqual(findMatches(big, 'NODE3').map((m) => [m.id, m.holder]), [['ns:node/node3', undefined]]);
    assert.deepEqual(findMatches(big, '   '), []);
    assert.deepEqual(findMatches(big, 'no-such-pod'), []);
  });

  it('finds a cluster Pod named NAMESPACE/NAME by its full name and by its name alone', () => {
    const g = buildGraph(clusterSnapshot());
    for (const q of ['default/pod-3-02', 'pod-3-02']) {
      assert.deepEqual(findMatches(g, q).map((m) => [m.id, m.holder]), [['ns:pod/default/pod-3-02', 'ns:node/node3']], q);
    }
  });
});
