/** The diagram with Services, the outside client and VXLAN: boxes, tunnels, the DNAT and tunnel hops, and the panel's words. */
import { strict as assert } from 'node:assert';
import { tracedNamespaces } from '../../src/webview/diagram/fold';
import { buildGraph, traceSteps, type DiagramElement, type DiagramGraph } from '../../src/webview/diagram/model';
import { destinations, serviceCandidates, SERVICES_LISTED, servicesBox } from '../../src/webview/diagram/overlayModel';
import { overheadText, serviceFacts, tunnelRows, tunnelSentence, unDnatText } from '../../src/webview/diagram/overlayText';
import type { ServiceRow } from '../../src/tracer/types';
import type { Snapshot } from '../../src/snapshot/types';
import type { TraceResult } from '../../src/tracer/types';
import { fixture } from './clusterSnapshot';
import { OUTER, overlaySnapshot, serviceTrace, tunnelTrace } from './overlayFixtures';

function find(g: DiagramGraph, id: string): DiagramElement | undefined {
  const walk = (e: DiagramElement): DiagramElement | undefined => (e.id === id ? e : e.children.map(walk).find(Boolean));
  return g.roots.map(walk).find(Boolean);
}

describe('diagram model: Services, the outside client, VXLAN', () => {
  it('draws the Service as the same virtual address in every node, since kube-proxy writes its rules on every node', () => {
    const g = buildGraph(overlaySnapshot());
    for (const node of ['node1', 'node2']) {
      const box = find(g, `svc:node/${node}`);
      assert.equal(box?.kind, 'services');
      assert.deepEqual(box?.label, ['Services (DNAT rules)', 'web 10.96.0.100:80 (node :30080)/TCP']);
      assert.ok(find(g, `ns:node/${node}`)!.children.includes(box!), 'inside the node box');
    }
    assert.equal(find(g, 'svc:pod/pod-a'), undefined, 'not in Pods');
  });

  it('sums up Services beyond the first few instead of growing every node box', () => {
    const s = overlaySnapshot();
    const one = s.cluster.services![0];
    s.cluster.services = Array.from({ length: SERVICES_LISTED + 4 }, (_, i) => ({ ...one, name: `svc-${i}`, clusterIP: `10.96.0.${100 + i}` }));
    const box = servicesBox(s, s.namespaces.find((n) => n.id === 'node/node1')!)!;
    assert.equal(box.label.length, 1 + SERVICES_LISTED + 1);
    assert.equal(box.label[box.label.length - 1], '+4 more');
  });

  it('puts the outside client on the wire as a box of its own, joined to its wire port', () => {
    const g = buildGraph(overlaySnapshot());
    const client = find(g, 'ns:client/outside')!;
    assert.equal(client.kind, 'client');
    assert.deepEqual(client.label, ['outside', '192.168.1.50', 'outside client']);
    assert.ok(g.roots.includes(client));
    assert.ok(g.edges.some((e) => e.kind === 'wire' && e.source === 'if:client/outside:eth0' && e.target === 'if:wire:wire0-c'));
  });

  it('draws flannel.1 as a VTEP routed from cbr0 and out of eth0, and one tunnel between the nodes\' VTEPs', () => {
    const g = buildGraph(overlaySnapshot());
    const vtep = find(g, 'if:node/node1:flannel.1')!;
    assert.equal(vtep.kind, 'vtep');
    assert.deepEqual(vtep.label, ['flannel.1 (VTEP)', 'VNI 1 · UDP 8472', '10.244.1.0/32']);
    const has = (kind: string, a: string, b: string) => g.edges.some((e) => e.kind === kind && e.source === a && e.target === b);
    assert.ok(has('route', 'if:node/node1:cbr0', 'if:node/node1:flannel.1'));
    assert.ok(has('route', 'if:node/node1:flannel.1', 'if:node/node1:eth0'));
    assert.deepEqual(g.edges.filter((e) => e.kind === 'tunnel').map((e) => `${e.source} ${e.target}`), ['if:node/node1:flannel.1 if:node/node2:flannel.1']);
  });

  it('routes the DNAT hop through the node\'s Services box and keeps the candidate Pods drawn when nodes fold', () => {
    const t = serviceTrace();
    const steps = traceSteps(t);
    assert.deepEqual(steps[2].ids, ['if:node/node1:veth8caa84d9', 'svc:node/node1', 'if:node/node1:cbr0']);
    assert.ok(!steps[3].ids.includes('svc:node/node1'), 'only the hop with the service row');
    const pinned = tracedNamespaces(t.hops);
    assert.ok(pinned.has('pod/pod-a') && pinned.has('pod/pod-c'));
  });

  it('gives the destination the packet carries after each hop: the ClusterIP until the DNAT, then the chosen endpoint', () => {
    const t = serviceTrace();
    const d = destinations(t);
    assert.equal(d[0], '10.96.0.100:80');
    assert.deepEqual(d.slice(1, 4), ['10.96.0.100:80', '10.96.0.100:80', '10.244.2.2:8080']);
    assert.equal(d[d.length - 1], '10.244.2.2:8080');
    assert.deepEqual(serviceCandidates(t), { pods: ['pod-a', 'pod-c'], ips: ['10.244.1.2', '10.244.2.2'], chosen: '10.244.2.2:8080', chosenPod: 'pod-c' });
  });

  it('names the Service, the rule, every candidate and the one the probe reached; the return path is un-DNATed by conntrack', () => {
    const t = serviceTrace();
    const row = t.hops[2].rows[0] as ServiceRow;
    const f = serviceFacts(row, t);
    assert.equal(f.title, 'Service default/web: 10.96.0.100:80 (ClusterIP)');
    assert.match(f.rule, /^numgen random mod 2 vmap/);
    assert.equal(f.where, 'ip kube-proxy service-XYZ-default/web/tcp/ (prerouting)');
    assert.deepEqual(f.candidates, [
      { text: '10.244.1.2:8080 (Pod pod-a on node1)', chosen: false },
      { text: '10.244.2.2:8080 (Pod pod-c on node2)', chosen: true },
    ]);
    assert.match(f.choice, /probe reached 10\.244\.2\.2:8080, one of the candidates/);
    assert.match(unDnatText(t)!, /rewrites its source back to 10\.96\.0\.100:80 \(un-DNAT\)/);
    t.verification!.chosenEndpoint = '10.244.9.9:8080';
    assert.match(serviceFacts(row, t).choice, /NOT one of the candidates/);
    assert.match(serviceFacts({ ...row, candidates: [] }, t).choice, /No ready endpoint/);
    assert.equal(unDnatText({ ...t, disposition: 'DROPPED_BY_RULE' }), undefined, 'a refused Service trace has no way back');
    const plain = tunnelTrace();
    assert.equal(unDnatText(plain), undefined, 'no Service, no un-DNAT');
  });

  it('shows inner and outer headers side by side with the 50-byte overhead, and the VTEP on the encap hop\'s path', () => {
    const t = tunnelTrace();
    const rows = tunnelRows(t.hops[3].headers, OUTER);
    assert.deepEqual(rows.slice(0, 2), [['src IP', '10.244.1.2', '192.168.1.100'], ['dst IP', '10.244.2.2', '192.168.1.101']]);
    assert.deepEqual(rows[rows.length - 1], ['VNI', '·', '1']);
    assert.match(overheadText(OUTER), /= 50 bytes: .* Pods get 1450/);
    assert.match(tunnelSentence(t.hops[3])!, /UDP datagram from node 192\.168\.1\.100 to node 192\.168\.1\.101, port 8472, VNI 1/);
    assert.match(tunnelSentence(t.hops[5])!, /Only the outer packet/);
    assert.match(tunnelSentence(t.hops[7])!, /outer headers come off/);
    const steps = traceSteps(t);
    assert.deepEqual(steps[3].ids, ['if:node/node1:cbr0', 'if:node/node1:flannel.1', 'if:node/node1:eth0']);
    assert.ok(steps[7].ids.includes('if:node/node2:flannel.1'));
  });

  it('on a recorded overlay lab, every element a predicted pod-a -> pod-c trace visits is drawn, through both VTEPs and both router legs', () => {
    const g = buildGraph(fixture<Snapshot>('traces/overlay.snapshot.json'));
    const t = fixture<TraceResult>('traces/overlay-pod-a-pod-c.predicted.json');
    const visited = traceSteps(t).flatMap((s) => s.ids);
    assert.deepEqual(visited.filter((id) => !find(g, id)), [], 'no id the drawing lacks');
    for (const id of ['if:node/node1:flannel.1', 'if:node/node2:flannel.1', 'if:router/router:eth0', 'if:router/router:eth1']) assert.ok(visited.includes(id), id);
    const encap = t.hops.find((h) => h.decision === 'encap')!;
    assert.deepEqual(tunnelRows(encap.headers, encap.outer!).slice(0, 2), [['src IP', '10.244.1.2', '192.168.1.100'], ['dst IP', '10.244.2.2', '192.168.2.100']]);
    assert.match(overheadText(encap.outer!), /= 50 bytes/);
    const atRouter = t.hops.find((h) => h.namespace === 'router/router' && h.decision === 'forward')!;
    const ttl = (h: typeof encap) => tunnelRows(h.headers, h.outer!).find((r) => r[0] === 'TTL')!;
    assert.equal(ttl(atRouter)[1], ttl(encap)[1], 'the router leaves the inner TTL alone');
    assert.ok(Number(ttl(atRouter)[2]) < Number(ttl(encap)[2]), `the router lowers the outer TTL (${ttl(encap)[2]} -> ${ttl(atRouter)[2]})`);
  });
});
