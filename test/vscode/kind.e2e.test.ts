/**
 * Create kind Cluster in a real VS Code (code-server + Chromium) with the kind stand-in first on PATH: the stand-in
 * builds kind-shaped node containers in the test Docker engine and writes a kubeconfig for the kube-apiserver stand-in
 * (the real wire format), so the whole flow runs against real containers and a real kernel. From the palette: name,
 * network mode and topology pickers; kind's own stage lines in the progress notification and everything kind printed in
 * the "PodNet kind" output channel; Connect on the success notification shows pod-a, pod-b and pod-c with their IPs;
 * the lab panel's Run on kind runs a pack's steps there with the same check marks; Delete kind Cluster asks in a
 * modal naming the cluster, disconnects the views and removes the node containers.
 * Screenshots go to test-artifacts/e2e/kind-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { dockerEngineForTest, type DockerEngine } from '../support/docker/engine';
import { prepareE2e, VSIX } from '../support/e2e';
import { installKindStandIn, type KindStandIn } from '../support/kindStandIn/install';
import * as wb from '../support/workbench';

/**
 * code-server with the extension for lab `lab`, a workspace under `root` holding `files`, and the kind stand-in's environment
 * (PATH with the stand-in first, its Docker engine, kubeconfig and state, plus `extraKeys`).
 */
async function startWithKindStandIn(
  root: string, kind: KindStandIn, lab: string, extraKeys: string[], files: Record<string, string> = {},
): Promise<CodeServer> {
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(workspace, file), text);
  // The server resolves the extension host's environment from a login shell, whose /etc/profile resets PATH (and so
  // would hide the stand-in); VSCODE_CLI=1 is VS Code's own "the environment is already the user's" switch.
  const env: Record<string, string> = { VSCODE_CLI: '1' };
  for (const k of ['PATH', 'DOCKER_HOST', 'KUBECONFIG', 'KIND_STANDIN_STATE', ...extraKeys]) env[k] = kind.env[k] ?? '';
  return startCodeServer({
    workspace, vsix: VSIX, extensionsDir: join(root, 'extensions'), userDataDir: join(root, 'user-data'), colorTheme: 'Default Dark Modern',
    settings: { 'podnet.lab': lab }, env,
  });
}

/** What the extension wrote to its "PodNet kind" output channel (VS Code keeps output channels as log files). */
function kindLog(root: string): string {
  const logs = join(root, 'user-data', 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('PodNet kind.log'));
  return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
}

