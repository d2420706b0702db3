/** The Network tree's shape on recorded labs: lab -> nodes -> eth0, cbr0 -> veths -> Pod -> containers. */
import { strict as assert } from 'node:assert';
import { statusFromSnapshot } from '../../../src/providers/replay/replayStatus';
import { ElementCache, type NetElement, networkChildren } from '../../../src/vscode/tree/elements';
import { loadFixture } from '../../tracer/fixtures';

function walk(st: ReturnType<typeof statusFromSnapshot>, cache: ElementCache, el?: NetElement, depth = 0, out: string[] = []): string[] {
  for (const child of networkChildren(st, el, cache)) {
    out.push(`${'  '.repeat(depth)}${child.kind}:${child.id}`);
    walk(st, cache, child, depth + 1, out);
  }
  return out;
}

describe('networkChildren (the Network view)', () => {
  it('puts each Pod under its veth, under cbr0, under its node, with containers under the Pod', () => {
    const st = statusFromSnapshot(loadFixture('article.json'));
    const lines = walk(st, new ElementCache());
    const podA = st.pods.find((p) => p.name === 'pod-a')!;
    assert.equal(lines[0], 'lab:lab');
    const at = (line: string) => lines.indexOf(line);
    assert.ok(at('  node:node:node1') > 0);
    assert.ok(at('    iface:node:node1/eth0') > at('  node:node:node1'));
    assert.ok(at('    bridge:node:node1/bridge:cbr0') > at('    iface:node:node1/eth0'));
    assert.ok(at('      veth:node:node1/veth:pod-a') > at('    bridge:node:node1/bridge:cbr0'));
    assert.equal(at('        pod:pod:pod-a'), at('      veth:node:node1/veth:pod-a') + 1);
    assert.ok(at('          container:pod:pod-a/ctr:web') > 0 && at('          container:pod:pod-a/ctr:sidecar') > 0);
    assert.ok(!lines.some((l) => l.includes('node:node2/veth:pod-a')), 'pod-a hangs off node1 only');
    assert.ok(podA.hostVeth.startsWith('veth'));
  });

  it('hangs Pods of a ptp node off the node itself: there is no bridge', () => {
    const st = statusFromSnapshot(loadFixture('kind-ptp.json'));
    const cache = new ElementCache();
    const kind1 = networkChildren(st, undefined, cache).flatMap((lab) => networkChildren(st, lab, cache)).find((e) => e.id === 'node:kind1')!;
    const children = networkChildren(st, kind1, cache);
    assert.deepEqual(children.map((c) => c.kind), ['iface', 'veth', 'veth']);
  });

  it('returns the same object for the same id, so one node row can be refreshed alone', () => {
    const st = statusFromSnapshot(loadFixture('article.json'));
    const cache = new ElementCache();
    const [lab] = networkChildren(st, undefined, cache);
    const first = networkChildren(st, lab, cache)[0];
    const again = networkChildren(st, lab, cache)[0];
    assert.equal(first, again);
  });

  it('shows the Docker-style host with docker0 and its containers', () => {
    const st = statusFromSnapshot(loadFixture('article-docker.json'));
    const lines = walk(st, new ElementCache());
    assert.ok(lines.some((l) => l.trim() === 'dockerHost:docker-host'));
    assert.ok(lines.some((l) => l.trim() === 'dockerContainer:docker-host/ctr:web-a'));
  });
});
