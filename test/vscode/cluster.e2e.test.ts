/**
 * The extension connected to a cluster in a real VS Code (code-server + Chromium): the kube-apiserver stand-in (the real
 * list/watch wire format over HTTPS on 127.0.0.1) seeded with the Nodes and Pods of a Docker test bed, found through
 * the `podnet.kubeconfig` setting. Connect to Cluster from the palette, pick the context in the quick pick, see every
 * Pod with the API's IP, a hostNetwork Pod with its node's IP, a Pod re-created by its "Deployment" appear with its new
 * IP from the watch event alone (the delay is printed), filter by namespace, trace a packet between two Pods from the
 * palette (drawn in the diagram, hops observed through the node containers), disconnect, and get a one-sentence error
 * with "Select Another Context" for a context nothing answers. Screenshots go to test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { prepareE2e, VSIX } from '../support/e2e';
import { e2eCluster, type E2eCluster } from '../support/e2eCluster';
import * as wb from '../support/workbench';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the extension wrote to its "PodNet Cluster" output channel (VS Code keeps output channels as log files). */
function clusterLog(root: string): string {
  const logs = join(root, 'user-data', 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('PodNet Cluster.log'));
  return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n') || '(empty)';
}

/** The Pods view's rows as label -> description. */
async function podRows(page: Page): Promise<Map<string, string>> {
  return new Map((await wb.treeItems(page, 'Pods')).map((r) => [r.label, r.description]));
}

