// Helper for scripts/bench.mjs: the VS Code extension's numbers that need a browser. Run through tsx:
//   node --import tsx scripts/bench-vscode.ts manifest              is code-server installed (test/support/codeServer.ts)?
//   node --import tsx scripts/bench-vscode.ts webview [RUNS]        diagram draw times in Chromium (test/webview/harness.ts)
//   node --import tsx scripts/bench-vscode.ts codeserver LAB [RUNS] activation time and extension-host memory in code-server
// `webview` draws the recorded snapshots (test/fixtures/traces/) RUNS times each in a fresh page (first draw) and RUNS
// times again in one page (redraws); the webview reports its own layout and draw times in its `rendered` message.
// `codeserver` starts code-server RUNS times with the packaged extension (dist/podnet-lab.vsix, fresh user data each
// time), opens the PodNet view (activation event onView) and reads "Developer: Show Running Extensions"; in the last
// start it also starts lab LAB from the palette and traces pod-a -> pod-c (ICMP), reading the extension host's RSS and
// PSS before, in between and after. Progress goes to stderr; the result is one line of JSON on stdout.
// Everything it starts (Chromium, code-server, the lab) is stopped in `finally`, and on SIGINT / SIGTERM.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Snapshot } from '../src/snapshot/types';
import type { TraceResult } from '../src/tracer/types';
import type { DiagramToHost, HostToDiagram } from '../src/webview/diagram/protocol';
import { E2E_CACHE, readManifest, startCodeServer, type CodeServer } from '../test/support/codeServer';
import * as wb from '../test/support/workbench';
import { cmdline, EXTHOST_MARKER, extensionHostPid, memory } from './bench-proc';
import { scaledCluster } from '../test/webview/clusterSnapshot';
import { startHarness, type Harness } from '../test/webview/harness';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const VSIX = join(ROOT, 'dist', 'podnet-lab.vsix');
/** The recorded snapshots drawn, see test/fixtures/traces/README.md. */
const SNAPSHOTS = [
  { id: 'article', file: 'test/fixtures/traces/article.snapshot.json' },
  { id: 'big', file: 'test/fixtures/traces/three-by-fifty.snapshot.json' },
  // Two subnets, the router, the outside client, vxlan nodes (flannel.1, the tunnel) and a Service box in each node.
  { id: 'overlay', file: 'test/fixtures/traces/overlay.snapshot.json' },
];
/** The trace drawn on the folded 150-Pod lab (recorded on the same lab as its snapshot). */
const BIG_TRACE = 'test/fixtures/traces/three-by-fifty-pod-1-01-pod-3-50.json';
const EXTENSION = 'podnet-lab';

type Rendered = Extract<DiagramToHost, { type: 'rendered' }>;
type Win = { __posted: DiagramToHost[]; __csp: string[] };

