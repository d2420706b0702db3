/**
 * Playwright helpers for driving the code-server workbench in Debian's Chromium (never a downloaded browser).
 * Selectors are VS Code's own DOM classes; see docs/e2e.md.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Frame, type Locator, type Page } from 'playwright-core';
import { readManifest } from './codeServer';

/** Screenshots land here (gitignored). */
export const ARTIFACTS = resolve(__dirname, '..', '..', 'test-artifacts', 'e2e');

/** Flags for Debian's Chromium here: no sandbox as root, and nothing that reaches for the (closed) network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches Chromium, opens the workbench at url and waits until it is drawn. Close with closeWorkbench(page). */
export async function openWorkbench(url: string, opts: { timeoutMs?: number } = {}): Promise<Page> {
  const timeout = opts.timeoutMs ?? 60_000;
  // Chromium (and Debian's wrapper) write crash-report folders under $HOME/.config/chromium: a throwaway home keeps ~ untouched.
  const home = mkdtempSync(join(tmpdir(), 'podnet-chromium-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  const browser = await chromium.launch({ executablePath: readManifest()?.chromium.bin ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, env, headless: true, timeout }).catch((e) => {
    rmSync(home, { recursive: true, force: true });
    throw e;
  });
  browser.once('disconnected', () => rmSync(home, { recursive: true, force: true }));
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(30_000);
    await page.goto(url, { timeout });
    await page.locator('.monaco-workbench').waitFor({ timeout });
    // The activity bar and status bar come a little after the workbench element; wait for both.
    await page.locator('.part.activitybar, .part.statusbar').first().waitFor({ timeout });
    await page.locator('.part.statusbar').waitFor({ timeout });
    return page;
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Closes the page's browser (and with it Chromium's processes). */
export async function closeWorkbench(page: Page | undefined): Promise<void> {
  await page?.context().browser()?.close();
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Replaces the quick input's text (the command palette keeps its leading '>'). */
export async function typeQuickInput(page: Page, text: string): Promise<void> {
  const box = quickInput(page).locator('.quick-input-box input');
  await box.waitFor();
  await box.fill(text);
}

/** The labels of the rows the quick input shows now. */
export async function quickItems(page: Page): Promise<string[]> {
  const rows = quickInput(page).locator('.quick-input-list .monaco-list-row');
  return (await rows.locator('.label-name').allTextContents()).map((s) => s.trim());
}

/** Clicks the quick-input row whose label is exactly `label`. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const row = quickInput(page).locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact(label) }) });
  await row.first().click();
}

/**
 * Opens the command palette (F1), types `>text` and returns the labels it lists. Commands of extensions register a
 * moment after the workbench appears and an open palette does not refresh, so it reopens until one matches `text`
 * or `timeoutMs` runs out. The palette stays open.
 */
export async function commandPalette(page: Page, text: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new RegExp(escapeRegExp(text), 'i');
  for (;;) {
    await closeQuickInput(page);
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await typeQuickInput(page, `>${text}`);
    await waitForText(quickInput(page).locator('.quick-input-list'), wanted, 3000).catch(() => undefined);
    const items = await quickItems(page);
    if (items.some((i) => wanted.test(i)) || Date.now() > deadline) return items;
    await page.waitForTimeout(500);
  }
}

/** Closes the quick input (Escape) if it is open, and waits until it is gone. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Runs a command by its palette label, e.g. 'PodNet: Show Lab Status'. */
export async function runCommand(page: Page, label: string): Promise<void> {
  const items = await commandPalette(page, label);
  if (!items.includes(label)) {
    await closeQuickInput(page);
    throw new Error(`command "${label}" is not in the palette; it shows: ${items.join(' | ') || '(nothing)'}`);
  }
  await pickQuickItem(page, label);
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** Shows a view container by clicking its activity-bar item (aria-label starts with `name`). */
export async function openView(page: Page, name: string): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item[aria-label^="${cssString(name)}"], .part.activitybar .action-label[aria-label^="${cssString(name)}"]`).first();
  await item.waitFor();
  const selected = await item.evaluate((el) => (el.closest('.action-item') ?? el).classList.contains('checked'));
  if (!selected) await item.click();
  await page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(name), 'i') }).waitFor();
}

/** The side-bar view pane titled `viewTitle` (case-insensitive), or the only pane when the title is merged into the side bar's. */
export function viewPane(page: Page, viewTitle: string): Locator {
  const titled = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) });
  const single = page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(viewTitle), 'i') }).locator('xpath=ancestor::*[contains(@class,"part")][1]').locator('.pane');
  return titled.or(single).first();
}

/** A visible tree row: its label, description and nesting. */
export interface TreeRow {
  label: string;
  description: string;
  level: number;
  expanded?: boolean;
}

/** The rows a view's tree shows now (only rendered rows: a virtual list draws what fits). Throws when there is no such view. */
export async function treeItems(page: Page, viewTitle: string): Promise<TreeRow[]> {
  const pane = viewPane(page, viewTitle);
  await pane.waitFor({ timeout: 10_000 }).catch((e) => {
    throw new Error(`no view "${viewTitle}" in the side bar (open its container with openView first)`, { cause: e });
  });
  const rows = pane.locator('.pane-body .monaco-list-row');
  return rows.evaluateAll((els) =>
    els
      .map((el) => ({
        top: parseFloat((el as HTMLElement).style.top || '0'),
        label: el.querySelector('.label-name')?.textContent?.trim() ?? el.textContent?.trim() ?? '',
        description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
        level: Number(el.getAttribute('aria-level') ?? 1),
        expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : undefined,
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...row }) => row),
  );
}

/** The text a view shows now: its tree rows, or its welcome content ("No Pods to show yet." and button labels). */
export async function viewText(page: Page, viewTitle: string): Promise<string> {
  return viewPane(page, viewTitle).locator('.pane-body').innerText({ timeout: 10_000 });
}

/** Expands the tree row labelled `label` in `viewTitle` (no-op when it already is) and waits for it to open. */
export async function expandTreeItem(page: Page, viewTitle: string, label: string): Promise<void> {
  const row = viewPane(page, viewTitle).locator('.pane-body .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact(label) }) }).first();
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
    await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 10_000 });
  }
}

/**
 * The Frame holding a webview's own HTML. Each webview is `iframe.webview.ready` (VS Code's host page) with the
 * extension's document in its `#active-frame`. Select by the document's <title> / the iframe's title, or by index.
 */
export async function webviewFrame(page: Page, titleOrIndex: string | number, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = [];
    const outers = await page.locator('iframe.webview.ready').elementHandles();
    const inners: Frame[] = [];
    for (const outer of outers) {
      const host = await outer.contentFrame();
      const active = await host?.$('#active-frame');
      const inner = await active?.contentFrame();
      if (!inner) continue;
      const titles = [await inner.title().catch(() => ''), (await outer.getAttribute('title')) ?? ''];
      seen.push(titles.filter(Boolean).join(' / ') || '(untitled)');
      if (typeof titleOrIndex === 'string' && titles.includes(titleOrIndex)) return inner;
      inners.push(inner);
    }
    if (typeof titleOrIndex === 'number' && inners[titleOrIndex]) return inners[titleOrIndex];
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview ${JSON.stringify(titleOrIndex)} within ${timeoutMs} ms; webviews seen: ${seen.join(', ') || 'none'}`);
}

/** The messages of the notification toasts on screen now. */
export async function notifications(page: Page): Promise<string[]> {
  const msgs = page.locator('.notifications-toasts .notification-toast .notification-list-item-message');
  return (await msgs.allTextContents()).map((s) => s.trim());
}

/** Waits for a notification toast whose message matches `re`; returns its text. */
export async function waitForNotification(page: Page, re: RegExp, timeoutMs = 15_000): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: re }).first();
  await toast.waitFor({ timeout: timeoutMs }).catch(async (e) => {
    throw new Error(`no notification matching ${re} within ${timeoutMs} ms; shown: ${JSON.stringify(await notifications(page))}`, { cause: e });
  });
  return (await toast.textContent())?.trim() ?? '';
}

/**
 * The activation time VS Code measured for an activated extension (`name` as in its package.json), read from the
 * "Developer: Show Running Extensions" editor, which stays open for a screenshot. E.g. { text: 'Activation: 12ms', ms: 12 }.
 */
export async function extensionActivation(page: Page, name: string): Promise<{ text: string; ms: number }> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.monaco-list[aria-label="Runtime Extensions"]');
  await list.waitFor();
  const row = list.locator(`.monaco-list-row[aria-label="${cssString(name)}"]`);
  // A virtual list renders only the rows in view (sorted by activation time): scroll until ours is drawn.
  for (let i = 0; i < 40 && (await row.count()) === 0; i++) {
    await list.hover();
    await page.mouse.wheel(0, 350);
    await page.waitForTimeout(100);
  }
  if ((await row.count()) === 0) {
    const names = await list.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    throw new Error(`extension "${name}" is not among the running extensions (rows drawn: ${names.join(', ')})`);
  }
  await row.scrollIntoViewIfNeeded();
  const text = (await row.locator('.activation-time').innerText()).trim();
  const ms = Number(/([\d.]+)\s*ms/.exec(text)?.[1] ?? NaN);
  return { text, ms };
}

/** Saves a PNG of the page as test-artifacts/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/** Polls the locator's text until it matches `re`; returns the text, or throws with the last text seen. */
export async function waitForText(locator: Locator, re: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.first().innerText({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => last)) ?? '';
    if (re.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`text never matched ${re} within ${timeoutMs} ms; last text: ${JSON.stringify(last.slice(0, 500))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const exact = (s: string) => new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);
const cssString = (s: string) => s.replace(/["\\]/g, '\\$&');

/**
 * Runs PodNet: Trace Packet... from the palette and answers its quick picks. The command opens them at once, so it is
 * picked without waiting for the palette to close, and each answer waits for its picker's title, so a click never
 * lands on the list that is closing.
 */
export async function tracePacketFromPalette(page: Page, from: string, to: string, protocol = 'ICMP echo'): Promise<void> {
  await commandPalette(page, 'PodNet: Trace Packet...');
  await pickQuickItem(page, 'PodNet: Trace Packet...');
  const answer = async (title: RegExp, item: string) => {
    await waitForText(page.locator('.quick-input-widget .quick-input-title'), title, 15_000);
    await pickQuickItem(page, item);
  };
  await answer(/^Trace Packet: from$/, from);
  await answer(new RegExp(`^Trace Packet: from ${escapeRegExp(from)} to$`), to);
  await answer(/^Trace Packet: protocol$/, protocol);
}