describe('PodNet in VS Code connected to a cluster (code-server + Chromium, kube-apiserver stand-in over a Docker test bed)', function () {
  this.timeout(420_000);
  let root = '';
  let cluster: E2eCluster | undefined;
  let server: CodeServer | undefined;
  let page: Page | undefined;

  before(async function () {
    prepareE2e(this);
    cluster = await e2eCluster(this);
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-cluster-'));
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'notes.md'), '# Cluster notes\n');
    server = await startCodeServer({
      workspace, vsix: VSIX, extensionsDir: join(root, 'extensions'), userDataDir: join(root, 'user-data'), colorTheme: 'Default Dark Modern',
      settings: { 'podnet.lab': `e2e-cluster-${process.pid}` }, machineSettings: { 'podnet.kubeconfig': cluster.kubeconfig },
      env: cluster.env,
    });
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(60_000);
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    await cluster?.close();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('connects from the palette through the context quick pick (current context first, with its server)', async () => {
    await wb.openView(page!, 'PodNet');
    await wb.commandPalette(page!, 'PodNet: Connect to Cluster...');
    await wb.pickQuickItem(page!, 'PodNet: Connect to Cluster...');
    await wb.waitForText(page!.locator('.quick-input-widget .quick-input-title'), /^PodNet: Connect to Cluster$/, 120_000).catch(async (e: Error) => {
      await wb.screenshot(page!, 'cluster-pick-failed');
      throw new Error(`${e.message}; notifications: ${JSON.stringify(await wb.notifications(page!))}`, { cause: e });
    });
    const contexts = await wb.quickItems(page!);
    assert.equal(contexts[0], cluster!.context, `the kubeconfig's current context comes first (${contexts.join(', ')})`);
    assert.ok(contexts.includes('other-context'), 'every context of the kubeconfig is offered');
    await wb.pickQuickItem(page!, cluster!.context);
    const t0 = Date.now();
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), new RegExp(`cluster ${escape(cluster!.context)}`), 180_000).catch(async (e: Error) => {
      await wb.screenshot(page!, 'cluster-connect-failed');
      throw new Error(`${e.message}; notifications: ${JSON.stringify(await wb.notifications(page!))}; PodNet Cluster log: ${clusterLog(root)}; processes: ${spawnSync('ps', ['-eo', 'pid,ppid,etimes,args', '--forest'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => /docker|nsenter|extensionHost/.test(l)).join('\n')}`, { cause: e });
    });
    console.log(`      e2e: connected to ${cluster!.context} and showed it in ${Date.now() - t0} ms`);
    const bar = await page!.locator('.part.statusbar').innerText();
    assert.match(bar, new RegExp(escape(cluster!.context)));
  });

  it("shows every Pod as NAMESPACE/NAME with the API's IP, and the hostNetwork Pod with its node's IP", async () => {
    const truth = cluster!.pods();
    await wb.waitForText(wb.viewPane(page!, 'Pods').locator('.pane-body'), new RegExp(escape(truth[truth.length - 1].name)), 20_000);
    const rows = await podRows(page!);
    for (const p of truth) {
      const want = p.hostNetwork ? `^${escape(p.ip)} · node's IP \\(hostNetwork\\)` : `^${escape(p.ip)} · Running`;
      assert.match(rows.get(`${p.namespace}/${p.name}`) ?? '<no row>', new RegExp(want), `${p.namespace}/${p.name} shows the API's IP`);
    }
    assert.ok(truth.some((p) => p.hostNetwork), 'the test bed has a hostNetwork Pod');
    const net = await wb.treeItems(page!, 'Network');
    for (const n of cluster!.bed.nodes) {
      assert.ok(net.some((r) => r.label === n.name && r.description.startsWith(`${n.ip} · Pods ${n.podCIDR}`)), `node ${n.name} row: ${JSON.stringify(net.filter((r) => r.label === n.name))}`);
    }
    assert.ok(net.some((r) => r.label === 'cbr0'), 'node access found cbr0 on the nodes');
    const bar = await page!.locator('.part.statusbar').innerText();
    assert.match(bar, new RegExp(`${escape(cluster!.context)} · 2 nodes · ${truth.length} Pods`));
    await wb.screenshot(page!, 'cluster-tree');
  });

  it('shows a Pod re-created by its Deployment with its new IP, from the watch event alone', async () => {
    const old = cluster!.pods().find((p) => p.name === 'web-6d4cf56db6-abcde')!;
    const lists = cluster!.standIn.count('list', '/api/v1/pods');
    const { pod: again, apiEventAt: t0 } = await cluster!.recreate(old, 'web-6d4cf56db6-x7k2p');
    assert.notEqual(again.ip, old.ip, 'host-local gave the new Pod another address');
    const label = `${again.namespace}/${again.name}`;
    await page!.waitForFunction(([l, ip]) => Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row')).some((r) => r.querySelector('.label-name')?.textContent?.trim() === l && (r.querySelector('.label-description')?.textContent ?? '').startsWith(ip)), [label, again.ip] as const, { polling: 'raf', timeout: 10_000 });
    const ms = Date.now() - t0;
    console.log(`      e2e: ${label} ${again.ip} shown in the tree ${ms} ms after the API event (old ${old.name} ${old.ip})`);
    const rows = await podRows(page!);
    assert.ok(!rows.has(`${old.namespace}/${old.name}`), 'the deleted Pod is gone');
    assert.equal(cluster!.standIn.count('list', '/api/v1/pods'), lists, 'no re-list for an event');
    await wb.screenshot(page!, 'cluster-tree-after-recreate');
  });

  /** Runs Show Namespace... from the palette; its own quick pick opens at once, so no waiting for the palette to close. */
  async function showNamespacePicker(): Promise<void> {
    await wb.commandPalette(page!, 'PodNet: Show Namespace...');
    await wb.pickQuickItem(page!, 'PodNet: Show Namespace...');
    await wb.waitForText(page!.locator('.quick-input-widget .quick-input-title'), /^PodNet: Show Namespace$/, 30_000);
  }

  it('shows one namespace, then all again', async () => {
    await showNamespacePicker();
    const items = await wb.quickItems(page!);
    assert.equal(items[0], 'All namespaces');
    for (const ns of ['default', 'kube-system', 'shop']) assert.ok(items.includes(ns), `namespace ${ns} is offered (${items.join(', ')})`);
    await wb.pickQuickItem(page!, 'shop');
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /namespace shop/, 15_000);
    assert.deepEqual([...(await podRows(page!)).keys()], ['shop/cart-0']);
    await showNamespacePicker();
    await wb.pickQuickItem(page!, 'All namespaces');
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /all namespaces/, 15_000);
  });

  it('traces a packet between two Pods of the cluster from the palette, through the same node access', async () => {
    const [from, to] = ['default/web-6d4cf56db6-fghij', 'shop/cart-0'];
    await wb.tracePacketFromPalette(page!, from, to);
    const text = await wb.waitForNotification(page!, new RegExp(`^${escape(from)} → ${escape(to)}: [A-Z_]{4,}`), 120_000);
    console.log(`      e2e: ${text}`);
    assert.match(text, /: ANSWERED: delivered in \d+ hops and answered/, 'the probe was answered, not only delivered');
    const frame = await wb.webviewFrame(page!, 'PodNet Diagram');
    await frame.locator('.hop-marker').first().waitFor({ timeout: 60_000 });
    assert.ok((await frame.locator('.hop-marker.observed').count()) > 0, 'the diagram marks the observed hops');
    await wb.screenshot(page!, 'cluster-trace');
  });

  it('disconnects and goes back to the "no lab" view', async () => {
    await wb.runCommand(page!, 'PodNet: Disconnect from Cluster');
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /No PodNet lab is running/, 30_000);
  });

  it('says in one sentence that an unreachable context cannot be reached, and offers another context', async () => {
    await wb.commandPalette(page!, 'PodNet: Connect to Cluster...');
    await wb.pickQuickItem(page!, 'PodNet: Connect to Cluster...');
    await wb.waitForText(page!.locator('.quick-input-widget .quick-input-title'), /^PodNet: Connect to Cluster$/, 60_000);
    await wb.pickQuickItem(page!, 'unreachable');
    const text = await wb.waitForNotification(page!, /^Could not connect to the cluster: /, 120_000);
    assert.match(text, /127\.0\.0\.1:9/, 'the message names the server');
    assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
    const toast = page!.locator('.notifications-toasts .notification-toast').filter({ hasText: /Could not connect to the cluster/ });
    assert.equal(await toast.getByRole('button', { name: 'Select Another Context' }).count(), 1);
    await wb.screenshot(page!, 'cluster-unreachable');
  });
});
