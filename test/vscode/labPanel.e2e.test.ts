/**
 * A built-in lab pack in a real VS Code: open it from the palette, start its lab from the panel, run a step's action
 * (it runs in a terminal) and watch the step's checks turn green. Screenshot in test-artifacts/e2e/lab-panel.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { prepareE2e } from '../support/e2e';
import * as wb from '../support/workbench';

const PROJECT = resolve(__dirname, '..', '..');
const PACK_LAB = 'pack-own-ip';


function labDown(): void {
  spawnSync(process.execPath, [join(PROJECT, 'dist', 'cli.js'), 'lab', 'down', '--lab', PACK_LAB], { timeout: 30_000 });
}

describe('PodNet lab panel in VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let root = '';
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let panel: Frame;

  before(async function () {
    prepareE2e(this);
    labDown();
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-labs-'));
    mkdirSync(join(root, 'workspace'));
    server = await startCodeServer({
      workspace: join(root, 'workspace'), vsix: join(PROJECT, 'dist', 'podnet-lab.vsix'), extensionsDir: join(root, 'extensions'),
      userDataDir: join(root, 'user-data'), colorTheme: 'Default Light Modern', settings: { 'podnet.lab': `e2e-labs-${process.pid}` },
    });
    page = await wb.openWorkbench(server.url);
  });

  after(async function () {
    this.timeout(60_000);
    labDown();
    await wb.closeWorkbench(page).catch(() => undefined);
    await server?.stop();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('lists the built-in labs from the palette', async () => {
    await wb.runCommand(page!, 'PodNet: Open Labs');
    panel = await wb.webviewFrame(page!, 'PodNet Labs');
    await panel.locator('vscode-button[data-open="own-ip"]').waitFor({ timeout: 30_000 });
    const builtIn = readdirSync(join(PROJECT, 'labs')).filter((d) => existsSync(join(PROJECT, 'labs', d, 'lab.yaml')));
    assert.equal(await panel.locator('vscode-button[data-open]').count(), builtIn.length, `one Open button per built-in pack (${builtIn.join(', ')})`);
  });

  it('opens "Every Pod gets its own IP", starts its lab, runs a step action and sees the checks pass', async () => {
    await panel.locator('vscode-button[data-open="own-ip"]').click();
    await panel.locator('vscode-button[data-command="startLab"]').click();
    await wb.waitForText(panel.locator('.state-pill'), /running/i, 60_000);
    const run = panel.locator('vscode-button[data-run="pods"]');
    assert.match(await panel.locator('.action[data-action="pods"]').innerText(), /podnet get pods -o wide --lab pack-own-ip/);
    await run.click();
    await panel.locator('.check.passed').nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('.check.passed').count(), 2);
    assert.equal(await panel.locator('.check.failed').count(), 0);
    await wb.waitForText(page!.locator('.terminal-wrapper, .xterm').first(), /\$ podnet get pods -o wide --lab pack-own-ip/, 15_000).catch(() => undefined);
    await panel.locator('.check.passed').first().scrollIntoViewIfNeeded();
    await wb.screenshot(page!, 'lab-panel');
  });
});
