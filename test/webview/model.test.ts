/** The diagram's pure model on recorded snapshots and traces: boxes, edges, the path a trace visits, hop statuses. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/snapshot/types';
import type { TraceResult } from '../../src/tracer/types';
import { buildGraph, hopStatus, traceFits, tracePath, traceSteps, type DiagramElement, type DiagramGraph } from '../../src/webview/diagram/model';

const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as T;

function find(g: DiagramGraph, id: string): DiagramElement | undefined {
  const walk = (e: DiagramElement): DiagramElement | undefined => (e.id === id ? e : e.children.map(walk).find(Boolean));
  return g.roots.map(walk).find(Boolean);
}

const kids = (e: DiagramElement | undefined) => (e?.children ?? []).map((c) => `${c.kind}:${c.label[0]}`);

describe('diagram model: buildGraph', () => {
  it('puts each Pod in its node box with the veths, cbr0 and eth0; the wire is a box of its own', () => {
    const s = fixture<Snapshot>('traces/article.snapshot.json');
    const g = buildGraph(s);
    assert.deepEqual(g.roots.map((r) => r.id), ['ns:node/node1', 'ns:node/node2', 'ns:wire']);
    const node1 = find(g, 'ns:node/node1')!;
    assert.deepEqual(node1.label, ['node1', '192.168.1.100', 'Pods 10.244.1.0/24']);
    const k = kids(node1);
    assert.deepEqual(k.slice(0, 2), ['pod:pod-a', 'pod:pod-b']);
    assert.deepEqual(k.slice(-2), ['bridge:cbr0 (bridge)', 'eth0:eth0 (NIC)']);
    assert.equal(k.filter((x) => x.startsWith('veth:')).length, 2);
    const podA = find(g, 'ns:pod/pod-a')!;
    assert.deepEqual(podA.label, ['pod-a', '10.244.1.2']);
    assert.deepEqual(kids(podA), ['container:web', 'container:sidecar', 'eth0:eth0']);
    assert.deepEqual(find(g, 'if:node/node1:cbr0')!.label, ['cbr0 (bridge)', '10.244.1.1/24']);
    assert.equal(g.namespaces, 6);
  });

  it('joins veth pairs (from `peer`), bridge ports (from `master`), node eth0 to the wire, and routes inside a node', () => {
    const s = fixture<Snapshot>('traces/article.snapshot.json');
    const g = buildGraph(s);
    const has = (kind: string, a: string, b: string) => g.edges.some((e) => e.kind === kind && e.source === a && e.target === b);
    const vethA = s.namespaces.find((n) => n.id === 'pod/pod-a')!.links.find((l) => l.name === 'eth0')!.peer!.ifname;
    assert.ok(has('veth-pair', 'if:pod/pod-a:eth0', `if:node/node1:${vethA}`));
    assert.ok(has('bridge-port', `if:node/node1:${vethA}`, 'if:node/node1:cbr0'));
    assert.ok(has('route', 'if:node/node1:cbr0', 'if:node/node1:eth0'));
    assert.ok(has('wire', 'if:node/node1:eth0', 'if:wire:wire0-p1'));
    assert.ok(has('bridge-port', 'if:wire:wire0-p1', 'if:wire:wire0'));
    assert.equal(new Set(g.edges.map((e) => e.id)).size, g.edges.length, 'each veth pair once');
  });

  it('draws a ptp node with its veths straight to eth0, and the Docker-style host like a node', () => {
    const ptp = buildGraph(fixture<Snapshot>('snapshots/kind-ptp.json'));
    const kind1 = find(ptp, 'ns:node/kind1')!;
    assert.ok(!kids(kind1).some((k) => k.startsWith('bridge:')));
    assert.equal(ptp.edges.filter((e) => e.kind === 'route' && e.target === 'if:node/kind1:eth0').length, 2);
    assert.deepEqual(find(ptp, 'ns:wire')!.children.map((c) => c.label[0]), ['wire0-p3', 'wire0-p1', 'wire0-p2', 'wire0 (bridge)'], 'ports in node order');
    const docker = buildGraph(fixture<Snapshot>('traces/article-docker.snapshot.json'));
    const host = find(docker, 'ns:host/docker-host')!;
    assert.equal(host.kind, 'host');
    assert.deepEqual(kids(host).filter((k) => !k.startsWith('veth:')), ['docker-container:web-a', 'docker-container:web-b', 'bridge:docker0 (bridge)', 'eth0:eth0 (NIC)']);
    assert.deepEqual(find(docker, 'ns:container/web-a')!.children[0].label, ['app :8080', 'published on 192.168.1.10:8081']);
  });
});

describe('diagram model: traces', () => {
  it('maps a verified cross-node trace to the interfaces it visits, through both bridges and the wire', () => {
    const s = fixture<Snapshot>('traces/article.snapshot.json');
    const t = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
    const veth = (pod: string) => s.namespaces.find((n) => n.id === pod)!.links.find((l) => l.name === 'eth0')!.peer!.ifname;
    assert.deepEqual(tracePath(t), [
      'ns:pod/pod-a', 'if:pod/pod-a:eth0', `if:node/node1:${veth('pod/pod-a')}`, 'if:node/node1:cbr0', 'if:node/node1:eth0',
      'if:wire:wire0-p1', 'if:wire:wire0', 'if:wire:wire0-p2', 'if:node/node2:eth0', 'if:node/node2:cbr0',
      `if:node/node2:${veth('pod/pod-c')}`, 'if:pod/pod-c:eth0', 'ns:pod/pod-c',
    ]);
    assert.ok(traceSteps(t).every((st) => st.status === 'observed'));
    assert.ok(traceFits(t, s));
  });

  it('gives each hop its status: observed, differs, not-observed, predicted, stopped', () => {
    const t = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
    const [h1, h2, h3] = t.hops;
    assert.equal(hopStatus(t, h1, false), 'observed');
    assert.equal(hopStatus(t, { ...h2, observation: { observed: true, differences: ['ttl 63, predicted 64'] } }, false), 'differs');
    assert.equal(hopStatus(t, { ...h3, observation: { observed: false } }, false), 'not-observed');
    assert.equal(hopStatus(t, { ...h3, observation: undefined }, false), 'predicted');
    const failed = fixture<TraceResult>('traces/article-pod-a-no-route.json');
    const steps = traceSteps(failed);
    assert.deepEqual(steps.map((x) => x.status), ['observed', 'observed', 'observed', 'stopped']);
    assert.deepEqual(steps[3].ids, ['if:node/node1:cbr0']);
    assert.ok(traceSteps(fixture<TraceResult>('traces/article-pod-a-pod-c.predicted.json')).every((x) => x.status === 'predicted'));
  });

  it('does not keep a trace on a snapshot that lacks its namespaces', () => {
    const t = fixture<TraceResult>('traces/article-docker-web-a-node1.json');
    assert.ok(!traceFits(t, fixture<Snapshot>('traces/article.snapshot.json')));
    assert.ok(traceFits(t, fixture<Snapshot>('traces/article-docker.snapshot.json')));
  });
});
