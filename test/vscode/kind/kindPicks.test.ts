/** The pure parts of Create/Delete kind Cluster: the pickers' order, name rules, and kind's stage lines as progress messages. */
import { strict as assert } from 'node:assert';
import { parseKindStage } from '../../../src/providers/kind/kindStages';
import { clusterNameProblem, clusterPickItems, cniPickItems, CreateProgressText, kindErrorAction, OPEN_INSTALL_GUIDE, topologyPickItems } from '../../../src/vscode/kind/kindPicks';

describe('kind pickers', () => {
  it('offers kindnet (kind\'s default) before bridge, each with one line; bridge says what it needs when the plugin is missing', () => {
    const found = cniPickItems(true);
    assert.deepEqual(found.map((i) => i.cni), ['kindnet', 'bridge']);
    assert.match(found[0].detail, /no bridge/);
    assert.match(found[1].detail, /cbr0/);
    assert.match(cniPickItems(false)[1].detail, /containernetworking-plugins/);
  });

  it("lists the article's topology first, then the setting's file, then the workspace's files by path without duplicates", () => {
    const rel = (f: string) => f.replace('/ws/', '');
    const items = topologyPickItems(['/ws/z.topology.yaml', '/ws/a/b.topology.yaml', '/ws/set.topology.yaml', '/ws/z.topology.yaml'], rel, '/ws/set.topology.yaml');
    assert.deepEqual(items.map((i) => i.file), [undefined, '/ws/set.topology.yaml', '/ws/a/b.topology.yaml', '/ws/z.topology.yaml']);
    assert.match(items[0].label, /article/);
    assert.equal(items[1].description, 'podnet.defaultTopology setting');
    assert.deepEqual(topologyPickItems([], rel).map((i) => i.file), [undefined]);
  });

  it('lists the cluster the views show first, then "podnet", then the rest by name', () => {
    const items = clusterPickItems(['zeta', 'alpha', 'podnet', 'shown'], 'kind-shown');
    assert.deepEqual(items.map((i) => i.name), ['shown', 'podnet', 'alpha', 'zeta']);
    assert.match(items[0].description!, /shown in the PodNet views/);
    assert.deepEqual(clusterPickItems(['b', 'a']).map((i) => i.name), ['a', 'b']);
  });

  it("refuses names kind refuses and names that exist, with a sentence", () => {
    assert.equal(clusterNameProblem('podnet'), undefined);
    assert.equal(clusterNameProblem('lab-2'), undefined);
    for (const bad of ['', 'Podnet', '-x', 'x-', 'a_b', 'a'.repeat(33)]) assert.ok(clusterNameProblem(bad), bad);
    assert.match(clusterNameProblem('podnet', ['podnet'])!, /already exists/);
  });

  it('offers the install guide only when kind is missing', () => {
    assert.equal(kindErrorAction('kind is not installed: install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation).'), OPEN_INSTALL_GUIDE);
    assert.equal(kindErrorAction('docker is not running (Cannot connect): start it'), undefined);
  });
});

describe('kind stage lines as progress messages', () => {
  it("shows kind's own stage lines as they come, with a check mark when done, and PodNet's steps after them", () => {
    const text = new CreateProgressText();
    const lines = [' • Ensuring node image (kindest/node:v1.31.0) 🖼  ...', ' ✓ Ensuring node image (kindest/node:v1.31.0) 🖼', ' • Preparing nodes 📦 📦 📦   ...', ' ✓ Preparing nodes 📦 📦 📦 ', ' • Joining worker nodes 🚜  ...', ' ✗ Joining worker nodes 🚜'];
    const shown = lines.map((l) => text.stage(parseKindStage(l)!));
    assert.deepEqual(shown.map((s) => s.message), [
      'kind: Ensuring node image (kindest/node:v1.31.0)…', 'kind: ✓ Ensuring node image (kindest/node:v1.31.0)',
      'kind: Preparing nodes…', 'kind: ✓ Preparing nodes', 'kind: Joining worker nodes…', 'kind: ✗ Joining worker nodes failed',
    ]);
    assert.deepEqual(shown.map((s) => s.increment > 0), [false, true, false, true, false, false], 'only finished stages move the bar');
    assert.equal(text.step('waiting for 3 nodes to register').message, 'PodNet: waiting for 3 nodes to register');
  });

  it('never moves the bar past 100 however many stages and steps come', () => {
    const text = new CreateProgressText();
    let total = 0;
    for (let i = 0; i < 20; i++) total += text.stage({ stage: `s${i}`, state: 'done' }).increment + text.step(`p${i}`).increment;
    assert.ok(total <= 100, `total ${total}`);
    assert.ok(total >= 80, `a normal create fills most of the bar (${total})`);
  });
});
