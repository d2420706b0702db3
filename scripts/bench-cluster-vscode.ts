// Helper for scripts/bench.mjs (section `cluster`): 1,000 Pods from a list + watch into the tree of a REAL VS Code
// (code-server + Chromium, the packaged dist/podnet-lab.vsix), read from the kube-apiserver stand-in in this process.
// Times PodNet: Connect to Cluster from picking the context to the first Pod row drawn, then EVENTS times a Pod's new IP
// from the stand-in's watch event to its row redrawn in the Pods view, and reads the extension host's RSS/PSS before
// and after (/proc/PID/smaps_rollup; the extension host runs every extension of the workbench, so the growth is what
// is PodNet's). Run through tsx:  node --import tsx scripts/bench-cluster-vscode.ts [PODS] [EVENTS]
// Progress on stderr, one line of JSON on stdout; code-server and Chromium are stopped in `finally`.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { readManifest, startCodeServer, type CodeServer } from '../test/support/codeServer';
import { podObject } from '../test/support/testbedCluster';
import * as wb from '../test/support/workbench';
import { benchPod, seedBenchCluster } from './bench-cluster-seed';
import { extensionHostPid, memory } from './bench-proc';

const ROOT = resolve(__dirname, '..');
const log = (msg: string) => process.stderr.write(`bench-cluster-vscode: ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when a side-bar row labelled `label` has a description starting with `ip` (checked every animation frame). */
async function rowShows(page: Page, label: string, ip: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(([l, want]) => Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row')).some(
    (r) => r.querySelector('.label-name')?.textContent?.trim() === l && (r.querySelector('.label-description')?.textContent ?? '').startsWith(want),
  ), [label, ip] as const, { polling: 'raf', timeout });
}

async function main(): Promise<void> {
  const pods = Number(process.argv[2] ?? 1000);
  const events = Number(process.argv[3] ?? 10);
  if (!readManifest()) throw new Error('code-server is not installed: run `node scripts/setup-e2e.mjs` first');
  const cluster = await seedBenchCluster(pods);
  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    const workspace = join(cluster.dir, 'workspace');
    mkdirSync(workspace);
    const userDataDir = join(cluster.dir, 'user-data');
    server = await startCodeServer({
      workspace, vsix: join(ROOT, 'dist', 'podnet-lab.vsix'), extensionsDir: join(cluster.dir, 'extensions'), userDataDir,
      settings: { 'podnet.lab': `bench-cluster-none-${process.pid}` }, machineSettings: { 'podnet.kubeconfig': cluster.kubeconfig },
    });
    page = await wb.openWorkbench(server.url);
    await wb.openView(page, 'PodNet');
    await wb.waitForText(wb.viewPane(page, 'Network').locator('.pane-body'), /No PodNet lab is running/, 60_000);
    const host = extensionHostPid(userDataDir);
    await settle(3000);
    const before = memory(host.pid);
    log(`extension host ${host.pid}: ${before.pssMiB} MiB PSS before connecting; connecting to ${pods} Pods`);

    await wb.commandPalette(page, 'PodNet: Connect to Cluster...');
    await wb.pickQuickItem(page, 'PodNet: Connect to Cluster...');
    await wb.waitForText(page.locator('.quick-input-widget .quick-input-title'), /^PodNet: Connect to Cluster$/, 60_000);
    const first = benchPod(0);
    const t0 = Date.now();
    await wb.pickQuickItem(page, cluster.context);
    await rowShows(page, `${first.namespace}/${first.name}`, first.ip, 120_000);
    const connectMs = Date.now() - t0;
    await wb.waitForText(page.locator('.part.statusbar'), new RegExp(`bench · 3 nodes · ${pods} Pods`), 30_000);
    log(`tree shows the first Pod ${connectMs} ms after the context was picked`);

    const eventMs: number[] = [];
    for (let e = 0; e < events; e++) {
      const next = benchPod(0, 251 + (e % 4), e + 1);
      const sent = Date.now();
      cluster.standIn.upsert(podObject(next));
      await rowShows(page, `${next.namespace}/${next.name}`, next.ip);
      eventMs.push(Date.now() - sent);
    }
    await settle(3000);
    const after = memory(host.pid);
    await wb.screenshot(page, 'bench-cluster-1000');
    process.stdout.write(`${JSON.stringify({
      environment: `code-server ${readManifest()?.codeServer.version} in Chromium, the packaged extension; the stand-in in the bench process`,
      pods, connectToFirstRowMs: connectMs,
      event: { runs: eventMs.length, medianMs: median(eventMs), maxMs: Math.max(...eventMs), runsMs: eventMs },
      extensionHost: {
        pid: host.pid, before, after,
        growthPssMiB: Number((after.pssMiB - before.pssMiB).toFixed(1)), growthRssMiB: Number((after.rssMiB - before.rssMiB).toFixed(1)),
      },
      listRequests: cluster.standIn.count('list', '/api/v1/pods'),
    })}\n`);
  } finally {
    await wb.closeWorkbench(page).catch((e: unknown) => log(`closing Chromium failed: ${String(e)}`));
    await server?.stop();
    await cluster.close();
  }
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
