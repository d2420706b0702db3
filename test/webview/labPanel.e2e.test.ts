/**
 * The lab panel webview in real Chromium: the built bundle (dist/webview/labs.js) in a page like the extension's
 * (strict CSP, fake acquireVsCodeApi, VS Code theme variables), fed the host's typed messages.
 * Build first: node scripts/build-webview.mjs. Screenshots go to test-artifacts/webview/labpanel-*.png.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostToLabPanel, LabPanelToHost, LabView } from '../../src/webview/labs/protocol';
import { startBrowserHarness, WEBVIEW_ARTIFACTS, type Harness, type Theme } from './harness';
import { listMessage, ownIpLab, SHELL_ACTION } from './labPanelFixture';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = WEBVIEW_ARTIFACTS;
const BUNDLE = join(ROOT, 'dist', 'webview', 'labs.js');

describe('lab panel webview in Chromium', function () {
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
      await p.close();
      assert.deepEqual(problems, [], 'no Content-Security-Policy violations');
    }
    assert.deepEqual(errors.splice(0), [], 'no page errors or dialogs');
  });

  async function open(theme: Theme = 'dark', width = 1200): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width, height: 860 } });
    pages.push(page);
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      errors.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(harness!.url(theme, 'labs'));
    await page.waitForFunction(() => (window as unknown as { __posted?: { type: string }[] }).__posted?.some((m) => m.type === 'ready'));
    return page;
  }

  const posted = (page: Page): Promise<LabPanelToHost[]> => page.evaluate(() => (window as unknown as { __posted: LabPanelToHost[] }).__posted);
  /** Posts `m` like the host does and resolves once the panel's own message listener (registered first) has run. */
  const send = (page: Page, m: HostToLabPanel) =>
    page.evaluate(
      (msg) =>
        new Promise<void>((resolve) => {
          window.addEventListener('message', () => setTimeout(resolve, 0), { once: true });
          window.postMessage(msg, '*');
        }),
      m,
    );
  const count = (page: Page, selector: string) => page.evaluate((sel) => document.querySelectorAll(sel).length, selector);
  const shot = async (page: Page, name: string) => {
    // From the top and without a stray focus ring, so the sticky navigator and the buttons look as they do at rest.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, `labpanel-${name}.png`), fullPage: true });
  };
  const last = async (page: Page, type: LabPanelToHost['type']) => (await posted(page)).filter((m) => m.type === type).pop();

  async function openLab(page: Page, lab: LabView = ownIpLab(), step = lab.steps[0].id, passedSteps: string[] = []): Promise<void> {
    await send(page, listMessage());
    await send(page, { type: 'open', lab, step, passedSteps });
    await page.waitForSelector(`article.step-page[data-step="${step}"]`);
  }

  it('lists the built-in and workspace labs with their progress, and a pack that could not be read', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const page = await open(theme);
      await send(page, listMessage());
      await page.waitForSelector('.lab-card');
      const cards = page.locator('.lab-card');
      assert.equal(await cards.count(), 2);
      const first = await cards.nth(0).innerText();
      assert.match(first, /Every Pod gets its own IP/);
      assert.match(first, /8 min/);
      assert.match(first, /prove that each Pod has an address of its own/);
      assert.match(first, /1 of 3 steps passed/);
      assert.match(await cards.nth(1).innerText(), /All 2 steps passed/);
      assert.deepEqual(await page.locator('.lab-card progress').evaluateAll((ps) => ps.map((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])), [[1, 3], [2, 2]]);
      assert.equal(await page.locator('.lab-card vscode-button[data-open]').count(), 2);
      const problem = await page.locator('.problem').innerText();
      assert.match(problem, /labs\/broken-lab\/lab\.yaml/);
      assert.match(problem, /"\|" outside quotes would be shell syntax/);
      assert.equal(await page.locator('[data-testid="trust-notice"]').count(), 0, 'no notice in a trusted workspace');
      await shot(page, `list-${theme}`);
    }
  });

  it('says that starting labs and running actions need a trusted workspace in Restricted Mode', async () => {
    const page = await open('dark', 560);
    await send(page, listMessage(false));
    await page.waitForSelector('[data-testid="trust-notice"]');
    assert.match(await page.locator('[data-testid="trust-notice"]').innerText(), /trusted workspace/);
    await shot(page, 'list-untrusted-narrow-dark');
    await send(page, { type: 'open', lab: ownIpLab(), step: 'inside', passedSteps: ['list'] });
    await page.waitForSelector('.lab-page [data-testid="trust-notice"]');
    await shot(page, 'lab-untrusted-narrow-dark');
    await send(page, listMessage(true));
    assert.equal(await page.locator('.lab-page [data-testid="trust-notice"]').isVisible(), false, 'granting trust hides the notice');
  });

  it('Open posts openLab with the lab id, and the lab view remembers {view, labId}', async () => {
    const page = await open('dark');
    await send(page, listMessage());
    await page.locator('vscode-button[data-open="team-service"]').click();
    assert.deepEqual(await last(page, 'openLab'), { type: 'openLab', id: 'team-service' });
    await send(page, { type: 'open', lab: ownIpLab(), step: 'list', passedSteps: [] });
    await page.waitForSelector('.lab-title');
    assert.deepEqual(await page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null')), { view: 'lab', labId: 'own-ip' });
  });

  it("shows step 1's page and each action's exact argv; Run posts runAction with the step and action ids", async () => {
    const page = await open('dark');
    await openLab(page);
    assert.equal(await page.locator('.lab-title').innerText(), 'Every Pod gets its own IP');
    assert.equal(await page.locator('.step-content h1').innerText(), 'List the Pods with their IPs');
    assert.equal(await page.locator('.step-content table td code').first().innerText(), '10.244.1.0/24', 'the Markdown table came through');
    assert.match(await page.locator('.eyebrow').innerText(), /Step 1 of 3/i);
    const argv = await page.locator('[data-testid="argv"]').allInnerTexts();
    assert.deepEqual(argv, ['podnet get pods -o wide', `podnet exec pod-a -- sh -c "ip -4 addr | grep -c 'inet '"`]);
    assert.equal(await page.locator('.action[data-action="pods"] .shell-badge').count(), 0);
    assert.match(await page.locator(`.action[data-action="${SHELL_ACTION.id}"] .shell-badge`).innerText(), /runs a shell/);
    await page.locator('.action[data-action="pods"] vscode-button[data-run]').click();
    assert.deepEqual(await last(page, 'runAction'), { type: 'runAction', step: 'list', action: 'pods' });
    await page.locator(`vscode-button[data-run="${SHELL_ACTION.id}"]`).click();
    assert.deepEqual(await last(page, 'runAction'), { type: 'runAction', step: 'list', action: SHELL_ACTION.id });
  });

  it('checking then checks turn the icons into a spinner, then pass and fail with messages; a passed step gets a banner', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const page = await open(theme);
      await openLab(page);
      const icons = () => page.locator('.check').evaluateAll((lis) => lis.map((li) => li.className.replace('check ', '')));
      assert.deepEqual(await icons(), ['pending', 'pending']);
      await page.locator('vscode-button[data-testid="check-step"]').click();
      assert.deepEqual(await last(page, 'checkStep'), { type: 'checkStep', step: 'list' });
      await send(page, { type: 'checking', step: 'list' });
      assert.deepEqual(await icons(), ['running', 'running']);
      assert.equal(await page.locator('.check.running .codicon-loading.codicon-modifier-spin').count(), 2);
      await send(page, {
        type: 'checks',
        step: 'list',
        stepPassed: false,
        results: [
          { index: 0, passed: true, message: 'pod-a 10.244.1.2, pod-b 10.244.1.3, pod-c 10.244.2.2: all different' },
          { index: 1, passed: false, message: 'pod-c has 10.244.1.9, outside 10.244.2.0/24' },
        ],
      });
      assert.deepEqual(await icons(), ['passed', 'failed']);
      assert.equal(await page.locator('.check.passed .codicon-pass-filled').count(), 1);
      assert.equal(await page.locator('.check.failed .codicon-error').count(), 1);
      assert.match(await page.locator('.check.failed .check-message').innerText(), /outside 10\.244\.2\.0\/24/);
      await page.waitForFunction(() => /1 of 2 checks passed/.test(document.querySelector('[data-testid="announcer"]')?.textContent ?? ''));
      assert.equal(await page.locator('[data-testid="passed-banner"]').isVisible(), false);
      await send(page, { type: 'checking', step: 'list' });
      await send(page, {
        type: 'checks',
        step: 'list',
        stepPassed: true,
        results: [
          { index: 0, passed: true, message: 'pod-a 10.244.1.2, pod-b 10.244.1.3, pod-c 10.244.2.2: all different' },
          { index: 1, passed: true, message: 'pod-c has 10.244.2.2, inside 10.244.2.0/24' },
        ],
      });
      await page.waitForSelector('[data-testid="passed-banner"]:visible');
      const next = page.locator('vscode-button[data-go="next"]');
      assert.equal(await next.getAttribute('secondary'), null, 'Next becomes the primary button');
      assert.match((await next.getAttribute('class')) ?? '', /highlight/);
      assert.equal(await page.locator('.step-link[data-step="list"].passed .codicon-pass-filled').count(), 1, 'the navigator ticks the step');
      await page.waitForFunction(() => /Step passed/.test(document.querySelector('[data-testid="announcer"]')?.textContent ?? ''));
      await page.locator('vscode-button[data-testid="show-hint"]').click();
      await send(page, { type: 'labState', state: 'running' });
      await send(page, { type: 'actionDone', step: 'list', action: 'pods', code: 0 });
      await shot(page, `lab-${theme}`);
    }
  });

  it('drops script, event handlers and javascript: links from a malicious step page, and runs nothing', async () => {
    const page = await open('dark');
    const lab = ownIpLab();
    lab.steps[0].html = [
      '<h1>Evil step</h1>',
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">click me</a>',
      '<a href=" JaVaScRiPt:alert(2)">and me</a>',
      '<p onclick="alert(3)" style="color:red">styled <b onmouseover="alert(4)">bold</b></p>',
      '<iframe src="https://example.com"></iframe><style>body{display:none}</style>',
      '<svg><script>alert(5)</script></svg><object data="x"></object>',
      '<form action="https://example.com"><input name="q"></form>',
      '<a href="https://kubernetes.io/docs/concepts/cluster-administration/networking/">the Kubernetes network model</a>',
      '<a href="#top">top</a>',
    ].join('\n');
    await openLab(page, lab);
    await page.waitForTimeout(300);
    const content = page.locator('.step-content');
    // querySelectorAll, not locators: Playwright's CSS pierces the vscode-elements' shadow roots, which are not ours.
    assert.equal(await count(page, '#app script'), 0, 'no script element');
    assert.equal(await count(page, '#app [onerror], #app [onclick], #app [onmouseover]'), 0, 'no event handler attributes');
    assert.equal(await count(page, '#app [style]'), 0, 'no style attributes');
    assert.equal(await count(page, '#app a[href*="javascript" i]'), 0, 'no javascript: link');
    assert.equal(await count(page, '.step-content :is(iframe, style, object, svg, form, input, img)'), 0);
    // Chromium checks the CSP while parsing even the inert copy: it may report the inline handlers and styles it refused
    // there (nothing ran, and nothing else may be reported). Clear them so afterEach still guards every other test.
    const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.splice(0));
    for (const v of csp) assert.match(v, /^(script-src-attr|style-src-attr|style-src-elem) inline$/, `only inline refusals: ${v}`);
    const links = await content.locator('a[href]').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]));
    assert.deepEqual(links, [
      ['https://kubernetes.io/docs/concepts/cluster-administration/networking/', 'noopener noreferrer'],
      ['#top', 'noopener noreferrer'],
    ]);
    assert.match(await content.innerText(), /click me/, 'the text of a refused link stays');
    assert.match(await content.innerText(), /styled bold/);
  });

  it('reveals hints one at a time', async () => {
    const page = await open('dark');
    await openLab(page);
    const hints = page.locator('.hint');
    const button = page.locator('vscode-button[data-testid="show-hint"]');
    assert.equal(await hints.count(), 0, 'hints start hidden');
    assert.equal(await button.innerText(), 'Show a hint');
    await button.click();
    assert.equal(await hints.count(), 1);
    assert.match(await hints.nth(0).innerText(), /IP column shows one address per Pod/);
    assert.equal(await button.innerText(), 'Show another hint');
    assert.match(await page.locator('.hint-count').innerText(), /1 of 3/);
    await button.click();
    assert.equal(await hints.count(), 2);
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await hints.count(), 3);
    assert.equal(await button.isVisible(), false, 'no button once every hint shows');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('hint')), true, 'focus moves to the last hint');
    await page.locator('vscode-button[data-go="next"]').click();
    await page.locator('vscode-button[data-go="previous"]').click();
    assert.equal(await hints.count(), 3, 'hints stay open when coming back to the step');
  });

  it('keyboard: Tab reaches Run with a visible focus ring, and Enter runs the action', async () => {
    const page = await open('dark');
    await openLab(page);
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'pods'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-run') ?? '');
    }
    assert.equal(focused, 'pods', 'Tab reaches the first Run button');
    const ring = await page.evaluate(() => {
      const base = document.activeElement?.shadowRoot?.querySelector('[part="base"]') ?? document.activeElement;
      const s = getComputedStyle(base!);
      return `${s.outlineStyle} ${s.outlineColor}`;
    });
    assert.match(ring, /solid rgb\(0, 120, 212\)/, 'focus ring in --vscode-focusBorder');
    await page.keyboard.press('Enter');
    assert.deepEqual(await last(page, 'runAction'), { type: 'runAction', step: 'list', action: 'pods' });
  });

  it('the navigator and Previous/Next move between steps and post gotoStep; passed steps have a check mark', async () => {
    const page = await open('dark');
    await openLab(page, ownIpLab(), 'list', ['list']);
    assert.equal(await page.locator('.step-link.passed').count(), 1);
    assert.equal(await page.locator('.step-link[aria-current="step"]').getAttribute('data-step'), 'list');
    assert.match(await page.locator('.nav-progress').innerText(), /1 of 3 steps passed/);
    await page.locator('vscode-button[data-go="next"]').click();
    assert.deepEqual(await last(page, 'gotoStep'), { type: 'gotoStep', step: 'inside' });
    assert.equal(await page.locator('.step-content h1').innerText(), 'Ask a Pod for its own address');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-go')), 'next', 'focus stays on Next');
    await page.locator('.step-link[data-step="node"]').click();
    assert.deepEqual(await last(page, 'gotoStep'), { type: 'gotoStep', step: 'node' });
    assert.equal(await page.locator('vscode-button[data-go="next"]').getAttribute('disabled'), '', 'no Next on the last step');
    await page.locator('vscode-button[data-go="previous"]').click();
    assert.equal(await page.locator('article.step-page').getAttribute('data-step'), 'inside');
    assert.equal(await page.locator('.step-link[aria-current="step"]').getAttribute('data-step'), 'inside');
  });

  it('shows the lab state and posts the header commands; Back to list shows the list again', async () => {
    const page = await open('dark');
    await openLab(page);
    const state = page.locator('[data-testid="lab-state"]');
    const disabled = (c: string) => page.locator(`vscode-button[data-command="${c}"]`).evaluate((b) => b.hasAttribute('disabled'));
    assert.match(await state.innerText(), /stopped/i);
    assert.equal(await disabled('stopLab'), true);
    await page.locator('vscode-button[data-command="startLab"]').click();
    await send(page, { type: 'labState', state: 'starting', message: 'Building node1…' });
    assert.match(await state.innerText(), /starting/i);
    assert.match(await page.locator('.state-message').innerText(), /Building node1/);
    assert.equal(await disabled('startLab'), true);
    await send(page, { type: 'labState', state: 'running' });
    assert.equal(await disabled('startLab'), true);
    assert.equal(await disabled('stopLab'), false);
    await page.locator('vscode-button[data-command="stopLab"]').click();
    await page.locator('vscode-button[data-command="resetLab"]').click();
    await page.locator('vscode-button[data-command="openDiagram"]').click();
    await page.locator('button[data-command="backToList"]').click();
    const types = (await posted(page)).map((m) => m.type);
    assert.deepEqual(types.slice(-5), ['startLab', 'stopLab', 'resetLab', 'openDiagram', 'backToList']);
    await page.waitForSelector('.lab-card');
    assert.deepEqual(await page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null')), { view: 'list' });
  });

  it('Run on kind posts runOnKind, is busy while the run goes on, then shows the result; an embedded-only pack says why instead', async () => {
    const page = await open('dark');
    await openLab(page);
    const button = page.locator('vscode-button[data-command="runOnKind"]');
    await button.click();
    assert.equal((await posted(page)).at(-1)?.type, 'runOnKind');
    await send(page, { type: 'kindRun', state: 'running', cluster: 'podnet' });
    assert.equal(await button.evaluate((b) => b.hasAttribute('disabled')), true, 'no second run while one runs');
    assert.match(await page.locator('[data-testid="kind-run"]').innerText(), /Running every step on the kind cluster "podnet"/);
    await send(page, { type: 'checks', step: 'list', stepPassed: true, results: [{ index: 0, passed: true, message: 'three Pods' }] });
    await send(page, { type: 'kindRun', state: 'finished', cluster: 'podnet', passed: false, message: '"Own IP" did not pass on the kind cluster "podnet": 1 of 2 steps passed.' });
    assert.equal(await button.evaluate((b) => b.hasAttribute('disabled')), false);
    const note = page.locator('[data-testid="kind-run"]');
    assert.match(await note.innerText(), /did not pass on the kind cluster "podnet"/);
    assert.match((await note.getAttribute('class')) ?? '', /\bfailed\b/);
    await shot(page, 'run-on-kind');
    const other = await open('dark');
    await openLab(other, { ...ownIpLab(), kindIncompatible: 'its topology has a Docker-style NAT host, which is part of the embedded lab only' });
    assert.equal(await other.locator('vscode-button[data-command="runOnKind"]').count(), 0, 'no Run on kind for an embedded-only pack');
    assert.match(await other.locator('[data-testid="kind-incompatible"]').innerText(), /^Embedded lab only: its topology has a Docker-style NAT host/);
  });

  it('actionDone marks the Run button with its exit code for a while', async () => {
    const page = await open('dark');
    await openLab(page);
    await send(page, { type: 'actionDone', step: 'list', action: SHELL_ACTION.id, code: 1 });
    const chip = page.locator(`.action[data-action="${SHELL_ACTION.id}"] .exit-code`);
    await chip.waitFor({ state: 'visible' });
    assert.match(await chip.innerText(), /exit 1/);
    assert.match((await chip.getAttribute('class')) ?? '', /\bbad\b/);
    assert.equal(await page.locator(`vscode-button[data-run="${SHELL_ACTION.id}"]`).getAttribute('data-exit'), '1');
    await chip.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('after a reload in the lab view, posts ready then openLab for the remembered lab', async () => {
    const page = await open('dark');
    await openLab(page);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.length >= 2);
    assert.deepEqual((await posted(page)).slice(0, 2), [{ type: 'ready' }, { type: 'openLab', id: 'own-ip' }]);
    await send(page, listMessage());
    assert.match(await page.locator('#app').innerText(), /Opening the lab/, 'the list does not flash while the lab is coming');
    await send(page, { type: 'open', lab: ownIpLab(), step: 'inside', passedSteps: ['list'] });
    await page.waitForSelector('article.step-page[data-step="inside"]');
    await page.locator('vscode-button[data-testid="show-hint"]').click();
    await page.locator('vscode-button[data-testid="check-step"]').focus();
    await send(page, { type: 'open', lab: ownIpLab(), step: 'inside', passedSteps: ['list', 'inside'] });
    assert.equal(await page.locator('.hint').count(), 1, 'a repeated open of the same lab keeps the open hints');
    assert.equal(await page.locator('[data-testid="passed-banner"]').isVisible(), true, 'and takes the passed steps');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'check-step');
  });
});