const log = (msg: string) => process.stderr.write(`bench-vscode: ${msg}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r1 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toFixed(1)) : null);
const stats = (xs: number[]) => ({
  median: r1(median(xs)), min: r1(xs.length ? Math.min(...xs) : NaN), max: r1(xs.length ? Math.max(...xs) : NaN), runs: xs.map(r1),
});

// ---- cleanup on signals ---------------------------------------------------------------------

const cleanups = new Set<() => Promise<void>>();
/** Set once a signal arrived: the cleanup it runs, after which the process exits 130. */
let stopping: Promise<void> | undefined;
async function cleanupAll(): Promise<void> {
  for (const fn of [...cleanups].reverse()) await fn().catch((e) => log(`cleanup failed: ${e?.message ?? e}`));
}
/**
 * Registers `fn` to run on SIGINT / SIGTERM as well; returns a function that runs it once: every caller (the signal
 * handler, the `finally` of the step) waits for that same run.
 */
function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  const once = () => (running ??= fn().finally(() => cleanups.delete(once)));
  cleanups.add(once);
  return once;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    log(`${sig}: stopping Chromium, code-server and the lab`);
    stopping = cleanupAll().finally(() => process.exit(130));
  });
}

/** Runs argv (no shell) with a timeout; resolves with the exit code and output. */
function run(argv: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Chromium (the e2e manifest's, else Debian's) with a throwaway HOME, as test/support/workbench.ts launches it. */
async function launchChromium(): Promise<Browser> {
  const home = mkdtempSync(join(tmpdir(), 'podnet-bench-chromium-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  const browser = await chromium.launch({ executablePath: readManifest()?.chromium.bin ?? '/usr/bin/chromium', args: wb.CHROMIUM_ARGS, env, headless: true, timeout: 60_000 }).catch((e) => {
    rmSync(home, { recursive: true, force: true });
    throw e;
  });
  browser.once('disconnected', () => rmSync(home, { recursive: true, force: true }));
  return browser;
}

// ---- webview --------------------------------------------------------------------------------

interface Draw { layoutMs: number; drawMs: number; totalMs: number; frameMs: number; namespaces: number; elements: number; pods: number; folded: number }

/** A fresh page of the harness, loaded until the diagram posted `ready`; also how long that took. */
async function openDiagram(browser: Browser, harness: Harness, errors: string[]): Promise<{ page: Page; readyMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  const t0 = performance.now();
  await page.goto(harness.url('dark'));
  await page.waitForFunction(() => (window as unknown as Win).__posted?.some((m) => m.type === 'ready'));
  return { page, readyMs: performance.now() - t0 };
}

/** What makes the diagram draw again: a message posted to it, or a click on a toolbar control. */
type Act = { message: HostToDiagram } | { click: string };

/**
 * Does `act` inside the page and waits for the `rendered` message it causes. layoutMs and drawMs are the webview's own
 * numbers; frameMs is measured in the page from the act (for a snapshot, the structured clone of it included) to the
 * second animation frame after `rendered`, i.e. once a frame with the new drawing has been produced.
 */
async function renderOnce(page: Page, act: Act): Promise<Draw> {
  const r = await page.evaluate(async (a) => {
    const w = window as unknown as Win;
    const posted = w.__posted;
    const rendered = new Promise<DiagramToHost>((ok, fail) => {
      const push = posted.push.bind(posted);
      const timer = setTimeout(() => fail(new Error('no rendered message within 60 s')), 60_000);
      posted.push = (...items: DiagramToHost[]) => {
        const n = push(...items);
        const hit = items.find((x) => x.type === 'rendered' || x.type === 'error');
        if (hit) {
          clearTimeout(timer);
          posted.push = push;
          ok(hit);
        }
        return n;
      };
    });
    const t0 = performance.now();
    if ('message' in a) window.postMessage(a.message, '*');
    else (document.querySelector(a.click) as HTMLElement | null)?.click();
    const got = await rendered;
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return { got, frameMs: performance.now() - t0 };
  }, act);
  if (r.got.type !== 'rendered') throw new Error(`the diagram posted ${JSON.stringify(r.got)} instead of rendered`);
  const g = r.got as Rendered;
  return {
    layoutMs: g.layoutMs, drawMs: g.drawMs, totalMs: g.layoutMs + g.drawMs, frameMs: r.frameMs,
    namespaces: g.namespaces, elements: g.elements, pods: g.pods, folded: g.folded,
  };
}

/** Posts the snapshot and waits until it is drawn (see renderOnce). */
const drawOnce = (page: Page, snapshot: Snapshot): Promise<Draw> =>
  renderOnce(page, { message: { type: 'snapshot', snapshot, source: { label: `snapshot ${snapshot.source.lab}`, live: false } } });

/**
 * The 150-Pod lab drawn folded is the first draw; here what a user does next, `runs` times each in one page after a
 * first draw: Expand all (all 150 Pods drawn), Collapse all, and a trace (its Pods drawn inside the folded nodes).
 */
async function foldActions(page: Page, snapshot: Snapshot, trace: TraceResult, runs: number) {
  const out = { expandAll: [] as Draw[], collapseAll: [] as Draw[], trace: [] as Draw[] };
  await drawOnce(page, snapshot);
  for (let i = 0; i < runs; i++) {
    out.expandAll.push(await renderOnce(page, { click: 'vscode-toolbar-button[data-action="expandAll"]' }));
    out.collapseAll.push(await renderOnce(page, { click: 'vscode-toolbar-button[data-action="collapseAll"]' }));
    out.trace.push(await renderOnce(page, { message: { type: 'trace', trace } }));
    await renderOnce(page, { message: { type: 'clearTrace' } });
  }
  const pods = (ds: Draw[]) => ({ pods: ds[0]?.pods, folded: ds[0]?.folded });
  return {
    expandAll: { ...drawStats(out.expandAll), ...pods(out.expandAll) },
    collapseAll: { ...drawStats(out.collapseAll), ...pods(out.collapseAll) },
    trace: { ...drawStats(out.trace), ...pods(out.trace) },
  };
}

async function checkPage(page: Page, errors: string[]): Promise<void> {
  const w = await page.evaluate(() => ({ csp: (window as unknown as Win).__csp, errors: (window as unknown as Win).__posted.filter((m) => m.type === 'error') }));
  const problems = [...errors.splice(0), ...w.csp.map((c) => `CSP violation: ${c}`), ...w.errors.map((e) => `error message: ${JSON.stringify(e)}`)];
  if (problems.length) throw new Error(`the diagram page had problems: ${problems.join('; ')}`);
}

const drawStats = (ds: Draw[]) => ({
  layoutMs: stats(ds.map((d) => d.layoutMs)), drawMs: stats(ds.map((d) => d.drawMs)),
  totalMs: stats(ds.map((d) => d.totalMs)), frameMs: stats(ds.map((d) => d.frameMs)),
});

async function webview(runs: number) {
  const browser = await launchChromium();
  const closeBrowser = onCleanup(() => browser.close());
  const harness = await startHarness();
  const closeHarness = onCleanup(() => harness.close());
  const errors: string[] = [];
  const out: Record<string, unknown> = { chromium: browser.version(), viewport: '1400x900', runs };
  try {
    const loaded = SNAPSHOTS.map((s) => {
      const text = readFileSync(join(ROOT, s.file), 'utf8');
      return { ...s, bytes: Buffer.byteLength(text), snapshot: JSON.parse(text) as Snapshot, first: [] as Draw[], ready: [] as number[], redraw: [] as Draw[] };
    });
    for (let i = 0; i < runs; i++) { // first draws, each in a fresh page, the snapshots taking turns
      for (const s of loaded) {
        const { page, readyMs } = await openDiagram(browser, harness, errors);
        try {
          s.ready.push(readyMs);
          s.first.push(await drawOnce(page, s.snapshot));
          await checkPage(page, errors);
        } finally {
          await page.close();
        }
      }
    }
    for (const s of loaded) { // redraws of the same snapshot in one page, after its first draw (not counted)
      const { page } = await openDiagram(browser, harness, errors);
      try {
        await drawOnce(page, s.snapshot);
        for (let i = 0; i < runs; i++) s.redraw.push(await drawOnce(page, s.snapshot));
        await checkPage(page, errors);
      } finally {
        await page.close();
      }
      log(`${s.id}: first draws ${s.first.map((d) => d.totalMs.toFixed(0)).join(', ')} ms; redraws ${s.redraw.map((d) => d.totalMs.toFixed(0)).join(', ')} ms`);
      out[s.id] = {
        file: s.file, bytes: s.bytes, namespaces: s.first[0].namespaces, elements: s.first[0].elements,
        pods: s.snapshot.cluster.pods.length, nodes: s.snapshot.cluster.nodes.length,
        drawnPods: s.first[0].pods, foldedNodes: s.first[0].folded,
        pageReadyMs: stats(s.ready), first: drawStats(s.first), redraw: drawStats(s.redraw),
      };
    }
    const big = loaded.find((s) => s.id === 'big')!;
    const { page } = await openDiagram(browser, harness, errors);
    try {
      const trace = JSON.parse(readFileSync(join(ROOT, BIG_TRACE), 'utf8')) as TraceResult;
      const fold = await foldActions(page, big.snapshot, trace, runs);
      await checkPage(page, errors);
      const m = (x: { totalMs: { median: number | null } }) => `${x.totalMs.median} ms`;
      log(`big: expand all ${m(fold.expandAll)}, collapse all ${m(fold.collapseAll)}, trace ${m(fold.trace)} (medians)`);
      out.bigFold = { traceFile: BIG_TRACE, ...fold };
    } finally {
      await page.close();
    }
    // A cluster's size: 21 nodes x 50 Pods, no wire (the recorded 150-Pod lab reshaped, test/webview/clusterSnapshot.ts).
    const cluster = scaledCluster(7);
    const first: Draw[] = [];
    for (let i = 0; i < runs; i++) {
      const fresh = await openDiagram(browser, harness, errors);
      try {
        first.push(await drawOnce(fresh.page, cluster));
        await checkPage(fresh.page, errors);
      } finally {
        await fresh.page.close();
      }
    }
    log(`cluster of ${cluster.cluster.pods.length} Pods: first draws ${first.map((d) => d.totalMs.toFixed(0)).join(', ')} ms`);
    out.bigCluster = {
      pods: cluster.cluster.pods.length, nodes: cluster.cluster.nodes.length, namespaces: first[0].namespaces, elements: first[0].elements,
      drawnPods: first[0].pods, foldedNodes: first[0].folded, first: drawStats(first),
    };
  } finally {
    await closeBrowser();
    await closeHarness();
  }
  return out;
}

// ---- code-server ----------------------------------------------------------------------------

/** The activation event the extension host logged for our extension (as the smoke test reads it). */
function activationEvent(userDataDir: string): string | null {
  const logs = join(userDataDir, 'logs');
  try {
    for (const session of readdirSync(logs)) {
      for (const dir of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
        const text = readFileSync(join(logs, session, dir, 'remoteexthost.log'), 'utf8');
        const line = text.split('\n').find((l) => l.includes(`_doActivateExtension ${EXTENSION}.${EXTENSION}`));
        const m = line && /activationEvent: '([^']+)'/.exec(line);
        if (m) return m[1];
      }
    }
  } catch {
    // no log yet
  }
  return null;
}

/** "Developer: Show Running Extensions" once the extension is running (opening the view activates it a moment later). */
async function activation(page: Page): Promise<{ text: string; ms: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const a = await wb.extensionActivation(page, EXTENSION);
      await page.keyboard.press('Escape'); // the Running Extensions editor opens as a modal
      await page.locator('.monaco-list[aria-label="Runtime Extensions"]').waitFor({ state: 'hidden', timeout: 10_000 });
      return a;
    } catch (e) {
      if (attempt >= 5) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}

async function labDown(lab: string): Promise<void> {
  const r = await run([process.execPath, CLI, 'lab', 'down', '--lab', lab], 60_000);
  if (r.code !== 0) log(`lab down --lab ${lab} exited with ${r.code}: ${r.stderr.trim()}`);
}

/** One fresh code-server (new user data, extension installed from the vsix): activation, and in `withLab` the memory. */
async function codeServerRun(lab: string, withLab: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'podnet-bench-vscode-'));
  const workspace = join(root, 'workspace');
  const userDataDir = join(root, 'user-data');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'notes.md'), '# PodNet bench\n');
  // Kept as promises, so a signal arriving while one is still starting waits for it and stops it.
  let starting: Promise<CodeServer> | undefined;
  let opening: Promise<Page> | undefined;
  const cleanup = onCleanup(async () => {
    if (withLab) await labDown(lab); // first, while the extension host (which started it) still runs
    await (await starting?.catch(() => undefined))?.stop(); // a workbench still opening then fails at once
    await wb.closeWorkbench(await opening?.catch(() => undefined)).catch(() => undefined);
    if (withLab) await labDown(lab); // in case a Start Lab was still on its way
    rmSync(root, { recursive: true, force: true });
  });
  try {
    starting = startCodeServer({
      workspace, vsix: VSIX, extensionsDir: join(root, 'extensions'), userDataDir,
      colorTheme: 'Default Dark Modern', settings: { 'podnet.lab': lab },
    });
    const server = await starting;
    const w0 = performance.now();
    opening = wb.openWorkbench(server.url);
    const page = await opening;
    const workbenchMs = performance.now() - w0;
    const v0 = performance.now();
    await wb.openView(page, 'PodNet');
    await wb.waitForText(wb.viewPane(page, 'Network').locator('.pane-body'), /No PodNet lab is running/);
    const viewMs = performance.now() - v0;
    const act = await activation(page);
    const out: Record<string, unknown> = {
      installMs: server.installMs, startMs: server.startMs, workbenchMs: r1(workbenchMs), viewMs: r1(viewMs),
      activation: { text: act.text, ms: act.ms, event: activationEvent(userDataDir) },
    };
    log(`activation ${act.text} (${out.activation && (out.activation as { event: string }).event})`);
    if (!withLab) return out;

    const host = extensionHostPid(userDataDir);
    const mem: Record<string, unknown> = { pid: host.pid, marker: EXTHOST_MARKER, command: cmdline(host.pid).slice(0, 4).join(' '), ancestors: host.chain };
    mem.beforeLab = memory(host.pid);
    const s0 = performance.now();
    await wb.runCommand(page, 'PodNet: Start Lab');
    const up = await wb.waitForNotification(page, new RegExp(`Lab "${lab}" is up in`), 120_000);
    const startLabMs = performance.now() - s0;
    mem.labUp = memory(host.pid);
    const t0 = performance.now();
    await wb.tracePacketFromPalette(page, 'pod-a', 'pod-c');
    const traced = await wb.waitForNotification(page, /pod-a → pod-c: [A-Z][A-Z_]+/, 60_000); // not the "Tracing pod-a → pod-c: reading ..." progress
    const traceMs = performance.now() - t0;
    const frame = await wb.webviewFrame(page, 'PodNet Diagram');
    await frame.locator('.hop-marker').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000); // let the extension host settle after posting the trace
    mem.afterTrace = memory(host.pid);
    log(`extension host ${host.pid}: ${JSON.stringify(mem.beforeLab)} -> ${JSON.stringify(mem.afterTrace)}`);
    return { ...out, startLab: { ms: r1(startLabMs), notification: up }, trace: { ms: r1(traceMs), notification: traced }, extensionHost: mem };
  } finally {
    await cleanup();
  }
}

async function codeServer(lab: string, runs: number) {
  const m = readManifest();
  if (!m) throw new Error(`code-server is not installed in ${E2E_CACHE}: run \`node scripts/setup-e2e.mjs\` first`);
  readFileSync(VSIX); // throws ENOENT with the path when it is missing
  await labDown(lab);
  const starts = [];
  for (let i = 0; i < runs; i++) {
    log(`code-server start ${i + 1}/${runs}${i === runs - 1 ? ' (with the lab and a trace)' : ''}`);
    starts.push(await codeServerRun(lab, i === runs - 1));
  }
  const ms = starts.map((s) => (s.activation as { ms: number }).ms);
  return { codeServer: m.codeServer.version, node: m.node.version, lab, runs, activationMs: stats(ms), starts };
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  let out: unknown;
  if (mode === 'manifest') {
    const m = readManifest();
    out = { cache: E2E_CACHE, installed: !!m, codeServer: m?.codeServer.version ?? null };
  } else if (mode === 'webview') {
    out = await webview(Number(args[0] ?? 5));
  } else if (mode === 'codeserver' && args[0]) {
    out = await codeServer(args[0], Number(args[1] ?? 3));
  } else {
    throw new Error('usage: node --import tsx scripts/bench-vscode.ts manifest | webview [RUNS] | codeserver LAB [RUNS]');
  }
  console.log(JSON.stringify(out));
}

main().then(
  async () => {
    await stopping; // a signal during the last step: its cleanup exits 130
    process.exit(0); // code-server's helpers keep handles open; everything was stopped in `finally`
  },
  async (e) => {
    if (stopping) return stopping; // the step failed because the signal's cleanup stopped what it used
    log(e?.stack ?? String(e));
    await cleanupAll();
    process.exit(1);
  },
);
