/** Folding a big lab (src/webview/diagram/fold.ts) on recorded snapshots and traces, run in Node. */
import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../src/snapshot/types';
import type { TraceResult } from '../../src/tracer/types';
import { FOLD_MIN_PODS, FOLD_NODE_ABOVE, FOLD_TOTAL_ABOVE, foldGraph, foldableNodes, tracedNamespaces, type FoldView } from '../../src/webview/diagram/fold';
import { layoutGraph } from '../../src/webview/diagram/layout';
import { buildGraph, type DiagramElement, type DiagramGraph } from '../../src/webview/diagram/model';
import { clusterSnapshot, fixture } from './clusterSnapshot';

const view = (expanded: string[] = [], pinned: string[] = []): FoldView => ({ expanded: new Set(expanded), pinned: new Set(pinned) });
const root = (g: DiagramGraph, id: string): DiagramElement => g.roots.find((r) => r.id === id)!;
const kinds = (e: DiagramElement, kind: string) => e.children.filter((c) => c.kind === kind);

/** A graph of bare nodes holding `counts[i]` Pods each (enough for the thresholds, which only count Pods). */
function synthetic(counts: number[]): DiagramGraph {
  const roots = counts.map((n, i) => ({
    id: `ns:node/n${i}`, kind: 'node' as const, namespace: `node/n${i}`, label: [`n${i}`],
    children: Array.from({ length: n }, (_, j) => `p${i}-${j}`)
      .map((p) => ({ id: `ns:pod/${p}`, kind: 'pod' as const, namespace: `pod/${p}`, label: [p], children: [] })),
  }));
  return { roots, edges: [], namespaces: counts.length, elements: 0 };
}

