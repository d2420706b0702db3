/**
 * The diagram webview in real Chromium: the built bundle (dist/webview/diagram.js) in a page like the extension's
 * (strict CSP, fake acquireVsCodeApi, VS Code theme variables), fed recorded snapshots and traces.
 * Build first: node scripts/build-webview.mjs. Screenshots go to test-artifacts/webview/.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '../../src/snapshot/types';
import type { TraceResult } from '../../src/tracer/types';
import type { DiagramToHost, HostToDiagram } from '../../src/webview/diagram/protocol';
import { startBrowserHarness, WEBVIEW_ARTIFACTS, type Harness, type Theme } from './harness';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = WEBVIEW_ARTIFACTS;
const BUNDLE = join(ROOT, 'dist', 'webview', 'diagram.js');
const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', path), 'utf8')) as T;

type Rendered = Extract<DiagramToHost, { type: 'rendered' }>;
type Rect = { x: number; y: number; width: number; height: number };

const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5
  && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

describe('diagram webview in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let harness: Harness | undefined;
  const pages: Page[] = [];
  const errors: string[] = [];

  let closeAll: (() => Promise<void>) | undefined;

  before(async () => {
    ({ browser, harness, close: closeAll } = await startBrowserHarness(BUNDLE));
  });

  after(async () => {
    await closeAll?.();
  });

  afterEach(async () => {
    for (const p of pages.splice(0)) {
      const problems = await p.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => []);
      const reported = (await posted(p).catch(() => [])).filter((m) => m.type === 'error');
      await p.close();
      assert.deepEqual(problems, [], 'no Content-Security-Policy violations');
      assert.deepEqual(reported, [], 'no error messages posted');
    }
    assert.deepEqual(errors.splice(0), [], 'no page errors or dialogs');
  });

  async function open(theme: Theme = 'dark', width = 1400): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width, height: 900 } });
    pages.push(page);
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      errors.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(harness!.url(theme));
    await page.waitForFunction(() => (window as unknown as { __posted?: { type: string }[] }).__posted?.some((m) => m.type === 'ready'));
    return page;
  }

  const posted = (page: Page): Promise<DiagramToHost[]> => page.evaluate(() => (window as unknown as { __posted: DiagramToHost[] }).__posted);
  const send = (page: Page, m: HostToDiagram) => page.evaluate((msg) => window.postMessage(msg, '*'), m);

  async function nextRendered(page: Page, before: number): Promise<Rendered> {
    await page.waitForFunction((n) => (window as unknown as { __posted: DiagramToHost[] }).__posted.filter((m) => m.type === 'rendered').length > n, before);
    return (await posted(page)).filter((m): m is Rendered => m.type === 'rendered')[before];
  }

  async function draw(page: Page, snapshot: Snapshot, trace?: TraceResult): Promise<Rendered> {
    const before = (await posted(page)).filter((m) => m.type === 'rendered').length;
    await send(page, { type: 'snapshot', snapshot, source: { label: `snapshot ${snapshot.source.lab}`, live: false } });
    if (trace) await send(page, { type: 'trace', trace });
    const r = await nextRendered(page, before);
    console.log(`      rendered ${snapshot.source.lab}: ${r.namespaces} namespaces, ${r.elements} elements, layout ${r.layoutMs} ms, draw ${r.drawMs} ms`);
    return r;
  }

  const rect = (page: Page, id: string): Promise<Rect> =>
    page.locator(`g[data-id="${id}"] > rect.frame`).first().evaluate((r) => {
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const hopPanel = (page: Page) => page.locator('section.hop').innerText();

  it('draws the article: Pods inside their node boxes, cbr0, the veth pairs and the wire', async () => {
    const s = fixture<Snapshot>('traces/article.snapshot.json');
    const page = await open('dark');
    const r = await draw(page, s);
    assert.equal(r.namespaces, 6);
    assert.equal(await page.locator('g[data-id="ns:node/node1"].node').count(), 1);
    for (const pod of s.cluster.pods) {
      const box = await rect(page, `ns:pod/${pod.name}`);
      assert.ok(contains(await rect(page, `ns:node/${pod.node}`), box), `${pod.name} is drawn inside ${pod.node}`);
      assert.match(await page.locator(`g[data-id="ns:pod/${pod.name}"]`).textContent() ?? '', new RegExp(pod.ip.replace(/\./g, '\\.')));
    }
    for (const node of ['node1', 'node2']) {
      assert.ok(contains(await rect(page, `ns:node/${node}`), await rect(page, `if:node/${node}:cbr0`)), `cbr0 inside ${node}`);
      assert.equal(await page.locator(`g[data-id="if:node/${node}:cbr0"].bridge`).count(), 1);
    }
    for (const ns of s.namespaces.filter((n) => n.kind === 'pod')) {
      const peer = ns.links.find((l) => l.name === 'eth0')!.peer!;
      const edge = page.locator(`g.edge.veth-pair[data-source="if:${ns.id}:eth0"][data-target="if:${peer.namespace}:${peer.ifname}"] path`);
      assert.equal(await edge.count(), 1, `veth pair edge ${ns.id}:eth0 <-> ${peer.namespace}:${peer.ifname}`);
      assert.match((await edge.getAttribute('d')) ?? '', /^M[\d.]+ [\d.]+ L/);
      assert.equal(await page.locator(`g.edge.bridge-port[data-source="if:${peer.namespace}:${peer.ifname}"][data-target="if:${peer.namespace}:cbr0"]`).count(), 1);
    }
    assert.equal(await page.locator('g[data-id="ns:wire"].wire').count(), 1);
    assert.equal(await page.locator('g[data-id="if:wire:wire0"].bridge').count(), 1);
    assert.equal(await page.locator('g.edge.wire[data-source^="if:node/"][data-target^="if:wire:"]').count(), 2);
    const wire = await rect(page, 'ns:wire');
    assert.ok(wire.y > (await rect(page, 'if:node/node1:eth0')).y, 'the wire lies below the nodes');
    await shot(page, 'article-dark');
  });

  it('draws three-nodes whole, and a recorded 3 x 50 Pods lab folded (diagramFold.e2e.test.ts has the rest), with timings', async () => {
    const big = fixture<Snapshot>('traces/three-by-fifty.snapshot.json');
    const page = await open('dark');
    const cold = await draw(page, big);
    assert.equal(cold.namespaces, 154);
    assert.equal(await page.locator('g.el.fold').count(), 3, 'each node folded to a count box');
    const warm = await draw(page, big);
    console.log(`      3 x 50 Pods: cold ${cold.layoutMs + cold.drawMs} ms, warm ${warm.layoutMs + warm.drawMs} ms (layout + draw)`);
    await page.locator('vscode-toolbar-button[data-action="expandAll"]').click();
    await page.waitForFunction(() => document.querySelectorAll('g.el.pod').length === 150);
    for (const pod of ['pod-1-01', 'pod-2-25', 'pod-3-50']) {
      const node = big.cluster.pods.find((p) => p.name === pod)!.node;
      assert.ok(contains(await rect(page, `ns:node/${node}`), await rect(page, `ns:pod/${pod}`)), `${pod} inside ${node}`);
    }
    await page.locator('vscode-toolbar-button[data-action="zoomFit"]').click();
    await shot(page, 'three-by-fifty-dark');
    const three = await draw(page, fixture<Snapshot>('snapshots/three-nodes.json'));
    assert.equal(three.namespaces, 16);
    assert.equal(await page.locator('g.el.pod').count(), 12);
    assert.equal(await page.locator('g.el.fold').count(), 0, 'three-nodes (4 Pods a node) is not folded');
    await shot(page, 'three-nodes-dark');
  });

  it('shows a verified trace: every hop is observed, → moves the hop panel to hop 2 and its sentence', async () => {
    const t = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), t);
    await page.waitForSelector('.hop-marker');
    for (const hop of t.hops) {
      const marker = page.locator(`.hop-marker[data-hop="${hop.index}"]`);
      assert.equal(await marker.count(), 1, `marker for hop ${hop.index}`);
      assert.match((await marker.getAttribute('class')) ?? '', /\bobserved\b/);
    }
    assert.match(await hopPanel(page), /Ready: 11 hops/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const text = await hopPanel(page);
    assert.match(text, /Hop 2 of 11/);
    assert.ok(text.includes(t.hops[1].sentence), 'the panel shows hop 2 sentence');
    assert.match(text, /veth pair pod\/pod-a:eth0 <-> node\/node1:veth/, 'the veth row, rendered by rowText');
    assert.equal(await page.locator('section.hop').getAttribute('aria-live'), 'polite');
    assert.match(await page.locator('.counter').innerText(), /hop 2 \/ 11/);
    assert.match(await page.locator('section.summary').innerText(), /No NAT/);
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(800);
    await shot(page, 'trace-verified-dark');
    const light = await open('light');
    await draw(light, fixture<Snapshot>('traces/article.snapshot.json'), t);
    for (let i = 0; i < 4; i++) await light.keyboard.press('ArrowRight');
    await light.waitForTimeout(800);
    await shot(light, 'trace-verified-light');
  });

  it('Space plays the packet to the destination (jumping, with reduced motion); Home restarts', async () => {
    const page = await open('dark');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), fixture<TraceResult>('traces/article-pod-a-pod-c.json'));
    await page.waitForSelector('.hop-marker');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('.counter')?.textContent === 'hop 11 / 11', undefined, { timeout: 20_000 });
    const packet = await page.locator('circle.packet').evaluate((c) => {
      const b = c.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    const eth0 = await rect(page, 'if:pod/pod-c:eth0');
    assert.ok(Math.abs(packet.x - (eth0.x + eth0.width / 2)) < 2 && Math.abs(packet.y - (eth0.y + eth0.height / 2)) < 2, 'the packet ends on pod-c eth0');
    assert.equal(await page.locator('vscode-button[data-action="toggle"]').getAttribute('icon'), 'play', 'playing stopped at the end');
    await page.keyboard.press('Home');
    assert.equal(await page.locator('.counter').textContent(), 'hop 0 / 11');
  });

  it('draws observed, predicted-only and stopped hops differently (not by colour alone)', async () => {
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), fixture<TraceResult>('traces/article-pod-a-pod-c.predicted.json'));
    await page.waitForSelector('.hop-marker');
    assert.equal(await page.locator('.hop-marker.predicted').count(), 11);
    const style = (sel: string) =>
      page.locator(sel).first().evaluate((e) => {
        const c = getComputedStyle(e);
        return { dash: c.strokeDasharray, stroke: c.stroke };
      });
    const predicted = await style('path.trace-hop.predicted');
    await send(page, { type: 'trace', trace: fixture<TraceResult>('traces/article-pod-a-pod-c.json') });
    await page.waitForSelector('.hop-marker.observed');
    const observed = await style('path.trace-hop.observed');
    assert.equal(observed.dash, 'none');
    assert.notEqual(predicted.dash, 'none', 'predicted hops are dashed');
    assert.notEqual(predicted.stroke, observed.stroke);
    const markerShape = (sel: string) => page.locator(`${sel} .shape`).first().evaluate((e) => e.tagName);
    assert.equal(await markerShape('.hop-marker.observed'), 'circle');
    await send(page, { type: 'trace', trace: fixture<TraceResult>('traces/article-pod-a-no-route.json') });
    await page.waitForSelector('.hop-marker.stopped');
    assert.equal(await markerShape('.hop-marker.stopped'), 'polygon', 'the stop marker is an octagon');
  });

  it('draws a NO_ROUTE trace stopping at node1 with a stopped marker', async () => {
    const t = fixture<TraceResult>('traces/article-pod-a-no-route.json');
    const page = await open('light');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), t);
    await page.waitForSelector('.hop-marker');
    const last = page.locator(`.hop-marker[data-hop="${t.hops.length}"]`);
    assert.match((await last.getAttribute('class')) ?? '', /\bstopped\b/);
    const m = await last.evaluate((e) => {
      const b = e.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2, width: 0, height: 0 };
    });
    assert.ok(contains(await rect(page, 'ns:node/node1'), m), 'the stop marker sits in node1');
    assert.match((await page.locator('.end-label.stopped').textContent()) ?? '', /NO_ROUTE/);
    assert.equal(await page.locator('[data-id^="if:node/node2"].on-path, [data-id^="if:wire"].on-path').count(), 0, 'nothing past node1 is on the path');
    assert.match(await page.locator('section.summary').innerText(), /NO_ROUTE/);
    for (let i = 0; i < t.hops.length; i++) await page.keyboard.press('ArrowRight');
    assert.match(await hopPanel(page), /the packet stopped here/);
    await page.waitForTimeout(800);
    await shot(page, 'trace-no-route-light');
  });

  it('a delivered but refused probe ends in a failed REFUSED label, and the summary and last hop say what came back and the way back', async () => {
    const base = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
    const t: TraceResult = {
      ...base,
      request: { ...base.request, proto: 'tcp', port: 9 },
      verification: { ...base.verification!, outcome: { kind: 'refused', detail: 'the connection to 10.244.2.2:9 was refused (a TCP reset answered the SYN): nothing listens on port 9 there' } },
      returnPath: { disposition: 'DELIVERED', hops: [...base.hops].reverse() },
    };
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), t);
    await page.waitForSelector('.hop-marker.observed');
    assert.match((await page.locator('.end-label.stopped').textContent()) ?? '', /✕ REFUSED/, 'the end label is a failure although the last hop was seen');
    assert.equal(await page.locator('.end-label.delivered').count(), 0);
    const summary = await page.locator('section.summary').innerText();
    assert.match(summary, /REFUSED: the connection to 10\.244\.2\.2:9 was refused/);
    assert.match(summary, /Return path\s+the reply returns through /);
    assert.doesNotMatch(summary, /DELIVERED in/);
    for (let i = 0; i < t.hops.length; i++) await page.keyboard.press('ArrowRight');
    assert.match(await hopPanel(page), /What came back\s+REFUSED: the connection/i);
    await page.waitForTimeout(800);
    await shot(page, 'trace-refused');
  });

  it('draws the kind-ptp node without a bridge: its veths lead straight to eth0', async () => {
    const s = fixture<Snapshot>('snapshots/kind-ptp.json');
    const page = await open('light');
    await draw(page, s);
    assert.equal(await page.locator('g[data-id="ns:node/kind1"] g.bridge').count(), 0);
    assert.equal(await page.locator('g[data-id="ns:node/node1"] g.bridge').count(), 1);
    const veths = s.namespaces.find((n) => n.id === 'node/kind1')!.links.filter((l) => l.kind === 'veth' && l.name !== 'eth0');
    assert.equal(veths.length, 2);
    for (const v of veths) {
      assert.equal(await page.locator(`g[data-id="ns:node/kind1"] g[data-id="if:node/kind1:${v.name}"].veth`).count(), 1);
      assert.equal(await page.locator(`g.edge.route[data-source="if:node/kind1:${v.name}"][data-target="if:node/kind1:eth0"]`).count(), 1);
    }
    await shot(page, 'kind-ptp-light');
  });

  it('draws the Docker-style host like a node, its containers like Pods, and a NAT trace', async () => {
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article-docker.snapshot.json'), fixture<TraceResult>('traces/article-docker-web-a-node1.json'));
    assert.equal(await page.locator('g[data-id="ns:host/docker-host"].host').count(), 1);
    assert.equal(await page.locator('g[data-id="ns:host/docker-host"] g[data-id="if:host/docker-host:docker0"].bridge').count(), 1);
    assert.equal(await page.locator('g[data-id="ns:host/docker-host"] g.docker-container').count(), 2);
    assert.match(await page.locator('section.summary').innerText(), /NAT: the destination kernel saw source 192\.168\.1\.10/);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    assert.match(await hopPanel(page), /masquerade/);
    assert.match(await hopPanel(page), /srcIP\s+172\.17\.0\.2\s+192\.168\.1\.10 \(changed\)/);
    await page.waitForTimeout(800);
    await shot(page, 'docker-nat-dark');
  });

  it('keeps the snapshot, trace and hop across a reload (getState/setState)', async () => {
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'), fixture<TraceResult>('traces/article-pod-a-pod-c.json'));
    await page.waitForSelector('.hop-marker');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    assert.match(await hopPanel(page), /Hop 3 of 11/);
    await page.reload();
    await nextRendered(page, 0);
    await page.waitForSelector('.hop-marker');
    assert.match(await hopPanel(page), /Hop 3 of 11/);
    assert.equal(await page.locator('.hop-marker').count(), 11);
    assert.equal(await page.locator('g[data-id="ns:pod/pod-a"]').count(), 1);
    assert.deepEqual((await posted(page)).map((m) => m.type).slice(0, 2), ['ready', 'rendered']);
  });

  it('shows a malicious Pod name as text, never as markup', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const s = fixture<Snapshot>('traces/article.snapshot.json');
    const ns = s.namespaces.find((n) => n.id === 'pod/pod-b')!;
    const veth = ns.links.find((l) => l.name === 'eth0')!.peer!;
    s.namespaces.find((n) => n.id === veth.namespace)!.links.find((l) => l.name === veth.ifname)!.peer!.namespace = `pod/${evil}`;
    Object.assign(ns, { id: `pod/${evil}`, name: evil });
    s.cluster.pods.find((p) => p.name === 'pod-b')!.name = evil;
    const page = await open('dark');
    await draw(page, s);
    assert.equal(await page.locator('img').count(), 0, 'no img element was created');
    const texts = await page.locator('svg.diagram text.title').allTextContents();
    assert.ok(texts.includes(evil), 'the name is drawn as text');
  });

  it('Tab reaches a namespace with a visible focus ring; Enter and click post select', async () => {
    const page = await open('dark');
    await draw(page, fixture<Snapshot>('traces/article.snapshot.json'));
    let focused = '';
    for (let i = 0; i < 20 && !focused.startsWith('ns:'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? '');
    }
    assert.equal(focused, 'ns:node/node1', 'the first namespace in tab order');
    const stroke = await page.locator('g[data-id="ns:node/node1"] > rect.frame').evaluate((r) => getComputedStyle(r).stroke);
    assert.equal(stroke, 'rgb(0, 120, 212)', 'focus ring in --vscode-focusBorder');
    await page.keyboard.press('Enter');
    await page.locator('g[data-id="ns:pod/pod-c"] > rect.frame').click();
    const selects = (await posted(page)).filter((m) => m.type === 'select');
    assert.deepEqual(selects, [
      { type: 'select', namespace: 'node/node1' },
      { type: 'select', namespace: 'pod/pod-c' },
    ]);
    await send(page, { type: 'focus', namespace: 'pod/pod-b' });
    await page.waitForSelector('g[data-id="ns:pod/pod-b"].outlined');
  });
});
