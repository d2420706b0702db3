/**
 * The diagram with Services and the overlay in real Chromium (built bundle, harness page with the extension's CSP), fed
 * hand-made Service and VXLAN variants of the recorded article lab and trace (test/webview/overlayFixtures.ts): the
 * ClusterIP drawn in every node, the outside client on the wire, the tunnel between flannel.1 devices, the DNAT hop's
 * destination label and highlighted candidates, the panels. Build first: node scripts/build-webview.mjs.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import type { TraceResult } from '../../src/tracer/types';
import type { Snapshot } from '../../src/snapshot/types';
import { fixture } from './clusterSnapshot';
import { contains, diagramPages } from './diagramPages';
import { overlaySnapshot, serviceTrace, tunnelTrace } from './overlayFixtures';

describe('diagram webview: Services and the VXLAN overlay in Chromium', function () {
  this.timeout(60_000);
  const h = diagramPages();
  const panel = (page: Page) => page.locator('section.hop').innerText();
  const label = (page: Page) => page.locator('text.packet-label').textContent();

  async function traced(t: TraceResult): Promise<Page> {
    const page = await h.open('dark');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await h.draw(page, overlaySnapshot());
    await h.send(page, { type: 'trace', trace: t });
    await page.waitForSelector('.hop-marker');
    return page;
  }

  it('draws the Service in both node boxes, the outside client on the wire and one tunnel between the flannel.1 devices', async () => {
    const page = await h.open('dark');
    await h.draw(page, overlaySnapshot());
    for (const node of ['node1', 'node2']) {
      assert.ok(contains(await h.rect(page, `ns:node/${node}`), await h.rect(page, `svc:node/${node}`)), `Services box inside ${node}`);
      assert.match((await page.locator(`g[data-id="svc:node/${node}"]`).innerHTML()), /web 10\.96\.0\.100:80/);
      assert.ok(contains(await h.rect(page, `ns:node/${node}`), await h.rect(page, `if:node/${node}:flannel.1`)));
    }
    assert.equal(await page.locator('g.el.client[data-id="ns:client/outside"]').getAttribute('aria-label'), 'outside client outside, 192.168.1.50, outside client');
    assert.equal(await page.locator('g.edge.tunnel').count(), 1);
    assert.equal(await page.locator('g.edge.wire[data-source="if:client/outside:eth0"]').count(), 1);
    await h.shot(page, 'services-overlay-dark');
  });

  it('a Service trace: the destination label turns from the ClusterIP into the chosen endpoint at the DNAT hop; the candidates are marked', async () => {
    const page = await traced(serviceTrace());
    assert.equal(await label(page), '→ 10.96.0.100:80');
    assert.equal(await page.locator('g.el.pod.candidate').count(), 2);
    assert.equal(await page.locator('g.el.pod.chosen').getAttribute('data-id'), 'ns:pod/pod-c');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await label(page), '→ 10.96.0.100:80', 'still the ClusterIP before the DNAT');
    await page.keyboard.press('ArrowRight');
    assert.equal(await label(page), '→ 10.244.2.2:8080', 'the chosen endpoint after it');
    const text = await panel(page);
    assert.match(text, /Service: DNAT to an endpoint/i);
    assert.match(text, /Service default\/web: 10\.96\.0\.100:80 \(ClusterIP\)/);
    assert.match(text, /numgen random mod 2 vmap/);
    assert.match(text, /10\.244\.1\.2:8080 \(Pod pod-a on node1\)/);
    assert.match(text, /▶ 10\.244\.2\.2:8080 \(Pod pod-c on node2\) \(chosen\)/);
    assert.match(text, /un-DNAT/);
    assert.match(await page.locator('section.summary').innerText(), /Service\s+default\/web 10\.96\.0\.100:80: DNAT to one of 10\.244\.1\.2:8080, 10\.244\.2\.2:8080; chosen 10\.244\.2\.2:8080/);
    assert.match(await page.locator('g[data-id="svc:node/node1"]').getAttribute('class') ?? '', /\bon-path\b/);
    await h.shot(page, 'service-dnat-dark');
    await page.keyboard.press('Home');
    assert.equal(await label(page), '→ 10.96.0.100:80', 'back to the start: the ClusterIP again');
  });

  it('a recorded Service trace from the real lab (pod-b → svc/web): the DNAT hop the tracer found relabels the packet, the Pod the probe reached is the chosen one', async () => {
    const t = fixture<TraceResult>('traces/service-pod-b-web.json');
    const dnat = t.hops.find((hop) => hop.rows.some((r) => r.kind === 'service'))!;
    const chosen = t.verification!.chosenEndpoint!;
    const pod = t.service!.candidates.find((c) => c.ip === chosen.split(':')[0])!.pod!;
    const page = await h.open('dark');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await h.draw(page, fixture<Snapshot>('traces/service.snapshot.json'));
    await h.send(page, { type: 'trace', trace: t });
    await page.waitForSelector('.hop-marker');
    assert.equal(await label(page), `→ ${t.service!.address}:${t.service!.port}`);
    assert.equal(await page.locator('g.el.pod.candidate').count(), t.service!.candidates.length);
    assert.equal(await page.locator('g.el.pod.chosen').getAttribute('data-id'), `ns:pod/${pod}`);
    for (let i = 0; i < dnat.index; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await label(page), `→ ${dnat.headers.dstIP}:${dnat.headers.dstPort}`);
    assert.notEqual(dnat.headers.dstIP, t.service!.address, 'the DNAT changed the destination');
    const text = await panel(page);
    for (const c of t.service!.candidates) assert.ok(text.includes(`${c.ip}:${c.port} (Pod ${c.pod} on ${c.node})`), `candidate ${c.ip} listed`);
    assert.match(text, new RegExp(`▶ ${chosen.replace(/\./g, '\\.')}`));
    assert.match(text, /kube-proxy/);
    await h.shot(page, 'service-recorded-dark');
  });

  it('a recorded overlay lab: the router and the outside client as boxes on the wire, flannel.1 on both nodes with the tunnel between them', async () => {
    const page = await h.open('dark');
    await h.draw(page, fixture<Snapshot>('traces/overlay.snapshot.json'));
    assert.equal(await page.locator('g.el.router[data-id="ns:router/router"]').count(), 1);
    for (const leg of ['eth0', 'eth1']) {
      assert.ok(contains(await h.rect(page, 'ns:router/router'), await h.rect(page, `if:router/router:${leg}`)), `router ${leg} inside the router box`);
    }
    assert.equal(await page.locator('g.el.client[data-id="ns:client/outside"]').count(), 1);
    assert.equal(await page.locator('g.el.vtep').count(), 2);
    assert.equal(await page.locator('g.edge.tunnel[data-source="if:node/node1:flannel.1"][data-target="if:node/node2:flannel.1"]').count(), 1);
    await h.shot(page, 'overlay-recorded-dark');
  });

  it('a recorded NodePort trace from the outside client: DNAT on node2 relabels the packet, which then rides the tunnel past the router to node1', async () => {
    const t = fixture<TraceResult>('traces/overlay-outside-nodeport.json');
    const page = await h.open('dark');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await h.draw(page, fixture<Snapshot>('traces/overlay.snapshot.json'));
    await h.send(page, { type: 'trace', trace: t });
    await page.waitForSelector('.hop-marker');
    const dnat = t.hops.find((hop) => hop.rows.some((r) => r.kind === 'service'))!;
    const encap = t.hops.find((hop) => hop.decision === 'encap')!;
    const atRouter = t.hops.find((hop) => hop.namespace.startsWith('router/') && hop.outer)!;
    const decap = t.hops.find((hop) => hop.decision === 'decap')!;
    assert.ok(dnat.index < encap.index && encap.index < atRouter.index && atRouter.index < decap.index);
    const inTunnel = async () => /\bin-tunnel\b/.test((await page.locator('circle.packet').getAttribute('class')) ?? '');
    const goTo = async (index: number) => {
      await page.keyboard.press('Home');
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
    };
    assert.equal(await label(page), `→ ${t.request.to.ip}:${t.request.port}`);
    await goTo(dnat.index);
    assert.equal(await label(page), `→ ${dnat.headers.dstIP}:${dnat.headers.dstPort}`);
    assert.match(await panel(page), /\(NodePort\)/);
    assert.match(await page.locator(`g[data-id="svc:${dnat.namespace}"]`).getAttribute('class') ?? '', /\bon-path\b/);
    await goTo(encap.index);
    assert.equal(await inTunnel(), true, 'encapsulated');
    assert.match(await panel(page), /= 50 bytes/);
    await goTo(atRouter.index);
    assert.equal(await inTunnel(), true, 'still inside at the router');
    assert.match(await panel(page), /Only the outer packet/);
    await goTo(decap.index);
    assert.equal(await inTunnel(), false, 'decapsulated');
    await h.shot(page, 'overlay-nodeport-dark');
  });

  it('a tunnel trace: the packet is drawn inside the tunnel between encap and decap, and the panel shows both header sets and 50 bytes', async () => {
    const page = await traced(tunnelTrace());
    const inTunnel = async () => /\bin-tunnel\b/.test((await page.locator('circle.packet').getAttribute('class')) ?? '');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await inTunnel(), false, 'hop 3: still the plain Pod packet');
    await page.keyboard.press('ArrowRight');
    assert.equal(await inTunnel(), true, 'hop 4 encapsulates');
    const text = await panel(page);
    assert.match(text, /VXLAN tunnel: inner and outer headers/i);
    assert.match(text, /src IP\s+10\.244\.1\.2\s+192\.168\.1\.100/);
    assert.match(text, /VNI\s+·\s+1/);
    assert.match(text, /= 50 bytes/);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await inTunnel(), false, 'hop 8 decapsulates');
    assert.match(await panel(page), /outer headers come off/);
    await h.shot(page, 'tunnel-decap-dark');
  });
});