/** Starts recording every notification message text the page shows from now on (progress messages change in place). */
async function recordNotifications(page: Page): Promise<() => Promise<string[]>> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
  await page.evaluate(`(() => {
    const seen = new Set();
    window.__seenNotes = seen;
    new MutationObserver(() => document.querySelectorAll('.notifications-toasts .notification-list-item-message').forEach((e) => seen.add((e.textContent || '').trim())))
      .observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  return () => page.evaluate(() => [...(window as unknown as { __seenNotes: Set<string> }).__seenNotes]);
}

describe('PodNet in VS Code: Create and Delete kind Cluster with the kind stand-in (code-server + Chromium, node containers in the test Docker engine)', function () {
  this.timeout(600_000);
  const name = `pe2ek${process.pid % 100_000}`;
  let root = '';
  let engine: DockerEngine;
  let kind: KindStandIn | undefined;
  let server: CodeServer | undefined;
  let page: Page | undefined;

  before(async function () {
    prepareE2e(this);
    engine = await dockerEngineForTest(this);
    kind = installKindStandIn(engine);
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-kind-'));
    server = await startWithKindStandIn(root, kind, `e2e-kind-${process.pid}`, [], { 'notes.md': '# kind notes\n' });
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(180_000);
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    await kind?.cleanup();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it("creates a kind cluster from the palette: kind's stage lines in the notification, all its output in \"PodNet kind\"", async () => {
    await wb.openView(page!, 'PodNet');
    await wb.commandPalette(page!, 'PodNet: Create kind Cluster...');
    await wb.pickQuickItem(page!, 'PodNet: Create kind Cluster...');
    const title = page!.locator('.quick-input-widget .quick-input-title');
    await wb.waitForText(title, /^PodNet: Create kind Cluster \(1\/3\): name$/, 60_000).catch(async (e: Error) => {
      await wb.screenshot(page!, 'kind-create-no-picker');
      throw new Error(`${e.message}; notifications: ${JSON.stringify(await wb.notifications(page!))}`, { cause: e });
    });
    assert.equal(await page!.locator('.quick-input-widget .quick-input-box input').inputValue(), 'podnet', 'the default name is offered');
    await wb.typeQuickInput(page!, name);
    await page!.keyboard.press('Enter');
    await wb.waitForText(title, /\(2\/3\): network$/, 15_000);
    const modes = await wb.quickItems(page!); // each mode's one-line detail is a label of its own row part
    assert.deepEqual(modes.filter((m) => m === 'kindnet' || m === 'bridge'), ['kindnet', 'bridge'], "kind's default first");
    assert.ok(modes.some((m) => /no bridge/.test(m)) && modes.some((m) => /cbr0/.test(m)), `each mode says what it means (${JSON.stringify(modes)})`);
    await wb.pickQuickItem(page!, 'kindnet');
    await wb.waitForText(title, /\(3\/3\): topology$/, 15_000);
    assert.equal((await wb.quickItems(page!))[0], "The article's cluster");
    const seen = await recordNotifications(page!);
    const t0 = Date.now();
    await wb.pickQuickItem(page!, "The article's cluster");
    const ready = await wb.waitForNotification(page!, new RegExp(`kind cluster "${name}" is ready \\(kindnet\\); context kind-${name}`), 480_000).catch(async (e: Error) => {
      await wb.screenshot(page!, 'kind-create-failed');
      throw new Error(`${e.message}; PodNet kind log: ${kindLog(root)}`, { cause: e });
    });
    console.log(`      e2e: ${ready} (${Date.now() - t0} ms)`);
    const notes = await seen();
    // The workbench redraws a progress message at most every few frames, so a stage that lasts a moment may never be drawn:
    // most of kind's stages, in kind's order, and PodNet's own steps must be; the log below has every line.
    const stages = ['Ensuring node image', 'Preparing nodes', 'Writing configuration', 'Starting control-plane', 'Installing CNI', 'Installing StorageClass', 'Joining worker nodes'];
    const shown = stages.filter((st) => notes.some((n) => n.includes(`kind: ${st}`) || n.includes(`kind: ✓ ${st}`)));
    assert.ok(shown.length >= 3, `the notification showed kind's own stage lines (${JSON.stringify(notes)})`);
    assert.ok(notes.some((n) => /kind: ✓ /.test(n)), 'with a check mark for a finished stage');
    assert.ok(notes.some((n) => /PodNet: waiting for every Pod to run/.test(n)), "and PodNet's own steps");
    const log = kindLog(root);
    for (const line of [' ✓ Ensuring node image', ' ✓ Preparing nodes', ' ✓ Starting control-plane', ' ✓ Joining worker nodes', ' • creating 3 Pods', `ready: context kind-${name}`]) assert.ok(log.includes(line), `"PodNet kind" has ${JSON.stringify(line)}:\n${log}`);
    assert.ok(kind!.calls().some((c) => c[0] === 'create' && c.includes(name)), 'the stand-in was asked to create it');
    await wb.screenshot(page!, 'kind-created');
  });

  it('Connect on the success notification shows pod-a, pod-b and pod-c with their IPs in the views', async () => {
    const toast = page!.locator('.notifications-toasts .notification-toast').filter({ hasText: /is ready/ });
    await toast.getByRole('button', { name: 'Connect' }).click();
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), new RegExp(`cluster kind-${name}`), 180_000);
    await wb.waitForText(wb.viewPane(page!, 'Pods').locator('.pane-body'), /default\/pod-c/, 30_000);
    const rows = new Map((await wb.treeItems(page!, 'Pods')).map((r) => [r.label, r.description]));
    const ips = ['pod-a', 'pod-b', 'pod-c'].map((p) => {
      const d = rows.get(`default/${p}`) ?? '<no row>';
      assert.match(d, /^10\.244\.\d+\.\d+ · Running/, `default/${p} shows its Pod IP`);
      return d.split(' ')[0];
    });
    assert.equal(new Set(ips).size, 3, 'three Pods, three addresses');
    await wb.screenshot(page!, 'kind-connected');
  });

  it('runs "Every Pod gets its own IP" on the cluster from the lab panel: Run on kind, pick the cluster, the same check marks', async () => {
    await wb.runCommand(page!, 'PodNet: Open Labs');
    const panel = await wb.webviewFrame(page!, 'PodNet Labs');
    await panel.locator('vscode-button[data-open="own-ip"]').click();
    await panel.locator('vscode-button[data-command="runOnKind"]').click();
    await wb.waitForText(page!.locator('.quick-input-widget .quick-input-title'), /^Run "Every Pod gets its own IP" on kind$/, 60_000);
    const items = await wb.quickItems(page!);
    assert.equal(items[0], name, 'the cluster the views show comes first');
    assert.ok(items.includes('Create a kind cluster…'), 'creating one is offered too');
    await wb.pickQuickItem(page!, name);
    const note = panel.locator('[data-testid="kind-run"]');
    const t0 = Date.now();
    const text = await wb.waitForText(note, /pass(ed)? on the kind cluster/, 300_000).catch(async (e: Error) => {
      await wb.screenshot(page!, 'kind-lab-run-failed');
      throw new Error(`${e.message}; notifications: ${JSON.stringify(await wb.notifications(page!))}`, { cause: e });
    });
    console.log(`      e2e: ${text} (${Date.now() - t0} ms)`);
    assert.match(text, /^"Every Pod gets its own IP" passed on the kind cluster/);
    assert.ok((await panel.locator('.check.passed').count()) >= 1, 'the shown step has its checks marked passed');
    assert.equal(await panel.locator('.check.failed').count(), 0);
    await wb.screenshot(page!, 'kind-lab-panel');
  });

  it('deletes the cluster after a modal naming it, disconnecting the views first and removing its node containers', async () => {
    await wb.commandPalette(page!, 'PodNet: Delete kind Cluster...');
    await wb.pickQuickItem(page!, 'PodNet: Delete kind Cluster...');
    await wb.waitForText(page!.locator('.quick-input-widget .quick-input-title'), /^PodNet: Delete kind Cluster$/, 60_000);
    assert.equal((await wb.quickItems(page!))[0], name, 'the cluster the views show comes first');
    await wb.pickQuickItem(page!, name);
    const dialog = page!.locator('.monaco-dialog-box');
    await wb.waitForText(dialog, new RegExp(`Delete the kind cluster "${name}"\\?`), 15_000);
    await wb.screenshot(page!, 'kind-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const gone = async () => (await engine.dockerOk(['ps', '-a', '-q', '--filter', `label=io.x-k8s.kind.cluster=${name}`])).stdout.trim() === '';
    const deadline = Date.now() + 180_000;
    while (!(await gone())) {
      assert.ok(Date.now() < deadline, `the node containers of ${name} are still there`);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(kind!.calls().some((c) => c[0] === 'delete' && c.includes(name)), 'kind delete cluster was called');
    assert.doesNotMatch(await wb.viewText(page!, 'Network'), new RegExp(`cluster kind-${name}`), 'the views no longer show it');
    // The containers go before kind delete returns, and the output channel reaches its log file later still: wait for the line.
    const logged = new RegExp(`deleting kind cluster "${name}"\\ndeleted`);
    const logDeadline = Date.now() + 30_000;
    while (!logged.test(kindLog(root)) && Date.now() < logDeadline) await new Promise((r) => setTimeout(r, 250));
    assert.match(kindLog(root), logged);
  });

  it('reports the activation time VS Code measured (no kind or Kubernetes code at activation)', async () => {
    const act = await wb.extensionActivation(page!, 'podnet-lab');
    console.log(`      e2e: activation ${act.text}`);
    assert.ok(Number.isFinite(act.ms), act.text);
  });
});

