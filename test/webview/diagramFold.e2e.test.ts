/**
 * The diagram at scale, in real Chromium (built bundle, harness page with the extension's CSP): a recorded 3 x 50-Pod
 * lab is drawn folded (each node as its bridge with a Pod count), nodes expand on click, Enter/Space, find and
 * Expand all; a trace draws its own Pods; the article lab is drawn whole. Screenshots go to test-artifacts/webview/.
 * Build first: node scripts/build-webview.mjs.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import type { Snapshot } from '../../src/snapshot/types';
import { predictTrace } from '../../src/tracer/predict';
import type { TraceResult } from '../../src/tracer/types';
import { clusterSnapshot, fixture, scaledCluster } from './clusterSnapshot';
import { contains, diagramPages } from './diagramPages';

const BIG = 'traces/three-by-fifty.snapshot.json';
const NODES = ['node1', 'node2', 'node3'];

describe('diagram webview at scale in Chromium (folding)', function () {
  this.timeout(90_000);
  const h = diagramPages();
  const big = fixture<Snapshot>(BIG);
  const podsIn = (page: Page, node: string) => page.locator(`g[data-id="ns:node/${node}"] g.el.pod`).count();
  /** The visible lines of a node's count box. */
  const countText = async (page: Page, node: string) => (await page.locator(`g[data-id="fold:node/${node}"] > text`).allTextContents()).join(' | ');
  const toggle = (page: Page, node: string) => page.locator(`.fold-toggle[data-fold="node/${node}"]`);

  it('draws a recorded 3 x 50-Pod lab folded: each node is its bridge with a count of 50 Pods, fitting the window', async () => {
    const page = await h.open('dark');
    const r = await h.draw(page, big);
    console.log(`      3 x 50 Pods folded: layout ${r.layoutMs} ms + draw ${r.drawMs} ms, ${r.elements} elements`);
    assert.deepEqual([r.namespaces, r.pods, r.folded], [154, 0, 3]);
    assert.equal(await page.locator('g.el.pod').count(), 0, 'no Pod box');
    for (const node of NODES) {
      assert.equal(await page.locator(`g[data-id="ns:node/${node}"] g.el.fold[data-id="fold:node/${node}"]`).count(), 1);
      assert.equal(await countText(page, node), '50 Pods | 50 veths on cbr0');
      assert.ok(contains(await h.rect(page, `ns:node/${node}`), await h.rect(page, `fold:node/${node}`)));
      assert.equal(await page.locator(`g.edge.folded[data-source="fold:node/${node}"][data-target="if:node/${node}:cbr0"]`).count(), 1);
      assert.equal(await toggle(page, node).getAttribute('aria-expanded'), 'false');
      assert.equal(await toggle(page, node).getAttribute('aria-label'), `Show the 50 Pods of ${node}`);
      assert.match((await page.locator(`g[data-id="ns:node/${node}"]`).getAttribute('aria-label')) ?? '', /, 50 Pods folded$/);
    }
    assert.equal(await page.locator('.folding').isVisible(), true, 'Expand all / Collapse all offered');
    for (const name of ['Expand all nodes (show every Pod)', 'Collapse all nodes (count their Pods)', 'Show the 50 Pods of node2']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a button named "${name}"`);
    }
    assert.equal(await page.getByRole('searchbox', { name: /Find a Pod, node or IP address/ }).count(), 1);
    const fit = await page.evaluate(() => {
      const c = document.querySelector('.canvas')!;
      const svg = c.querySelector('svg')!.getBoundingClientRect();
      const title = document.querySelector('g[data-id="fold:node/node1"] text.title')!.getBoundingClientRect();
      return { fits: svg.width <= c.clientWidth && svg.height <= c.clientHeight, titlePx: title.height };
    });
    assert.ok(fit.fits, 'the folded lab fits the canvas without scrolling');
    assert.ok(fit.titlePx >= 12, `count text ${fit.titlePx} px tall: readable`);
    await h.shot(page, 'fold-three-by-fifty-dark');
  });

  it('a click on a count box expands that node only: its 50 Pods inside it; its toggle folds it again', async () => {
    const page = await h.open('light');
    await h.draw(page, big);
    const r = await h.after(page, () => page.locator('g[data-id="fold:node/node2"] > rect.frame').click());
    assert.deepEqual([r.pods, r.folded], [50, 2]);
    assert.deepEqual(await Promise.all(NODES.map((n) => podsIn(page, n))), [0, 50, 0]);
    const node2 = await h.rect(page, 'ns:node/node2');
    for (const pod of ['pod-2-01', 'pod-2-50']) assert.ok(contains(node2, await h.rect(page, `ns:pod/${pod}`)), `${pod} in node2`);
    assert.equal(await page.locator('g[data-id="fold:node/node2"]').count(), 0, 'no count box on an expanded node');
    assert.equal(await toggle(page, 'node2').getAttribute('aria-expanded'), 'true');
    assert.equal(await toggle(page, 'node2').getAttribute('aria-label'), 'Fold the 50 Pods of node2');
    assert.deepEqual((await h.posted(page)).filter((m) => m.type === 'select'), [], 'expanding is not a selection');
    await h.shot(page, 'fold-node2-expanded-light');
    const back = await h.after(page, () => toggle(page, 'node2').click());
    assert.deepEqual([back.pods, back.folded], [0, 3]);
  });

  it('Enter and Space on a node\'s fold toggle expand and fold it, keeping the keyboard focus on the toggle', async () => {
    const page = await h.open('dark');
    await h.draw(page, big);
    let focused = '';
    for (let i = 0; i < 30 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const a = document.activeElement;
        return a?.classList.contains('fold-toggle') ? (a.getAttribute('data-fold') ?? '') : '';
      });
    }
    assert.equal(focused, 'node/node1', 'Tab reaches node1\'s toggle');
    const opened = await h.after(page, () => page.keyboard.press('Enter'));
    assert.deepEqual([opened.pods, await podsIn(page, 'node1')], [50, 50]);
    const active = () => page.evaluate(() => [document.activeElement?.getAttribute('data-fold'), document.activeElement?.getAttribute('aria-expanded')]);
    assert.deepEqual(await active(), ['node/node1', 'true']);
    const folded = await h.after(page, () => page.keyboard.press('Space'));
    assert.equal(folded.pods, 0);
    assert.deepEqual(await active(), ['node/node1', 'false']);
  });

  it('find expands the node holding the match and highlights it; Enter again moves to the next match', async () => {
    const page = await h.open('dark');
    await h.draw(page, big);
    const input = page.locator('input.find-input');
    await input.fill('pod-2-25');
    const r = await h.after(page, () => input.press('Enter'));
    assert.deepEqual([r.pods, r.folded], [50, 2]);
    assert.equal(await page.locator('g[data-id="ns:pod/pod-2-25"].found').count(), 1);
    assert.equal(await page.locator('g.found').count(), 1);
    assert.match(await page.locator('.find-status').innerText(), /^pod-2-25, 10\.244\.2\.\d+: 1 of 1$/);
    const box = await h.rect(page, 'ns:pod/pod-2-25');
    assert.ok(box.y >= 0 && box.y + box.height <= 900 && box.x >= 0 && box.x + box.width <= 1400, 'scrolled into view');
    await h.shot(page, 'fold-find-dark');
    const ip = big.cluster.pods.find((p) => p.name === 'pod-3-40')!.ip;
    await input.fill(ip);
    const r3 = await h.after(page, () => input.press('Enter'));
    assert.deepEqual([r3.pods, await podsIn(page, 'node3')], [100, 50], 'node3 expanded too, node2 stays expanded');
    assert.equal(await page.locator('g[data-id="ns:pod/pod-3-40"].found').count(), 1, 'found by its address');
    await input.press('Escape');
    const cleared = [await input.inputValue(), await page.locator('.find-status').innerText(), await page.locator('g.found').count()];
    assert.deepEqual(cleared, ['', '', 0], 'Escape clears the query, the status and the highlight');
    await input.fill('no-such-pod');
    await input.press('Enter');
    assert.equal(await page.locator('.find-status').innerText(), 'No Pod, node or address matches "no-such-pod"');
    assert.equal(await page.locator('g.found').count(), 0);
  });

  it('a trace draws its Pods inside exactly the nodes on its path; node2 stays folded; clearing it folds them again', async () => {
    const t = fixture<TraceResult>('traces/three-by-fifty-pod-1-01-pod-3-50.json');
    const page = await h.open('dark');
    await h.draw(page, big);
    const r = await h.after(page, () => h.send(page, { type: 'trace', trace: t }));
    assert.deepEqual([r.pods, r.folded], [2, 3]);
    const names = (node: string) => page.locator(`g[data-id="ns:node/${node}"] g.el.pod > text.title`).allTextContents();
    assert.deepEqual([await names('node1'), await names('node2'), await names('node3')], [['pod-1-01'], [], ['pod-3-50']]);
    for (const node of ['node1', 'node3']) assert.equal(await countText(page, node), '49 more Pods | 49 veths on cbr0');
    assert.equal(await countText(page, 'node2'), '50 Pods | 50 veths on cbr0');
    assert.equal(await page.locator('.hop-marker').count(), t.hops.length);
    for (const id of ['if:pod/pod-1-01:eth0', 'if:node/node1:cbr0', 'if:node/node3:cbr0', 'if:pod/pod-3-50:eth0']) {
      assert.equal(await page.locator(`g[data-id="${id}"].on-path`).count(), 1, `${id} is on the drawn path`);
    }
    assert.equal(await page.locator('[data-id^="if:node/node2"].on-path').count(), 0);
    const drawnHops = () => page.locator('.trace-hop').evaluateAll((ps) => ps.filter((p) => p.getAttribute('d')).map((p) => p.getAttribute('data-hop')));
    const folded = await drawnHops();
    await h.shot(page, 'fold-trace-dark');
    const all = await h.after(page, () => page.locator('vscode-toolbar-button[data-action="expandAll"]').click());
    assert.deepEqual([all.pods, await page.locator('.hop-marker').count()], [150, t.hops.length], 'the trace stays drawn on expanding');
    assert.deepEqual(folded, await drawnHops(), 'the folded drawing draws the same hops as the whole one');
    await h.after(page, () => page.locator('vscode-toolbar-button[data-action="collapseAll"]').click());
    const cleared = await h.after(page, () => h.send(page, { type: 'clearTrace' }));
    assert.deepEqual([cleared.pods, await page.locator('.hop-marker').count()], [0, 0]);
  });

  it('Expand all draws all 150 Pods inside their nodes; Collapse all folds every node again', async () => {
    const page = await h.open('dark');
    await h.draw(page, big);
    const all = await h.after(page, () => page.locator('vscode-toolbar-button[data-action="expandAll"]').click());
    console.log(`      3 x 50 Pods expanded: layout ${all.layoutMs} ms + draw ${all.drawMs} ms, ${all.elements} elements`);
    assert.deepEqual([all.pods, all.folded], [150, 0]);
    assert.deepEqual(await Promise.all(NODES.map((n) => podsIn(page, n))), [50, 50, 50]);
    const none = await h.after(page, () => page.locator('vscode-toolbar-button[data-action="collapseAll"]').click());
    assert.deepEqual([none.pods, none.folded], [0, 3]);
  });

  it('keeps the expanded nodes across a reload (getState/setState)', async () => {
    const page = await h.open('dark');
    await h.draw(page, big);
    await h.after(page, () => toggle(page, 'node3').click());
    await page.reload();
    const r = await h.nextRendered(page, 0);
    assert.deepEqual([r.pods, await podsIn(page, 'node3')], [50, 50]);
  });

  it('"Show in Diagram" on a Pod of a folded node expands that node and outlines the Pod', async () => {
    const page = await h.open('dark');
    await h.draw(page, big);
    await h.after(page, () => h.send(page, { type: 'focus', namespace: 'pod/pod-1-33' }));
    await page.waitForSelector('g[data-id="ns:pod/pod-1-33"].outlined');
    assert.deepEqual(await Promise.all(NODES.map((n) => podsIn(page, n))), [50, 0, 0]);
  });

  it('draws the small article lab whole: its Pods, no count box, no toggle, no Expand all', async () => {
    const page = await h.open('dark');
    const r = await h.draw(page, fixture<Snapshot>('traces/article.snapshot.json'));
    assert.deepEqual([r.pods, r.folded], [3, 0]);
    assert.equal(await page.locator('g.el.fold, .fold-toggle').count(), 0);
    assert.equal(await page.locator('.folding').isVisible(), false);
    assert.match((await page.locator('g[data-id="ns:node/node1"]').getAttribute('aria-label')) ?? '', /^node node1, 192\.168\.1\.100, Pods 10\.244\.1\.0\/24$/);
  });

  it('draws a cluster snapshot (NAMESPACE/NAME Pods, no wire, a ptp node) folded; the ptp node expands to its veths', async () => {
    const page = await h.open('light');
    const r = await h.draw(page, clusterSnapshot());
    assert.deepEqual([r.namespaces, r.pods, r.folded], [153, 0, 3]);
    assert.equal(await page.locator('g.el.wire').count(), 0);
    assert.equal(await countText(page, 'node3'), '50 Pods | 50 ptp veths to eth0');
    assert.equal(await page.locator('g.edge.folded[data-source="fold:node/node3"][data-target="if:node/node3:eth0"]').count(), 1);
    await h.shot(page, 'fold-cluster-light');
    const input = page.locator('input.find-input');
    await input.fill('pod-3-02');
    await h.after(page, () => input.press('Enter'));
    assert.equal(await page.locator('g[data-id="ns:pod/default/pod-3-02"].found').count(), 1);
    assert.equal(await page.locator('g[data-id="ns:node/node3"] g.el.veth').count(), 50);
    assert.equal(await page.locator('g.edge.route[data-target="if:node/node3:eth0"]').count(), 50, 'each ptp veth routed to eth0');
  });

  it('draws a trace predicted on the cluster snapshot across the unseen node network, its two Pods inside folded nodes', async () => {
    const s = clusterSnapshot();
    const t = predictTrace(s, { from: 'default/pod-1-01', to: 'default/pod-2-07' });
    assert.equal(t.disposition, 'DELIVERED', t.reason);
    const page = await h.open('dark');
    await h.draw(page, s);
    const r = await h.after(page, () => h.send(page, { type: 'trace', trace: t }));
    assert.deepEqual([r.pods, r.folded], [2, 3]);
    const names = (node: string) => page.locator(`g[data-id="ns:node/${node}"] g.el.pod > text.title`).allTextContents();
    assert.deepEqual([await names('node1'), await names('node2'), await names('node3')], [['default/pod-1-01'], ['default/pod-2-07'], []]);
    assert.equal(await page.locator('.hop-marker.predicted').count(), t.hops.length);
    const crossing = t.hops.findIndex((x) => x.rows.some((row) => row.kind === 'veth' && row.network)) + 1;
    assert.ok(crossing > 0, 'one hop crosses the node network');
    // One evaluate, no helper functions inside it (tsx would wrap them in a __name the page does not have).
    const under = await page.evaluate((hop) => {
      const [p, n1, n2] = [`path.trace-hop[data-hop="${hop}"]`, 'g[data-id="ns:node/node1"] > rect.frame', 'g[data-id="ns:node/node2"] > rect.frame']
        .map((sel) => (document.querySelector(sel) as SVGGraphicsElement).getBBox());
      return p.width > 0 && p.y + p.height > Math.max(n1.y + n1.height, n2.y + n2.height);
    }, crossing);
    assert.ok(under, 'the crossing is drawn from node to node, under both boxes (not across their labels)');
    await h.shot(page, 'fold-cluster-trace-dark');
  });

  it('draws a 1,050-Pod cluster (21 nodes, no wire) folded, its nodes in rows in node order, each with its count', async () => {
    const page = await h.open('dark');
    const r = await h.draw(page, scaledCluster(7));
    console.log(`      1,050-Pod cluster folded: layout ${r.layoutMs} ms + draw ${r.drawMs} ms, ${r.elements} elements`);
    assert.deepEqual([r.pods, r.folded], [0, 21]);
    const boxes = await page.locator('g.el.node > rect.frame').evaluateAll((rs) => rs.map((e) => {
      const b = e.getBoundingClientRect();
      return { id: e.parentElement!.getAttribute('data-id'), x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width) };
    }));
    assert.deepEqual(boxes.map((b) => b.id), Array.from({ length: 21 }, (_, i) => `ns:node/node${i + 1}`), 'in node order');
    const rows = [...new Set(boxes.map((b) => b.y))];
    assert.ok(rows.length >= 3, `${rows.length} rows, not one strip of 21 nodes`);
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1], boxes[i]];
      assert.ok(b.y > a.y || (b.y === a.y && b.x > a.x + a.width), `${b.id} after ${a.id}: right of it, or on the next row`);
    }
    assert.equal(await page.locator('g.el.fold').count(), 21);
    await page.locator('vscode-toolbar-button[data-action="zoomFit"]').click();
    await h.shot(page, 'fold-cluster-1050-dark');
  });
});
