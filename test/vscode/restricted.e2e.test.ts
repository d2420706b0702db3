/**
 * PodNet in Restricted Mode (an untrusted folder): snapshots still open and show in the tree, lab-starting commands
 * are refused, and a broken lab.yaml in the folder gets its errors in the Problems panel with line numbers.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { prepareE2e } from '../support/e2e';
import * as wb from '../support/workbench';

const PROJECT = resolve(__dirname, '..', '..');


describe('PodNet in Restricted Mode (code-server + Chromium)', function () {
  this.timeout(180_000);
  let root = '';
  let workspace = '';
  let server: CodeServer | undefined;
  let page: Page | undefined;

  before(async function () {
    prepareE2e(this);
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-restricted-'));
    workspace = join(root, 'workspace');
    mkdirSync(join(workspace, 'broken-pack', 'steps'), { recursive: true });
    copyFileSync(join(PROJECT, 'test', 'fixtures', 'snapshots', 'article.json'), join(workspace, 'article.snapshot.json'));
    writeFileSync(join(workspace, 'broken-pack', 'steps', 'one.md'), '# One\n');
    writeFileSync(join(workspace, 'broken-pack', 'lab.yaml'), [
      'id: broken', 'title: A broken pack', 'version: 1.0.0', 'author: test', 'minutes: 1',
      'topology:', '  nodes:', '    - name: node1', 'steps:', '  - id: one', '    title: One', '    file: steps/one.md',
      '    actions: []', '    checks:', '      - type: teleport', '        pod: pod-a', '    hints: []', '',
    ].join('\n'));
    server = await startCodeServer({
      workspace, vsix: join(PROJECT, 'dist', 'podnet-lab.vsix'), extensionsDir: join(root, 'extensions'), userDataDir: join(root, 'user-data'),
      workspaceTrust: true, colorTheme: 'Default Dark Modern', settings: { 'podnet.lab': `e2e-restricted-${process.pid}` },
    });
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(30_000);
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('says in the PodNet view that starting a lab needs trust, and offers to open a snapshot', async () => {
    await wb.openView(page!, 'PodNet');
    const text = await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /Restricted Mode/);
    assert.match(text, /Open Snapshot/);
  });

  it('opens a snapshot read-only: the tree shows its Pods with their IPs', async () => {
    // Open the file, then ask PodNet to show it (the same command the Explorer's context menu offers for .json files).
    await wb.commandPalette(page!, 'Go to File');
    await wb.pickQuickItem(page!, 'Go to File...');
    await wb.typeQuickInput(page!, 'article.snapshot.json');
    await wb.pickQuickItem(page!, 'article.snapshot.json');
    await page!.locator('.tabs-container .tab', { hasText: 'article.snapshot.json' }).waitFor({ timeout: 15_000 });
    await wb.runCommand(page!, 'PodNet: Open This File as a PodNet Snapshot');
    await wb.waitForText(wb.viewPane(page!, 'Network').locator('.pane-body'), /snapshot article\.snapshot\.json/, 20_000);
    const rows = await wb.treeItems(page!, 'Network');
    const snapshot = JSON.parse(readFileSync(join(workspace, 'article.snapshot.json'), 'utf8')) as { cluster: { pods: { name: string; ip: string }[] } };
    for (const p of snapshot.cluster.pods) assert.ok(rows.some((r) => r.label === p.name && r.description.startsWith(p.ip)), `${p.name} ${p.ip} in ${JSON.stringify(rows)}`);
    assert.match(rows[0].description, /read-only/);
    const diagram = await wb.webviewFrame(page!, 'PodNet Diagram');
    await diagram.locator('g[data-id="ns:pod/pod-a"]').waitFor({ timeout: 20_000 });
    await wb.screenshot(page!, 'restricted-snapshot');
  });

  it('shows a broken lab.yaml\'s errors in the Problems panel with their lines', async () => {
    await wb.runCommand(page!, 'View: Toggle Problems');
    // Open the file the way a user would: Go to File, its name, Enter.
    await wb.commandPalette(page!, 'Go to File');
    await wb.pickQuickItem(page!, 'Go to File...');
    await wb.typeQuickInput(page!, 'broken-pack/lab.yaml');
    await wb.pickQuickItem(page!, 'lab.yaml');
    await page!.locator('.tabs-container .tab', { hasText: 'lab.yaml' }).waitFor({ timeout: 15_000 });
    const problems = page!.locator('.markers-panel');
    const text = await wb.waitForText(problems, /teleport/, 30_000);
    assert.match(text, /unknown check type/i);
    assert.match(text, /\[Ln 15, Col \d+\]/);
    const diagram = await wb.webviewFrame(page!, 'PodNet Diagram');
    assert.equal(await diagram.locator('g[data-id="ns:pod/pod-a"]').count(), 1, 'the diagram stays drawn while focus moves to another editor');
    await wb.screenshot(page!, 'restricted-problems');
  });
});