describe('diagram folding', () => {
  it('leaves the article, three-nodes and kind-ptp labs whole: nothing folds, the graph is the same object', () => {
    for (const f of ['traces/article.snapshot.json', 'snapshots/three-nodes.json', 'snapshots/kind-ptp.json', 'traces/article-docker.snapshot.json']) {
      const g = buildGraph(fixture<Snapshot>(f));
      assert.deepEqual(foldableNodes(g), [], f);
      assert.equal(foldGraph(g, view()), g, `${f} is drawn unchanged`);
    }
  });

  it(`folds above ${FOLD_NODE_ABOVE} Pods on one node or ${FOLD_TOTAL_ABOVE} in all, never a node under ${FOLD_MIN_PODS} Pods`, () => {
    assert.deepEqual(foldableNodes(synthetic([FOLD_NODE_ABOVE, 2])), []);
    assert.deepEqual(foldableNodes(synthetic([FOLD_NODE_ABOVE + 1, FOLD_MIN_PODS - 1, FOLD_MIN_PODS])), ['ns:node/n0', 'ns:node/n2']);
    assert.deepEqual(foldableNodes(synthetic([10, 10, 10, 10])), [], `${FOLD_TOTAL_ABOVE} in all still drawn whole`);
    assert.deepEqual(foldableNodes(synthetic([10, 10, 10, 11])).length, 4);
  });

  it('folds a Docker-style host with many containers the same way, counting containers', () => {
    const g = synthetic([FOLD_NODE_ABOVE + 1]);
    const host = g.roots[0];
    Object.assign(host, { kind: 'host', id: 'ns:host/h', namespace: 'host/h' });
    for (const c of host.children) c.kind = 'docker-container';
    host.children.push({ id: 'if:host/h:docker0', kind: 'bridge', namespace: 'host/h', label: ['docker0 (bridge)'], ifname: 'docker0', children: [] });
    const f = root(foldGraph(g, view()), 'ns:host/h');
    assert.deepEqual(f.fold, { pods: 13, shown: 0, expanded: false, noun: 'container' });
    assert.deepEqual(kinds(f, 'fold')[0].label, ['13 containers', 'via docker0']);
  });

  it('3 x 50 Pods: each node becomes its bridge and eth0 with one count box of 50 Pods joined to the bridge', () => {
    const g = foldGraph(buildGraph(fixture<Snapshot>('traces/three-by-fifty.snapshot.json')), view());
    for (const n of ['node1', 'node2', 'node3']) {
      const node = root(g, `ns:node/${n}`);
      assert.deepEqual(node.fold, { pods: 50, shown: 0, expanded: false, noun: 'Pod' });
      assert.deepEqual(node.children.map((c) => c.kind), ['fold', 'bridge', 'eth0'], `${n}: no Pod and no veth left`);
      assert.deepEqual(kinds(node, 'fold')[0].label, ['50 Pods', '50 veths on cbr0']);
      const edge = g.edges.find((e) => e.source === `fold:node/${n}`);
      assert.deepEqual([edge?.kind, edge?.target], ['folded', `if:node/${n}:cbr0`]);
    }
    assert.ok(g.edges.every((e) => !e.source.startsWith('if:pod/') && !e.target.startsWith('if:pod/')), 'no edge to a hidden Pod');
    assert.ok(g.elements < 30, `${g.elements} elements drawn instead of 615`);
  });

  it('an expanded node shows all its Pods and veths; a pinned Pod shows alone with its veth, the rest counted', () => {
    const whole = buildGraph(fixture<Snapshot>('traces/three-by-fifty.snapshot.json'));
    const g = foldGraph(whole, view(['ns:node/node2'], ['pod/pod-1-07']));
    const node2 = root(g, 'ns:node/node2');
    assert.deepEqual(node2.children, root(whole, 'ns:node/node2').children, 'expanded: every child as drawn without folding');
    assert.deepEqual(node2.fold, { pods: 50, shown: 50, expanded: true, noun: 'Pod' });
    assert.equal(kinds(node2, 'pod').length, 50);
    assert.equal(kinds(node2, 'veth').length, 50);
    const node1 = root(g, 'ns:node/node1');
    assert.deepEqual(kinds(node1, 'pod').map((p) => p.label[0]), ['pod-1-07']);
    assert.equal(kinds(node1, 'veth').length, 1);
    const veth = `if:node/node1:${kinds(node1, 'veth')[0].ifname}`;
    assert.ok(g.edges.some((e) => e.kind === 'veth-pair' && e.source === 'if:pod/pod-1-07:eth0' && e.target === veth), 'its veth pair is drawn');
    assert.deepEqual(kinds(node1, 'fold')[0].label, ['49 more Pods', '49 veths on cbr0']);
    assert.deepEqual(node1.fold, { pods: 50, shown: 1, expanded: false, noun: 'Pod' });
    assert.equal(kinds(root(g, 'ns:node/node3'), 'pod').length, 0);
  });

  it('a trace pins the namespaces it passes: both ends of its veth pairs, the nodes and the wire', () => {
    const t = fixture<TraceResult>('traces/three-by-fifty-pod-1-01-pod-3-50.json');
    assert.deepEqual([...tracedNamespaces(t.hops)].sort(), ['node/node1', 'node/node3', 'pod/pod-1-01', 'pod/pod-3-50', 'wire']);
  });

  it('a cluster snapshot (NAMESPACE/NAME Pods, no wire, a ptp node) folds, its ptp node to eth0, and lays out', async () => {
    const whole = buildGraph(clusterSnapshot());
    assert.deepEqual(whole.roots.map((r) => r.id), ['ns:node/node1', 'ns:node/node2', 'ns:node/node3']);
    const g = foldGraph(whole, view([], ['pod/default/pod-3-02']));
    const node3 = root(g, 'ns:node/node3');
    assert.deepEqual(node3.children.map((c) => c.kind), ['pod', 'veth', 'fold', 'eth0']);
    assert.deepEqual(kinds(node3, 'fold')[0].label, ['49 more Pods', '49 ptp veths to eth0']);
    assert.deepEqual(kinds(node3, 'pod')[0].label[0], 'default/pod-3-02');
    assert.ok(g.edges.some((e) => e.kind === 'folded' && e.source === 'fold:node/node3' && e.target === 'if:node/node3:eth0'));
    const l = await layoutGraph(g);
    assert.deepEqual(l.boxes.map((b) => b.id), ['ns:node/node1', 'ns:node/node2', 'ns:node/node3']);
    const [a, b, c] = l.boxes;
    assert.ok(a.x + a.width < b.x && b.x + b.width < c.x && a.y === b.y && b.y === c.y, 'no wire joins them, yet they stand in a row, in order');
    assert.ok(l.edges.every((e) => e.points.length >= 2), 'every edge is routed');
  });
});
