/**
 * The packaged extension in a real VS Code (code-server 4.139.1 driven by Debian's Chromium): it installs from the
 * .vsix, contributes its command to the palette, and the command answers. Needs dist/ built (`npm test` builds it);
 * installs code-server and Chromium on first run (scripts/setup-e2e.mjs). See docs/e2e.md.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { prepareE2e } from '../support/e2e';
import * as wb from '../support/workbench';

const PROJECT = resolve(__dirname, '..', '..');
const VSIX = join(PROJECT, 'dist', 'podnet-lab.vsix');
// A lab name nobody runs, so "no lab is running" holds even when a developer has a lab up.
const LAB = `e2e-none-${process.pid}`;


/** When the extension host activated our extension and why, from the extension host log. */
function activationLogLine(userDataDir: string): string | undefined {
  const logs = join(userDataDir, 'logs');
  for (const session of readdirSync(logs)) {
    for (const dir of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
      const file = join(logs, session, dir, 'remoteexthost.log');
      const line = readFileSync(file, 'utf8').split('\n').find((l) => l.includes('_doActivateExtension podnet-lab.podnet-lab'));
      if (line) return line.trim();
    }
  }
  return undefined;
}

describe('VS Code smoke (code-server + Chromium)', function () {
  this.timeout(180_000);
  let root = '';
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let t0 = 0;

  before(async function () {
    t0 = Date.now();
    prepareE2e(this);
    root = mkdtempSync(join(tmpdir(), 'podnet-e2e-'));
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'hello.txt'), 'a file for the Explorer\n');
    mkdirSync(join(workspace, 'sub'));
    writeFileSync(join(workspace, 'sub', 'inner.txt'), 'a file in a folder\n');
    server = await startCodeServer({
      workspace, vsix: VSIX, extensionsDir: join(root, 'extensions'), userDataDir: join(root, 'user-data'),
      colorTheme: 'Default Dark Modern', settings: { 'podnet.lab': LAB },
    });
    const w0 = Date.now();
    page = await wb.openWorkbench(server.url);
    console.log(`      e2e: vsix install ${server.installMs} ms, code-server start ${server.startMs} ms, workbench load ${Date.now() - w0} ms`);
  });

  after(async function () {
    this.timeout(30_000);
    await wb.closeWorkbench(page).catch((e) => console.error('closing Chromium failed:', e));
    await server?.stop();
    if (root && !process.env.PODNET_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    else if (root) console.log(`      e2e: kept ${root}`);
    console.log(`      e2e: suite took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('lists "PodNet: Show Lab Status" in the command palette', async () => {
    // Narrowed to 'PodNet: Show': the palette draws only the rows that fit, and PodNet has more commands than that.
    const items = await wb.commandPalette(page!, 'PodNet: Show');
    await wb.closeQuickInput(page!);
    assert.ok(items.includes('PodNet: Show Lab Status'), `palette shows: ${items.join(' | ')}`);
  });

  it('Show Lab Status says no lab is running when none is', async () => {
    await wb.runCommand(page!, 'PodNet: Show Lab Status');
    const text = await wb.waitForNotification(page!, /No PodNet lab.*is running/);
    assert.match(text, new RegExp(LAB));
    console.log(`      e2e: screenshot ${await wb.screenshot(page!, 'smoke-show-lab-status')}`);
  });

  it('reports how long the extension took to activate', async () => {
    const { text, ms } = await wb.extensionActivation(page!, 'podnet-lab');
    console.log(`      e2e: ${text} (Developer: Show Running Extensions); log: ${activationLogLine(join(root, 'user-data')) ?? 'no activation line'}`);
    console.log(`      e2e: screenshot ${await wb.screenshot(page!, 'smoke-running-extensions')}`);
    await page!.keyboard.press('Escape'); // the Running Extensions editor opens as a modal
    await page!.locator('.monaco-list[aria-label="Runtime Extensions"]').waitFor({ state: 'hidden', timeout: 10_000 });
    assert.ok(Number.isFinite(ms) && ms >= 0, `activation time not readable: ${JSON.stringify(text)}`);
  });

  it('the workbench helpers read and expand the Explorer tree of the workspace', async () => {
    await wb.openView(page!, 'Explorer');
    assert.deepEqual(await wb.treeItems(page!, 'workspace'), [
      { label: 'sub', description: '', level: 1, expanded: false },
      { label: 'hello.txt', description: '', level: 1, expanded: undefined },
    ]);
    await wb.expandTreeItem(page!, 'workspace', 'sub');
    const rows = await wb.treeItems(page!, 'workspace');
    assert.deepEqual(rows.map((r) => `${r.level} ${r.label}`), ['1 sub', '2 inner.txt', '1 hello.txt']);
  });
});
