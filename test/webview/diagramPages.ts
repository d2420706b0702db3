/**
 * Pages of the diagram webview for a test file: call inside `describe` to start Chromium and the harness before its
 * tests and to check after each test that no page had a CSP violation, an `error` message or a page error.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '../../src/snapshot/types';
import type { DiagramToHost, HostToDiagram } from '../../src/webview/diagram/protocol';
import { startBrowserHarness, WEBVIEW_ARTIFACTS, type Harness, type Theme } from './harness';

/** The webview's `rendered` report. */
export type Rendered = Extract<DiagramToHost, { type: 'rendered' }>;
/** A rectangle on screen. */
export type Rect = { x: number; y: number; width: number; height: number };

/** True when `inner` lies within `outer` (half a pixel of rounding allowed). */
export const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5
  && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

/** What a test uses to drive diagram pages. */
export interface DiagramPages {
  open(theme?: Theme, width?: number): Promise<Page>;
  posted(page: Page): Promise<DiagramToHost[]>;
  send(page: Page, m: HostToDiagram): Promise<void>;
  /** How many `rendered` messages the page posted so far. */
  renders(page: Page): Promise<number>;
  /** Waits for `rendered` number `before` (0-based) and returns it. */
  nextRendered(page: Page, before: number): Promise<Rendered>;
  /** Runs `act` and waits for the `rendered` message it causes. */
  after(page: Page, act: () => Promise<unknown>): Promise<Rendered>;
  /** Posts a snapshot and waits until it is drawn. */
  draw(page: Page, snapshot: Snapshot): Promise<Rendered>;
  /** The on-screen rectangle of an element's frame. */
  rect(page: Page, id: string): Promise<Rect>;
  shot(page: Page, name: string): Promise<void>;
}

const BUNDLE = join(__dirname, '..', '..', 'dist', 'webview', 'diagram.js');
type Win = { __posted: DiagramToHost[]; __csp: string[] };

/** Registers the hooks and returns the page helpers. */
export function diagramPages(): DiagramPages {
  let browser: Browser | undefined;
  let harness: Harness | undefined;
  let closeAll: (() => Promise<void>) | undefined;
  const pages: Page[] = [];
  const errors: string[] = [];
  before(async () => {
    ({ browser, harness, close: closeAll } = await startBrowserHarness(BUNDLE));
  });
  after(async () => closeAll?.());
  afterEach(async () => {
    for (const p of pages.splice(0)) {
      const problems = await p.evaluate(() => (window as unknown as Win).__csp).catch(() => []);
      const reported = (await h.posted(p).catch(() => [])).filter((m) => m.type === 'error');
      await p.close();
      assert.deepEqual(problems, [], 'no Content-Security-Policy violations');
      assert.deepEqual(reported, [], 'no error messages posted');
    }
    assert.deepEqual(errors.splice(0), [], 'no page errors or dialogs');
  });
  const h: DiagramPages = {
    async open(theme = 'dark', width = 1400) {
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      pages.push(page);
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        errors.push(`a dialog opened: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(harness!.url(theme));
      await page.waitForFunction(() => (window as unknown as Partial<Win>).__posted?.some((m) => m.type === 'ready'));
      return page;
    },
    posted: (page) => page.evaluate(() => (window as unknown as Win).__posted),
    send: async (page, m) => page.evaluate((msg) => window.postMessage(msg, '*'), m),
    renders: async (page) => (await h.posted(page)).filter((m) => m.type === 'rendered').length,
    async nextRendered(page, before) {
      await page.waitForFunction((n) => (window as unknown as Win).__posted.filter((m) => m.type === 'rendered').length > n, before);
      return (await h.posted(page)).filter((m): m is Rendered => m.type === 'rendered')[before];
    },
    async after(page, act) {
      const before = await h.renders(page);
      await act();
      return h.nextRendered(page, before);
    },
    draw: (page, snapshot) =>
      h.after(page, () => h.send(page, { type: 'snapshot', snapshot, source: { label: `snapshot ${snapshot.source.lab}`, live: false } })),
    rect: (page, id) =>
      page.locator(`g[data-id="${id}"] > rect.frame`).first().evaluate((r) => {
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    shot: async (page, name) => {
      await page.screenshot({ path: join(WEBVIEW_ARTIFACTS, `${name}.png`) });
    },
  };
  return h;
}
