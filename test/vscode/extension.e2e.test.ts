/**
 * The extension in a real VS Code (code-server + Chromium) against a real embedded lab: the PodNet view, Start Lab,
 * Pods with their IPs in the tree, Trace Packet from the palette drawn in the diagram with every hop observed and the
 * "no NAT" verdict, and a re-created Pod's new IP appearing in the tree. Screenshots go to test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { PodInfo } from '../../src/providers/embedded/control/protocol';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { prepareE2e } from '../support/e2e';
import * as wb from '../support/workbench';

const PROJECT = resolve(__dirname, '..', '..');
const CLI = join(PROJECT, 'dist', 'cli.js');
const LAB = `e2e-${process.pid}`;


/** The CLI against the same lab the extension shows (same user, same runtime dir). */
function podnet(args: string[]): { code: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [CLI, ...args, '--lab', LAB], { encoding: 'utf8', timeout: 60_000 });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function pods(): PodInfo[] {
  const res = podnet(['get', 'pods', '-o', 'json']);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout) as PodInfo[];
}

async function treeDescriptionOf(page: Page, view: string, label: string): Promise<string | undefined> {
  return (await wb.treeItems(page, view)).find((r) => r.label === label)?.description;
}

/** Collapses the tree row labelled `label` (no-op when it is collapsed). */
async function collapseTreeItem(page: Page, view: string, label: string): Promise<void> {
  const row = wb.viewPane(page, view).locator('.pane-body .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

/** Polls `probe` until it returns something (15 s at most): tree rows change when the lab's events arrive. */
async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('PodNet in VS Code with a live lab (code-server + Chromium)', function () {
  this.timeout(180_000);
  let root = '';
  let server: CodeServer | undefined;
  let page: Page | undefined;

  before(async function () {
    prepareE2e(this);
    podnet(['lab', 'down']);
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-lab-'));
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'notes.md'), '# My PodNet notes\n');
    server = await startCodeServer({
      workspace, vsix: join(PROJECT, 'dist', 'podnet-lab.vsix'), extensionsDir: join(root, 'extensions'), userDataDir: join(root, 'user-data'),
      colorTheme: 'Default Dark Modern', settings: { 'podnet.lab': LAB },
    });
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(60_000);
    podnet(['lab', 'down']);
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('opens the PodNet view, which offers to start a lab', async () => {
    await wb.openView(page!, 'PodNet');
    const text = await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /No PodNet lab is running/);
    assert.match(text, /Start Lab/);
  });

  it('starts the lab from the palette and shows every Pod with its IP in the tree', async () => {
    await wb.runCommand(page!, 'PodNet: Start Lab');
    await wb.waitForNotification(page!, /Lab "e2e-\d+" is up in [\d.]+ s: 2 nodes, 3 Pods/, 30_000);
    const truth = pods();
    assert.deepEqual(truth.map((p) => p.name), ['pod-a', 'pod-b', 'pod-c']);
    for (const p of truth) {
      await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), new RegExp(p.name));
      assert.match((await treeDescriptionOf(page!, 'Network', p.name)) ?? '', new RegExp(`^${p.ip.replace(/\./g, '\\.')} · Running`), `${p.name} row`);
    }
    const rows = await wb.treeItems(page!, 'Network');
    assert.ok(rows.some((r) => r.label === 'node1' && /192\.168\.1\.100/.test(r.description)));
    assert.ok(rows.some((r) => r.label === 'cbr0' && /10\.244\.1\.1/.test(r.description)));
    const veth = truth.find((p) => p.name === 'pod-a')!.hostVeth;
    assert.ok(rows.some((r) => r.label === veth && /pod-a eth0/.test(r.description)), `the veth ${veth} row names the Pod on its other end`);
    await wb.screenshot(page!, 'tree');
  });

  it('traces pod-a to pod-c from the palette: the diagram shows every hop observed and no NAT', async () => {
    await wb.tracePacketFromPalette(page!, 'pod-a', 'pod-c');
    await wb.waitForNotification(page!, /pod-a → pod-c: ANSWERED: delivered in 11 hops and answered: .* · 11\/11 hops observed · no NAT\. Return path: /, 60_000);
    const frame = await wb.webviewFrame(page!, 'PodNet Diagram');
    await frame.locator('.hop-marker').first().waitFor({ timeout: 30_000 });
    const markers = frame.locator('.hop-marker');
    assert.equal(await markers.count(), 11);
    for (let i = 1; i <= 11; i++) assert.match((await frame.locator(`.hop-marker[data-hop="${i}"]`).getAttribute('class')) ?? '', /\bobserved\b/, `hop ${i}`);
    assert.match(await frame.locator('section.summary').innerText(), /No NAT/);
    assert.equal(await frame.locator('g[data-id="ns:pod/pod-a"]').count(), 1);
    await wb.screenshot(page!, 'diagram');
  });

  it('shows a re-created Pod with its new IP, driven by lab events', async () => {
    const before = pods().find((p) => p.name === 'pod-c')!;
    assert.equal(podnet(['pod', 'delete', 'pod-c']).code, 0);
    const t0 = Date.now();
    await page!.waitForFunction(() => true);
    assert.equal(podnet(['pod', 'create', 'pod-c', '--node', 'node2']).code, 0);
    const after = pods().find((p) => p.name === 'pod-c')!;
    assert.notEqual(after.ip, before.ip);
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), new RegExp(after.ip.replace(/\./g, '\\.')), 5000);
    const ms = Date.now() - t0;
    console.log(`      e2e: pod-c ${before.ip} -> ${after.ip} shown in the tree ${ms} ms after the delete`);
    assert.match((await treeDescriptionOf(page!, 'Network', 'pod-c')) ?? '', new RegExp(`^${after.ip.replace(/\./g, '\\.')}`));
    await wb.screenshot(page!, 'tree-after-recreate');
  });

  it('a Service made with Create Service... shows in the Services group with its endpoint; a Pod re-created through the CLI changes the endpoint row, not the ClusterIP', async () => {
    const p = page!;
    const answer = async (title: RegExp, act: () => Promise<void>) => {
      await wb.waitForText(p.locator('.quick-input-widget .quick-input-title'), title, 15_000);
      await act().catch(async (e: unknown) => {
        await wb.screenshot(p, `create-service-failed-${title.source.replace(/\W+/g, '-')}`);
        throw e;
      });
    };
    const type = (text: string) => async () => {
      await wb.typeQuickInput(p, text);
      await p.keyboard.press('Enter');
    };
    await wb.commandPalette(p, 'PodNet: Create Service...');
    await wb.pickQuickItem(p, 'PodNet: Create Service...');
    await answer(/^Create Service: name$/, type('web'));
    await answer(/^Create Service web: which Pods\?$/, async () => {
      await wb.typeQuickInput(p, 'pod-c');
      await wb.pickQuickItem(p, 'pod-c');
      await p.keyboard.press('Enter');
    });
    await answer(/port \(on the ClusterIP\)$/, type('80'));
    await answer(/targetPort \(on the Pods\)$/, type('8080'));
    await answer(/: type$/, () => wb.pickQuickItem(p, 'ClusterIP'));
    await wb.waitForNotification(p, /Service web has ClusterIP 10\.96\.0\.100, with 1 ready endpoint\./, 30_000);
    // Fold the nodes so the Services group is in the (virtual) list's rendered rows.
    for (const node of ['node1', 'node2']) await collapseTreeItem(p, 'Network', node);
    const endpointOf = (ip: string) => async () => (await wb.treeItems(p, 'Network')).find((r) => r.label === `${ip}:8080`);
    const first = pods().find((x) => x.name === 'pod-c')!;
    await waitFor(endpointOf(first.ip), `endpoint ${first.ip}:8080`);
    const rows = await wb.treeItems(p, 'Network');
    assert.equal(rows.find((r) => r.label === 'Services')?.description, '1 Service · ClusterIPs from 10.96.0.0/12');
    assert.equal(rows.find((r) => r.label === 'web')?.description, 'ClusterIP · 10.96.0.100 · 80/TCP · 1/1 ready');
    assert.equal((await endpointOf(first.ip)())?.description, '→ pod-c on node2');
    await wb.screenshot(p, 'tree-service');
    assert.equal(podnet(['pod', 'delete', 'pod-c']).code, 0);
    assert.equal(podnet(['pod', 'create', 'pod-c', '--node', 'node2']).code, 0);
    const again = pods().find((x) => x.name === 'pod-c')!;
    assert.notEqual(again.ip, first.ip);
    await waitFor(endpointOf(again.ip), `endpoint ${again.ip}:8080 after the re-create`);
    const after = await wb.treeItems(p, 'Network');
    assert.equal(after.find((r) => r.label === `${first.ip}:8080`), undefined, 'the old endpoint row is gone');
    assert.equal(after.find((r) => r.label === 'web')?.description, 'ClusterIP · 10.96.0.100 · 80/TCP · 1/1 ready', 'the ClusterIP stays');
    await wb.screenshot(p, 'tree-service-after-recreate');
  });

  it('Trace to this Service from... pod-a: the notification names the DNAT to pod-c\'s endpoint and the diagram relabels the packet', async () => {
    const p = page!;
    const endpoint = pods().find((x) => x.name === 'pod-c')!.ip;
    await wb.commandPalette(p, 'PodNet: Trace to this Service from...');
    await wb.pickQuickItem(p, 'PodNet: Trace to this Service from...');
    await wb.waitForText(p.locator('.quick-input-widget .quick-input-title'), /^Trace to which Service\?$/, 15_000);
    await wb.pickQuickItem(p, 'web');
    await wb.waitForText(p.locator('.quick-input-widget .quick-input-title'), /^Trace Packet: from$/, 15_000);
    await wb.pickQuickItem(p, 'pod-a');
    const dnat = new RegExp(`pod-a → web: ANSWERED: .* · DNAT 10\\.96\\.0\\.100:80 → ${endpoint.replace(/\./g, '\\.')}(:8080)? \\(one of 1\\)`);
    await wb.waitForNotification(p, dnat, 60_000);
    const frame = await wb.webviewFrame(p, 'PodNet Diagram');
    await frame.locator('text.packet-label').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('g.el.pod.chosen').getAttribute('data-id'), 'ns:pod/pod-c');
    const hops = Number((await frame.locator('.counter').innerText()).split('/')[1]);
    await frame.locator('.counter').click();
    for (let i = 0; i < hops; i++) await p.keyboard.press('ArrowRight');
    await wb.waitForText(frame.locator('.counter'), new RegExp(`hop ${hops} / ${hops}`), 10_000);
    assert.match((await frame.locator('text.packet-label').textContent()) ?? '', new RegExp(`→ ${endpoint.replace(/\./g, '\\.')}:8080`));
    await wb.screenshot(p, 'diagram-service');
  });

  it('reports the activation time VS Code measured', async () => {
    const act = await wb.extensionActivation(page!, 'podnet-lab');
    console.log(`      e2e: activation ${act.text}`);
    assert.ok(Number.isFinite(act.ms));
    await page!.keyboard.press('Escape');
  });
});