describe('PodNet in VS Code: a kind create that fails half-way (the kind stand-in fails at "Joining worker nodes")', function () {
  this.timeout(600_000);
  const name = `pe2ef${process.pid % 100_000}`;
  let root = '';
  let engine: DockerEngine;
  let kind: KindStandIn | undefined;
  let server: CodeServer | undefined;
  let page: Page | undefined;

  before(async function () {
    prepareE2e(this);
    engine = await dockerEngineForTest(this);
    kind = installKindStandIn(engine, { KIND_STANDIN_FAIL_AT: 'Joining worker nodes' });
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-kindfail-'));
    server = await startWithKindStandIn(root, kind, `e2e-kindfail-${process.pid}`, ['KIND_STANDIN_FAIL_AT']);
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(180_000);
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    await kind?.cleanup();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it("shows kind's error in one sentence, without a stack trace, and deletes the half-made cluster", async () => {
    await wb.commandPalette(page!, 'PodNet: Create kind Cluster...');
    await wb.pickQuickItem(page!, 'PodNet: Create kind Cluster...');
    const title = page!.locator('.quick-input-widget .quick-input-title');
    await wb.waitForText(title, /\(1\/3\): name$/, 60_000);
    await wb.typeQuickInput(page!, name);
    await page!.keyboard.press('Enter');
    await wb.waitForText(title, /\(2\/3\): network$/, 15_000);
    await wb.pickQuickItem(page!, 'kindnet');
    await wb.waitForText(title, /\(3\/3\): topology$/, 15_000);
    await wb.pickQuickItem(page!, "The article's cluster");
    const text = await wb.waitForNotification(page!, /^Could not create the kind cluster: /, 300_000);
    console.log(`      e2e: ${text}`);
    assert.match(text, new RegExp(`kind could not create the cluster "${name}": .*stand-in failure injected at "Joining worker nodes"`));
    assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
    assert.ok(kind!.calls().some((c) => c[0] === 'delete' && c.includes(name)), 'the half-made cluster was deleted');
    assert.equal((await engine.dockerOk(['ps', '-a', '-q', '--filter', `label=io.x-k8s.kind.cluster=${name}`])).stdout.trim(), '', 'no node container is left');
    const log = kindLog(root);
    assert.ok(log.includes(' ✗ Joining worker nodes') && log.includes(`deleting the half-made cluster "${name}"`), `"PodNet kind" shows the failed stage and the clean-up:\n${log}`);
    await wb.screenshot(page!, 'kind-create-failed-cleanly');
  });
});
