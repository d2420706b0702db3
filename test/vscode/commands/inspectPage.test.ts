/** The Inspect Pod Network page, from a recorded lab. */
import { strict as assert } from 'node:assert';
import { statusFromSnapshot } from '../../../src/providers/replay/replayStatus';
import { inspectMarkdown } from '../../../src/vscode/commands/inspectPage';
import { loadFixture, podIP } from '../../tracer/fixtures';

describe('inspectMarkdown', () => {
  it('shows the Pod IP and node, both ends of the veth pair with MACs, containers, routes and neighbours', () => {
    const snap = loadFixture('article.json');
    const st = statusFromSnapshot(snap);
    const podNs = snap.namespaces.find((n) => n.id === 'pod/pod-a');
    const nodeNs = snap.namespaces.find((n) => n.id === 'node/node1');
    const md = inspectMarkdown(st, 'pod-a', podNs, nodeNs);
    const pod = st.pods.find((p) => p.name === 'pod-a')!;
    assert.match(md, new RegExp(`\\*\\*${podIP(snap, 'pod-a').replace(/\./g, '\\.')}/24\\*\\* on node \\*\\*node1\\*\\*`));
    assert.match(md, new RegExp(`\\| node side \\| node/node1 \\| ${pod.hostVeth} \\| \\d+ \\| ([0-9a-f]{2}:){5}[0-9a-f]{2} \\| 1500 \\| UP \\| cbr0 \\|`));
    assert.match(md, /\| web \| web \| 8080 \| running \|/);
    assert.match(md, /\| default \| 10\.244\.1\.1 \| eth0 \| main \|/);
    assert.match(md, /## Routes on node1[\s\S]*\| 10\.244\.2\.0\/24 \| 192\.168\.1\.101 \| eth0 \|/);
  });

  it('says so when the Pod is gone', () => {
    const st = statusFromSnapshot(loadFixture('article.json'));
    assert.match(inspectMarkdown(st, 'ghost', undefined, undefined), /not in the lab any more/);
  });
});
