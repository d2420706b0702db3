/** The layout strategy (elk, and wrapped rows for big nodes) on recorded snapshots, run in Node. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/snapshot/types';
import { layoutGraph, type Box, type DiagramLayout } from '../../src/webview/diagram/layout';
import { foldGraph } from '../../src/webview/diagram/fold';
import { buildGraph } from '../../src/webview/diagram/model';
import { scaledCluster } from './clusterSnapshot';

const fixture = (path: string): Snapshot => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as Snapshot;

function all(l: DiagramLayout): Map<string, Box> {
  const out = new Map<string, Box>();
  const walk = (b: Box) => {
    out.set(b.id, b);
    b.children.forEach(walk);
  };
  l.boxes.forEach(walk);
  return out;
}

const within = (o: Box, i: Box) => i.x >= o.x && i.y >= o.y && i.x + i.width <= o.x + o.width && i.y + i.height <= o.y + o.height;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function checkNesting(l: DiagramLayout): void {
  const boxes = all(l);
  for (const b of boxes.values()) {
    // A Pod's eth0 straddles its bottom border on purpose (the end of the veth pair).
    const kids = b.children.filter((c) => c.kind !== 'eth0' || (b.kind !== 'pod' && b.kind !== 'docker-container'));
    for (const c of kids) assert.ok(within(b, c), `${c.id} inside ${b.id}`);
    for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) assert.ok(!overlap(kids[i], kids[j]), `${kids[i].id} and ${kids[j].id} overlap`);
  }
}

describe('diagram layout', () => {
  it('article: nodes side by side, Pods on top in name order, eth0 at the bottom, the wire below', async () => {
    const l = await layoutGraph(buildGraph(fixture('traces/article.snapshot.json')));
    const b = all(l);
    checkNesting(l);
    const [n1, n2, wire] = ['ns:node/node1', 'ns:node/node2', 'ns:wire'].map((id) => b.get(id)!);
    assert.ok(n1.x + n1.width <= n2.x, 'node2 right of node1');
    assert.ok(wire.y >= n1.y + n1.height, 'the wire below the nodes');
    assert.ok(b.get('ns:pod/pod-a')!.x < b.get('ns:pod/pod-b')!.x, 'pod-a left of pod-b');
    assert.ok(b.get('ns:pod/pod-a')!.y < b.get('if:node/node1:cbr0')!.y && b.get('if:node/node1:cbr0')!.y < b.get('if:node/node1:eth0')!.y);
    const wireEdge = l.edges.find((e) => e.source === 'if:node/node1:eth0')!;
    const eth0 = b.get('if:node/node1:eth0')!;
    assert.equal(wireEdge.points[0].y, eth0.y + eth0.height, 'the wire edge starts at eth0');
    assert.ok(l.edges.every((e) => e.points.length >= 2), 'every edge is routed');
  });

  it('3 x 50 Pods: big nodes wrap their Pods into rows and stay inside their boxes', async () => {
    const s = fixture('traces/three-by-fifty.snapshot.json');
    const t0 = performance.now();
    const l = await layoutGraph(buildGraph(s));
    console.log(`      3 x 50 Pods laid out in ${(performance.now() - t0).toFixed(0)} ms in Node (elk ${l.elkMs.toFixed(0)} ms)`);
    checkNesting(l);
    const b = all(l);
    assert.equal([...b.values()].filter((x) => x.kind === 'pod').length, 150);
    const node1 = b.get('ns:node/node1')!;
    assert.ok(node1.width < 2500, `node1 is ${node1.width} px wide: wrapped, not one 6000-px row`);
    assert.ok(b.get('ns:pod/pod-1-01')!.y < b.get('ns:pod/pod-1-50')!.y, 'later Pods on later rows');
    assert.ok(l.edges.every((e) => e.points.length >= 2));
  });

  it('kind-ptp and the Docker-style host lay out without overlaps', async () => {
    for (const f of ['snapshots/kind-ptp.json', 'traces/article-docker.snapshot.json', 'snapshots/three-nodes.json']) checkNesting(await layoutGraph(buildGraph(fixture(f))));
  });

  it('folded nodes lay out as a column without overlaps: count box above the bridge above eth0, edges straight down', async () => {
    const none = { expanded: new Set<string>(), pinned: new Set<string>() };
    for (const g of [buildGraph(fixture('traces/three-by-fifty.snapshot.json')), buildGraph(scaledCluster(2))]) {
      const l = await layoutGraph(foldGraph(g, none));
      checkNesting(l);
      const b = all(l);
      for (const node of l.boxes.filter((x) => x.kind === 'node')) {
        const [count, bridge, eth0] = ['fold', 'bridge', 'eth0'].map((k) => node.children.find((c) => c.kind === k));
        assert.ok(count && eth0, `${node.id} has its count box and eth0`);
        if (bridge) assert.ok(count.y + count.height <= bridge.y && bridge.y + bridge.height <= eth0.y, `${node.id}: count, bridge, eth0 top down`);
        else assert.ok(count.y + count.height <= eth0.y, `${node.id} (ptp): count above eth0`);
        const e = l.edges.find((x) => x.source === count.id)!;
        assert.deepEqual([e.points[0].y, e.points[1].y, e.points[0].x === e.points[1].x], [count.y + count.height, (bridge ?? eth0).y, true]);
      }
      assert.ok(l.edges.every((e) => e.points.length >= 2 && b.has(e.source) && b.has(e.target)), 'every edge is routed between drawn boxes');
    }
  });
});
