#!/usr/bin/env node
// `npm run bench`: times `podnet lab up/down` against a plain shell baseline doing the same kernel work
// (scripts/bench-baseline.sh), measures a 150-Pod lab's memory, and a rootless run. Then the tracer:
// `podnet snapshot` against the same commands run raw in the lab's namespaces, predictTrace on a 150-Pod
// snapshot (scripts/bench-predict.ts, through tsx), and verified `podnet trace` runs. Last the VS Code
// extension: bundle and .vsix sizes, the diagram webview's draw times in Chromium and, in code-server, the
// activation time and the extension host's memory after a trace (scripts/bench-vscode.ts, through tsx). Then a
// cluster: 1,000 Pods listed and watched into the extension's tree in a plain Node process (scripts/bench-cluster.ts).
// Last a snapshot and a verified trace of a 3-node, 30-Pod Docker test bed of kind-shaped nodes, entered directly and
// through `docker exec`, each against the same raw calls (scripts/bench-testbed.ts; needs root and docker.io). Then Services:
// a lab of 100 Services x 3 endpoints on 3 nodes, the rule update after a Pod change against a raw `nft -f` of the same delta
// (scripts/bench-services.ts), and Pod -> Service predictions on kube-proxy's real nft JSON (scripts/bench-predict.ts --services).
// Prints numbers, ratios and targets (✓/✗, information only); exits non-zero only when a benchmark step
// itself failed. `--only SECTION,...` runs only those sections (names as in BENCH_JSON). See docs/benchmarks.md.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fmt, fmtMiB, fmtMs, abortAll, fileSize, kib, labMemory, mark, median, rawSnapshot, rawTargets, round, run, runOk, SNAPSHOT_CONCURRENCY, stats, table,
  topologyYaml,
} from './bench-lib.mjs';
import { clusterReport } from './bench-cluster-report.mjs';
import { servicesReport, servicesTargets } from './bench-services-report.mjs';
import { testbedReport, testbedTargets } from './bench-testbed-report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const BASELINE = join(ROOT, 'scripts', 'bench-baseline.sh');
const PREDICT = join(ROOT, 'scripts', 'bench-predict.ts');
const VSCODE = join(ROOT, 'scripts', 'bench-vscode.ts');
const CLUSTER = join(ROOT, 'scripts', 'bench-cluster.ts');
const CLUSTER_VSCODE = join(ROOT, 'scripts', 'bench-cluster-vscode.ts');
const TESTBED = join(ROOT, 'scripts', 'bench-testbed.ts');
const SERVICES = join(ROOT, 'scripts', 'bench-services.ts');
const PACKAGE_VSIX = join(ROOT, 'scripts', 'package-vsix.mjs');
const SETUP_E2E = join(ROOT, 'scripts', 'setup-e2e.mjs');
const VSIX = join(ROOT, 'dist', 'podnet-lab.vsix');
const BASH = '/bin/bash';
const LAB = 'bench';
const RUNS = { article: 7, big: 3, rootless: 5, snapshot: 5, trace: 5, predict: 200, draw: 5, codeServer: 3, clusterPods: 1000, clusterEvents: 30, clusterVscodeEvents: 10, testbed: 3, serviceUpdates: 10, servicePredict: 200 };
const BIG = { nodes: 3, podsPerNode: 50 };
const TIMEOUT = {
  up: 180_000, down: 60_000, baseline: 180_000, status: 10_000, snapshot: 60_000, rawCommand: 15_000, trace: 60_000, predict: 120_000,
  packageVsix: 300_000, webview: 300_000, codeServer: 600_000, cluster: 300_000, manifest: 60_000, setupE2e: 40 * 60_000, grace: 30_000, testbed: 15 * 60_000,
  services: 10 * 60_000,
};
const NOBODY = { uid: 65534, gid: 65534, env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }, cwd: '/tmp' };
const TARGETS = {
  articleUpSeconds: 0.5, articleRatio: 2, bigRatio: 2, bigMemoryMiB: 1024,
  articleSnapshotMs: 300, snapshotRatio: 1.5, bigSnapshotMs: 3000, predictMs: 5, traceSeconds: 0.5,
  activationMs: 100, extensionBytes: 1_500_000, bigDrawMs: 1000, clusterTreeMs: 1000, clusterEventMs: 1000, clusterMemoryMiB: 50, testbedSnapshotMs: 1500,
  serviceRuleUpdateMs: 100, servicePredictMs: 5,
};
const SECTIONS = ['article', 'big', 'rootless', 'tracerArticle', 'tracerBig', 'bundles', 'webview', 'vscode', 'cluster', 'testbed', 'services'];

function parseArgs(argv) {
  if (argv.length === 0) return SECTIONS;
  const only = argv[0] === '--only' && argv.length === 2 ? argv[1].split(',').filter(Boolean) : [];
  const unknown = only.filter((x) => !SECTIONS.includes(x));
  if (only.length === 0 || unknown.length) {
    throw new Error(`usage: node scripts/bench.mjs [--only SECTION,...]; sections: ${SECTIONS.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return only;
}

let interrupted = false;
const results = { env: { node: process.version, kernel: release(), cpus: cpus().length }, errors: [] };

// ---- commands -------------------------------------------------------------------------------

const cliArgv = (cli, ...args) => [process.execPath, cli, ...args, '--lab', LAB];
const labUp = (extra = [], cli = CLI, opts = {}) => runOk(cliArgv(cli, 'lab', 'up', '-q', ...extra), { timeoutMs: TIMEOUT.up, ...opts });
const labDown = (cli = CLI, opts = {}) => runOk(cliArgv(cli, 'lab', 'down'), { timeoutMs: TIMEOUT.down, ...opts });
const quietDown = (cli = CLI, opts = {}) => run(cliArgv(cli, 'lab', 'down'), { timeoutMs: TIMEOUT.down, ...opts, cleanup: true });

async function labStatus() {
  const r = await runOk(cliArgv(CLI, 'lab', 'status', '-o', 'json'), { timeoutMs: TIMEOUT.status });
  return JSON.parse(r.stdout);
}
const sandboxPid = async () => (await labStatus()).sandboxPid;

/** One baseline run: internal "up" seconds (from the script's last line) and wall seconds (with teardown). */
async function baseline(nodes, pods) {
  const r = await runOk([BASH, BASELINE, String(nodes), String(pods)], { timeoutMs: TIMEOUT.baseline });
  const m = /baseline_up_seconds=([\d.]+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`bench-baseline.sh printed no baseline_up_seconds line:\n${r.stdout}${r.stderr}`);
  return { up: Number(m[1]), wall: r.seconds };
}

/** `runs` interleaved rounds of lab up, lab down, baseline (order alternates each round), after `warmup` untimed rounds. */
async function compare({ runs, warmup, upArgs, baselineArgs }) {
  const t = { up: [], down: [], baselineUp: [], baselineWall: [] };
  for (let i = -warmup; i < runs; i++) {
    const labRound = async () => {
      const up = await labUp(upArgs);
      const down = await labDown();
      if (i >= 0) t.up.push(up.seconds), t.down.push(down.seconds);
    };
    const baseRound = async () => {
      const b = await baseline(...baselineArgs);
      if (i >= 0) t.baselineUp.push(b.up), t.baselineWall.push(b.wall);
    };
    if (i % 2 === 0) await labRound(), await baseRound();
    else await baseRound(), await labRound();
  }
  const out = { up: stats(t.up), down: stats(t.down), baselineUp: stats(t.baselineUp), baselineWall: stats(t.baselineWall) };
  out.ratioUp = round(median(t.up) / median(t.baselineUp), 2);
  return out;
}

// ---- sections -------------------------------------------------------------------------------

let selected = SECTIONS;

async function section(name, fn) {
  if (interrupted || !selected.includes(name)) return;
  process.stderr.write(`bench: ${name} ...\n`);
  try {
    results[name] = await fn();
  } catch (e) {
    results.errors.push({ section: name, error: String(e?.message ?? e) });
    process.stderr.write(`bench: ${name} FAILED: ${e?.message ?? e}\n`);
  } finally {
    await quietDown(); // never leave a lab running, whatever happened
  }
}

const article = () => compare({ runs: RUNS.article, warmup: 1, upArgs: [], baselineArgs: [2, '2,1'] });

async function big() {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-'));
  const file = join(dir, 'bench-150.yaml');
  writeFileSync(file, topologyYaml(BIG.nodes, BIG.podsPerNode));
  try {
    // The extra run: build it, measure the memory of everything in the sandbox, tear it down (not timed).
    await labUp(['--topology', file]);
    let memory;
    try {
      memory = labMemory(await sandboxPid());
    } finally {
      await labDown();
    }
    const times = await compare({ runs: RUNS.big, warmup: 0, upArgs: ['--topology', file], baselineArgs: [BIG.nodes, BIG.podsPerNode] });
    return { ...times, memory };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rootlessRuns() {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-cli-'));
  chmodSync(dir, 0o755);
  for (const f of ['cli.js', 'cli.js.map']) {
    copyFileSync(join(ROOT, 'dist', f), join(dir, f));
    chmodSync(join(dir, f), 0o755);
  }
  const cli = join(dir, 'cli.js');
  try {
    const up = [];
    const down = [];
    for (let i = -1; i < RUNS.rootless; i++) { // one untimed warm-up
      const u = await labUp([], cli, NOBODY);
      const d = await labDown(cli, NOBODY);
      if (i >= 0) up.push(u.seconds), down.push(d.seconds);
    }
    return { user: 'nobody (65534)', up: stats(up), down: stats(down) };
  } finally {
    await quietDown(cli, NOBODY);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- tracer ---------------------------------------------------------------------------------

/**
 * `runs` interleaved rounds (after one untimed warm-up) of `podnet snapshot -o FILE` and the raw baseline
 * (the collector's commands run straight in the lab's namespaces, same parallelism); the order alternates.
 * The collector's own time is the `in NN ms` of the summary line the command prints on stderr.
 */
async function snapshotVsRaw(file, runs = RUNS.snapshot) {
  const targets = rawTargets(await labStatus(), LAB);
  const t = { collector: [], wall: [], raw: [] };
  let summary = '';
  let raw;
  for (let i = -1; i < runs; i++) {
    const cliRound = async () => {
      const r = await runOk(cliArgv(CLI, 'snapshot', '-o', file), { timeoutMs: TIMEOUT.snapshot });
      const m = / in (\d+) ms\s*$/.exec(r.stderr);
      if (!m) throw new Error(`podnet snapshot printed no "... in NN ms" summary:\n${r.stderr}`);
      summary = r.stderr.trim();
      if (i >= 0) t.collector.push(Number(m[1])), t.wall.push(r.seconds * 1000);
    };
    const rawRound = async () => {
      raw = await rawSnapshot(targets, { concurrency: SNAPSHOT_CONCURRENCY, timeoutMs: TIMEOUT.rawCommand });
      if (i >= 0) t.raw.push(raw.ms);
    };
    if (i % 2 === 0) await cliRound(), await rawRound();
    else await rawRound(), await cliRound();
  }
  return {
    namespaces: raw.namespaces, rawCommandsPerRun: raw.commands, rawBytesPerRun: raw.bytes, summary,
    collectorMs: stats(t.collector), wallMs: stats(t.wall), rawMs: stats(t.raw),
    ratio: round(median(t.collector) / median(t.raw), 2),
  };
}

/** One `podnet trace ... --lab bench` (text output): wall seconds, the stage timings of its last line, the outcome. */
async function trace(args) {
  const argv = cliArgv(CLI, 'trace', ...args);
  const r = await run(argv, { timeoutMs: TIMEOUT.trace });
  // 0 delivered and answered, 4 not delivered or not answered, 5 observation differs: all are measurements; anything else is a failure.
  if (![0, 4, 5].includes(r.code)) {
    const why = r.timedOut ? `timed out after ${TIMEOUT.trace / 1000} s` : `exited with ${r.code}`;
    throw new Error(`${argv.join(' ')} ${why}:\n    ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-6).join('\n    ')}`);
  }
  const st = /\(snapshot ([\d.]+) ms, prediction ([\d.]+) ms, kernel check ([\d.]+) ms(?:, probe ([\d.]+) ms)?[^)]*\)\s*$/.exec(r.stdout);
  if (!st) throw new Error(`${argv.join(' ')} printed no "(snapshot X ms, prediction Y ms, ...)" line:\n${r.stdout.slice(-500)}`);
  const disp = /^(?:(DELIVERED) in \d+ hops\b.*|The request (?:was|would be) delivered .*|Predicted DELIVERED .*|([A-Z_]+): .*)$/m.exec(r.stdout);
  const ver = /^Probe: .*: (every predicted hop was observed|prediction and observation DIFFER)\.$/m.exec(r.stdout);
  const outcome = /^Outcome: ([A-Z-]+):/m.exec(r.stdout);
  return {
    exitCode: r.code, seconds: r.seconds,
    stages: { snapshotMs: Number(st[1]), predictMs: Number(st[2]), kernelMs: Number(st[3]), probeMs: st[4] === undefined ? null : Number(st[4]) },
    disposition: disp ? disp[1] ?? disp[2] : null,
    hops: (r.stdout.match(/^ [✓✗! ] +\d+\. /gm) ?? []).length,
    observedAsPredicted: ver ? ver[1].startsWith('every') : null,
    outcome: outcome ? outcome[1].toLowerCase() : null,
  };
}

/** Median wall time and median of each stage over several traces, plus every run's outcome. */
function traceStats(runs) {
  const stage = (k) => stats(runs.map((r) => r.stages[k]).filter((x) => x !== null));
  return {
    wall: stats(runs.map((r) => r.seconds)),
    stagesMs: { snapshot: stage('snapshotMs'), prediction: stage('predictMs'), kernelCheck: stage('kernelMs'), probe: stage('probeMs') },
    outcomes: runs.map((r) => ({ exitCode: r.exitCode, disposition: r.disposition, hops: r.hops, observedAsPredicted: r.observedAsPredicted, outcome: r.outcome })),
  };
}

async function tracerArticle() {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-snap-'));
  try {
    await labUp();
    const snapshot = await snapshotVsRaw(join(dir, 'article.json'));
    const icmp = [];
    for (let i = -1; i < RUNS.trace; i++) { // one untimed warm-up
      const t = await trace(['pod-a', 'pod-c']);
      if (i >= 0) icmp.push(t);
    }
    const tcp = await trace(['pod-a', 'pod-c', '--proto', 'tcp']);
    await labDown();
    return { snapshot, trace: { args: 'pod-a pod-c', runs: RUNS.trace, ...traceStats(icmp) }, traceTcp: { args: 'pod-a pod-c --proto tcp', ...tcp } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tracerBig() {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-snap-'));
  const topology = join(dir, 'bench-150.yaml');
  const file = join(dir, 'big.json');
  writeFileSync(topology, topologyYaml(BIG.nodes, BIG.podsPerNode));
  try {
    await labUp(['--topology', topology]);
    const snapshot = await snapshotVsRaw(file);
    await labDown(); // the predictions need only the file
    const r = await runOk([process.execPath, '--import', 'tsx', PREDICT, file, String(RUNS.predict), '1'], { timeoutMs: TIMEOUT.predict, cwd: ROOT });
    const predict = JSON.parse(r.stdout.trim().split('\n').pop());
    return { snapshot, predict };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- VS Code extension ----------------------------------------------------------------------

const tsx = (script, ...args) => [process.execPath, '--import', 'tsx', script, ...args];
const lastJson = (r) => JSON.parse(r.stdout.trim().split('\n').pop());
/** The test bed section: scripts/bench-testbed.ts, one JSON line. */
const testbed = async () => lastJson(await runOk([process.execPath, '--import', 'tsx', TESTBED, String(RUNS.testbed)], { timeoutMs: TIMEOUT.testbed, cwd: ROOT }));

/** Services: the rule update after a Pod change on a 100-Service lab (one pretty-printed JSON object), then Pod -> Service predictions (one JSON line). */
async function services() {
  const updates = JSON.parse((await runOk(tsx(SERVICES, '--runs', String(RUNS.serviceUpdates)), { timeoutMs: TIMEOUT.services, cwd: ROOT, graceMs: TIMEOUT.grace })).stdout);
  const predict = lastJson(await runOk(tsx(PREDICT, '--services', String(RUNS.servicePredict), '1'), { timeoutMs: TIMEOUT.predict, cwd: ROOT }));
  return { updates, predict };
}

/** Packages dist/podnet-lab.vsix (scripts/package-vsix.mjs); returns its output's summary line and the seconds it took. */
async function packageVsix() {
  const r = await runOk([process.execPath, PACKAGE_VSIX], { timeoutMs: TIMEOUT.packageVsix, cwd: ROOT });
  const summary = /^dist\/podnet-lab\.vsix: .*$/m.exec(r.stdout)?.[0] ?? 'dist/podnet-lab.vsix';
  return { summary, seconds: r.seconds };
}

/** The bundles (and every script a webview loads), then the .vsix, each raw and gzipped. */
async function bundles() {
  const vsix = await packageVsix();
  const webview = readdirSync(join(ROOT, 'dist', 'webview')).filter((f) => f.endsWith('.js')).sort((a, b) => (a === 'diagram.js' ? -1 : b === 'diagram.js' ? 1 : a.localeCompare(b)));
  const files = ['dist/extension.js', 'dist/cli.js', ...webview.map((f) => `dist/webview/${f}`), 'dist/podnet-lab.vsix'];
  const webviewAll = readdirSync(join(ROOT, 'dist', 'webview')).filter((f) => !f.endsWith('.map')).map((f) => fileSize(join(ROOT, 'dist', 'webview', f)));
  return {
    files: files.map((f) => ({ file: f, ...fileSize(join(ROOT, f)) })),
    webviewFolder: { files: webviewAll.length, bytes: webviewAll.reduce((a, x) => a + x.bytes, 0), gzipBytes: webviewAll.reduce((a, x) => a + x.gzipBytes, 0) },
    vsix,
  };
}

const webview = async () =>
  lastJson(await runOk(tsx(VSCODE, 'webview', String(RUNS.draw)), { timeoutMs: TIMEOUT.webview, cwd: ROOT, graceMs: TIMEOUT.grace }));

/** code-server: installed by scripts/setup-e2e.mjs when missing, the .vsix packaged when older than the build. */
async function vscode() {
  const m = lastJson(await runOk(tsx(VSCODE, 'manifest'), { timeoutMs: TIMEOUT.manifest, cwd: ROOT }));
  if (!m.installed) {
    process.stderr.write(`bench: code-server is not installed in ${m.cache}: running scripts/setup-e2e.mjs (a few minutes)\n`);
    await runOk([process.execPath, SETUP_E2E], { timeoutMs: TIMEOUT.setupE2e, cwd: ROOT, graceMs: TIMEOUT.grace });
  }
  if (!existsSync(VSIX) || statSync(VSIX).mtimeMs < statSync(join(ROOT, 'dist', 'extension.js')).mtimeMs) await packageVsix();
  return lastJson(await runOk(tsx(VSCODE, 'codeserver', LAB, String(RUNS.codeServer)), { timeoutMs: TIMEOUT.codeServer, cwd: ROOT, graceMs: TIMEOUT.grace }));
}

/** 1,000 Pods from a list + watch into the tree: in one plain Node process, then in code-server; see docs/benchmarks.md. */
async function cluster() {
  const plain = lastJson(await runOk([process.execPath, '--expose-gc', '--import', 'tsx', CLUSTER, String(RUNS.clusterPods), String(RUNS.clusterEvents)], { timeoutMs: TIMEOUT.cluster, cwd: ROOT }));
  if (!existsSync(VSIX) || statSync(VSIX).mtimeMs < statSync(join(ROOT, 'dist', 'extension.js')).mtimeMs) await packageVsix();
  const vscode = lastJson(await runOk(tsx(CLUSTER_VSCODE, String(RUNS.clusterPods), String(RUNS.clusterVscodeEvents)), { timeoutMs: TIMEOUT.codeServer, cwd: ROOT, graceMs: TIMEOUT.grace }));
  return { ...plain, vscode };
}

// ---- report ---------------------------------------------------------------------------------

function report() {
  const a = results.article;
  const b = results.big;
  const r = results.rootless;
  const ta = results.tracerArticle;
  const tb = results.tracerBig;
  const bu = results.bundles;
  const wv = results.webview;
  const vs = results.vscode;
  const lines = [];
  const row = (label, s) => [label, fmt(s?.median), fmt(s?.min)];
  const rowMs = (label, s) => [label, fmtMs(s?.median), fmtMs(s?.min)];
  const snapRows = (s) => [
    rowMs('snapshot: collector (its "in NN ms")', s.collectorMs),
    rowMs('snapshot: CLI wall (Node startup included)', s.wallMs),
    rowMs(`raw commands (${s.rawCommandsPerRun}, ${SNAPSHOT_CONCURRENCY} namespaces at a time)`, s.rawMs),
    ['ratio collector / raw', `${s.ratio}×`, ''],
  ];
  const outcome = (o) => `${o.disposition ?? '?'}, ${o.hops} hops, ${o.observedAsPredicted === null ? 'not verified' : o.observedAsPredicted ? 'observed as predicted' : 'observation DIFFERS'} (exit ${o.exitCode})`;
  lines.push(`PodNet Lab benchmark — node ${results.env.node}, kernel ${results.env.kernel}, ${results.env.cpus} CPU(s)`, '');
  if (a) {
    lines.push(`Article lab (2 nodes, 3 Pods, 4 containers), ${RUNS.article} runs as root, interleaved with the baseline (2 nodes, 2+1 Pods)`);
    lines.push(table([
      ['', 'median', 'min'],
      row('lab up', a.up), row('lab down', a.down),
      row('baseline up', a.baselineUp), row('baseline wall (up + teardown)', a.baselineWall),
      ['ratio lab up / baseline up', `${a.ratioUp}×`, ''],
    ]), '');
  }
  if (b) {
    lines.push(`${BIG.nodes} nodes × ${BIG.podsPerNode} Pods (150 Pods, 1 web container each), ${RUNS.big} runs as root, interleaved with the baseline`);
    lines.push(table([
      ['', 'median', 'min'],
      row('lab up', b.up), row('lab down', b.down),
      row('baseline up', b.baselineUp), row('baseline wall (up + teardown)', b.baselineWall),
      ['ratio lab up / baseline up', `${b.ratioUp}×`, ''],
    ]), '');
    const m = b.memory;
    const top = Object.entries(m.byName).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${v} ${k}`).join(', ');
    lines.push(`Memory of the 150-Pod lab: ${m.processes} processes (${top})`);
    lines.push(`  total PSS ${m.pssMiB.toFixed(1)} MiB, total RSS ${m.rssMiB.toFixed(1)} MiB (RSS double-counts shared pages)`, '');
  }
  if (r) {
    lines.push(`Article lab rootless as ${r.user}, ${RUNS.rootless} runs`);
    lines.push(table([['', 'median', 'min'], row('lab up', r.up), row('lab down', r.down)]), '');
  }
  if (ta) {
    const s = ta.snapshot;
    lines.push(`Tracer on the article lab (${s.namespaces} namespaces), ${RUNS.snapshot} snapshot runs interleaved with the raw commands, after 1 warm-up`);
    lines.push(table([['', 'median', 'min'], ...snapRows(s)]), '');
    const t = ta.trace;
    const st = t.stagesMs;
    lines.push(`podnet trace ${t.args} (ICMP, verified), ${t.runs} runs after 1 warm-up`);
    lines.push(table([
      ['', 'median', 'min'],
      row('wall', t.wall),
      rowMs('  stage: snapshot', st.snapshot), rowMs('  stage: prediction', st.prediction),
      rowMs('  stage: kernel check', st.kernelCheck), rowMs('  stage: probe', st.probe),
    ]));
    const kinds = [...new Set(t.outcomes.map(outcome))];
    lines.push(`  outcome: ${kinds.join('; ')}`, '');
    const c = ta.traceTcp;
    lines.push(`podnet trace ${c.args} (cross-node, verified), 1 run: wall ${fmt(c.seconds)}; snapshot ${fmtMs(c.stages.snapshotMs)}, `
      + `prediction ${fmtMs(c.stages.predictMs)}, kernel check ${fmtMs(c.stages.kernelMs)}, probe ${fmtMs(c.stages.probeMs ?? NaN)}`);
    lines.push(`  outcome: ${outcome(c)}`, '');
  }
  if (tb) {
    const s = tb.snapshot;
    lines.push(`Tracer on ${BIG.nodes} nodes × ${BIG.podsPerNode} Pods (${s.namespaces} namespaces), ${RUNS.snapshot} snapshot runs interleaved with the raw commands, after 1 warm-up`);
    lines.push(table([['', 'median', 'min'], ...snapRows(s)]), '');
    const p = tb.predict;
    const prow = (label, x) => [label, String(x.count), fmtMs(x.median, 3), fmtMs(x.min, 3), fmtMs(x.p95, 3), fmtMs(x.max, 3)];
    lines.push(`predictTrace on that snapshot (${(p.snapshot.bytes / 1024).toFixed(0)} KiB; parse + validate ${fmtMs(p.snapshot.parseMs)}), `
      + `${p.ms.all.count} random Pod pairs after ${p.warmup} untimed, in-process (performance.now)`);
    lines.push(table([
      ['', 'runs', 'median', 'min', 'p95', 'max'],
      prow('all', p.ms.all), prow('different nodes', p.ms.crossNode), prow('same node', p.ms.sameNode),
      prow('ICMP', p.ms.icmp), prow('TCP 8080', p.ms.tcp),
    ]));
    lines.push(`  outcome: ${Object.entries(p.dispositions).map(([k, v]) => `${v} ${k}`).join(', ')}; ${p.meanHops} hops on average`, '');
  }
  if (bu) {
    const ratio = (x) => `${((x.gzipBytes / x.bytes) * 100).toFixed(0)} %`;
    const n = /, (\d+) files/.exec(bu.vsix.summary)?.[1] ?? '?';
    lines.push(`VS Code extension bundles, raw and gzipped (node:zlib gzipSync, level 6); the .vsix (${n} files) packaged by scripts/package-vsix.mjs in ${fmt(bu.vsix.seconds)}`);
    lines.push(table([
      ['', 'bytes', 'KiB', 'gzip bytes', 'gzip KiB', 'gzip / raw'],
      ...bu.files.map((f) => [f.file, String(f.bytes), kib(f.bytes), String(f.gzipBytes), kib(f.gzipBytes), ratio(f)]),
      [`dist/webview/ (all ${bu.webviewFolder.files} files: js, css, font)`, String(bu.webviewFolder.bytes), kib(bu.webviewFolder.bytes),
        String(bu.webviewFolder.gzipBytes), kib(bu.webviewFolder.gzipBytes), ratio(bu.webviewFolder)],
    ]), '');
  }
  if (wv) {
    lines.push(`Diagram webview in Chromium ${wv.chromium} (headless, --disable-gpu, ${wv.viewport}), test/webview/harness.ts page; `
      + `${wv.runs} first draws, each in a fresh page, and ${wv.runs} redraws in one page; medians`);
    const drow = (label, d) => [label, fmtMs(d.layoutMs.median), fmtMs(d.drawMs.median), fmtMs(d.totalMs.median), fmtMs(d.totalMs.min), fmtMs(d.frameMs.median)];
    const rows = [['', 'layout', 'draw', 'layout + draw', 'min', 'post → frame']];
    for (const [k, name] of [['article', 'article'], ['big', '3 × 50 Pods']]) {
      const x = wv[k];
      if (!x) continue;
      const what = `${name} (${x.namespaces} namespaces, ${x.elements} elements, ${kib(x.bytes)})`;
      rows.push(drow(`${what}: first draw`, x.first), drow(`${' '.repeat(what.length)}  redraw`, x.redraw));
    }
    const f = wv.bigFold;
    if (f) {
      rows.push(
        drow(`3 × 50 Pods, then Expand all (${f.expandAll.pods} Pods drawn)`, f.expandAll),
        drow(`3 × 50 Pods, then Collapse all (${f.collapseAll.folded} nodes folded)`, f.collapseAll),
        drow(`3 × 50 Pods folded, then a trace (its ${f.trace.pods} Pods drawn)`, f.trace),
      );
    }
    const c = wv.bigCluster;
    if (c) rows.push(drow(`cluster of ${c.nodes} nodes × 50 Pods, no wire (${c.namespaces} namespaces, ${c.elements} elements): first draw`, c.first));
    lines.push(table(rows));
    const b = wv.big;
    if (b?.foldedNodes) lines.push(`  the 3 × 50 Pods lab draws folded: ${b.foldedNodes} nodes as their bridge with a Pod count, ${b.drawnPods} Pod boxes (src/webview/diagram/fold.ts)`);
    lines.push(`  page load to the webview's "ready": ${fmtMs(wv.article?.pageReadyMs.median)} median (diagram.js parsed and run, before any draw)`, '');
  }
  if (vs) {
    const st = vs.starts;
    const last = st[st.length - 1];
    const ev = [...new Set(st.map((x) => x.activation.event ?? '?'))].join(', ');
    lines.push(`VS Code: code-server ${vs.codeServer} (Node ${vs.node}) in Chromium, ${vs.runs} fresh starts (new user data, the .vsix installed each time); `
      + `the PodNet view opened (activation event ${ev})`);
    const srow = (label, f) => [label, ...st.map((x) => f(x)), ''];
    lines.push(table([
      ['', ...st.map((_, i) => `start ${i + 1}`), 'median'],
      [`activation (Developer: Show Running Extensions)`, ...st.map((x) => fmtMs(x.activation.ms, 0)), fmtMs(vs.activationMs.median, 0)],
      srow('  vsix install (--install-extension)', (x) => fmtMs(x.installMs, 0)),
      srow('  code-server answering HTTP', (x) => fmtMs(x.startMs, 0)),
      srow('  workbench drawn in Chromium', (x) => fmtMs(x.workbenchMs, 0)),
      srow('  PodNet view opened, welcome shown', (x) => fmtMs(x.viewMs, 0)),
    ]), '');
    const h = last.extensionHost;
    if (h) {
      const mrow = (label, x) => [label, fmtMiB(x.rssMiB), fmtMiB(x.pssMiB)];
      lines.push(`Extension host of start ${st.length} (pid ${h.pid}, \`${h.marker}\`; all of the workbench's extensions, PodNet's included), /proc/PID/smaps_rollup`);
      lines.push(table([
        ['', 'RSS', 'PSS'],
        mrow('activated, before the lab', h.beforeLab),
        mrow(`after PodNet: Start Lab (${fmtMs(last.startLab.ms, 0)} palette to notification)`, h.labUp),
        mrow(`after Trace Packet pod-a → pod-c ICMP (${fmtMs(last.trace.ms, 0)} palette to result)`, h.afterTrace),
        ['growth over the lab and the trace', fmtMiB(h.afterTrace.rssMiB - h.beforeLab.rssMiB), fmtMiB(h.afterTrace.pssMiB - h.beforeLab.pssMiB)],
      ]));
      lines.push(`  notifications: "${last.startLab.notification}" / "${last.trace.notification}"`, '');
    }
  }
  const cl = results.cluster;
  if (cl) lines.push(...clusterReport(cl));
  if (results.testbed) lines.push(...testbedReport(results.testbed));
  if (results.services) lines.push(...servicesReport(results.services, RUNS.servicePredict));
  const ext = bu?.files.find((f) => f.file === 'dist/extension.js');
  const targets = [
    ['article lab up median', `≤ ${TARGETS.articleUpSeconds.toFixed(3)} s`, fmt(a?.up.median), a && a.up.median <= TARGETS.articleUpSeconds],
    ['article lab up / baseline up', `≤ ${TARGETS.articleRatio}×`, a ? `${a.ratioUp}×` : 'n/a', a && a.ratioUp <= TARGETS.articleRatio],
    ['150 Pods lab up / baseline up', `≤ ${TARGETS.bigRatio}×`, b ? `${b.ratioUp}×` : 'n/a', b && b.ratioUp <= TARGETS.bigRatio],
    ['150 Pods total memory (PSS)', `≤ ${TARGETS.bigMemoryMiB} MiB`, b ? `${b.memory.pssMiB.toFixed(1)} MiB` : 'n/a', b && b.memory.pssMiB <= TARGETS.bigMemoryMiB],
    ['article snapshot (collector) median', `≤ ${TARGETS.articleSnapshotMs} ms`, fmtMs(ta?.snapshot.collectorMs.median), ta && ta.snapshot.collectorMs.median <= TARGETS.articleSnapshotMs],
    ['article snapshot / raw commands', `≤ ${TARGETS.snapshotRatio}×`, ta ? `${ta.snapshot.ratio}×` : 'n/a', ta && ta.snapshot.ratio <= TARGETS.snapshotRatio],
    ['150 Pods snapshot (collector) median', `≤ ${TARGETS.bigSnapshotMs} ms`, fmtMs(tb?.snapshot.collectorMs.median), tb && tb.snapshot.collectorMs.median <= TARGETS.bigSnapshotMs],
    ['150 Pods predictTrace median', `≤ ${TARGETS.predictMs} ms`, fmtMs(tb?.predict.ms.all.median, 3), tb && tb.predict.ms.all.median <= TARGETS.predictMs],
    ['article verified trace wall median', `≤ ${TARGETS.traceSeconds.toFixed(3)} s`, fmt(ta?.trace.wall.median), ta && ta.trace.wall.median <= TARGETS.traceSeconds],
    ['extension activation median (code-server)', `≤ ${TARGETS.activationMs} ms`, fmtMs(vs?.activationMs.median, 0), vs && vs.activationMs.median <= TARGETS.activationMs],
    ['dist/extension.js (everything, lazy parts included)', `≤ ${(TARGETS.extensionBytes / 1e6).toFixed(1)} MB`, ext ? `${(ext.bytes / 1e6).toFixed(3)} MB` : 'n/a', ext && ext.bytes <= TARGETS.extensionBytes],
    ['150-Pod diagram first draw (layout + draw) median', `≤ ${TARGETS.bigDrawMs} ms`, fmtMs(wv?.big?.first.totalMs.median), wv?.big && wv.big.first.totalMs.median <= TARGETS.bigDrawMs],
    ['150-Pod diagram Expand all (layout + draw) median', `≤ ${TARGETS.bigDrawMs} ms`, fmtMs(wv?.bigFold?.expandAll.totalMs.median), wv?.bigFold && wv.bigFold.expandAll.totalMs.median <= TARGETS.bigDrawMs],
    ['1,050-Pod cluster diagram first draw (layout + draw) median', `≤ ${TARGETS.bigDrawMs} ms`, fmtMs(wv?.bigCluster?.first.totalMs.median), wv?.bigCluster && wv.bigCluster.first.totalMs.median <= TARGETS.bigDrawMs],
    ['1,000-Pod cluster: connect to tree built (plain Node)', `≤ ${TARGETS.clusterTreeMs} ms`, fmtMs(cl?.connectToTreeMs, 0), cl && cl.connectToTreeMs <= TARGETS.clusterTreeMs],
    ['1,000-Pod cluster: watch event to row, p95 (plain Node)', `≤ ${TARGETS.clusterEventMs} ms`, fmtMs(cl?.event.p95Ms), cl && cl.event.p95Ms <= TARGETS.clusterEventMs],
    ['1,000-Pod cluster: heap growth (plain Node)', `≤ ${TARGETS.clusterMemoryMiB} MiB`, cl ? fmtMiB(cl.memory.heapGrowthMiB) : 'n/a', cl && cl.memory.heapGrowthMiB <= TARGETS.clusterMemoryMiB],
    ['1,000-Pod cluster: pick → first row (code-server)', `≤ ${TARGETS.clusterTreeMs} ms`, fmtMs(cl?.vscode?.connectToFirstRowMs, 0), cl?.vscode && cl.vscode.connectToFirstRowMs <= TARGETS.clusterTreeMs],
    ['1,000-Pod cluster: event → row, max (code-server)', `≤ ${TARGETS.clusterEventMs} ms`, fmtMs(cl?.vscode?.event.maxMs, 0), cl?.vscode && cl.vscode.event.maxMs <= TARGETS.clusterEventMs],
    ['1,000-Pod cluster: extension host PSS growth', `≤ ${TARGETS.clusterMemoryMiB} MiB`, cl?.vscode ? fmtMiB(cl.vscode.extensionHost.growthPssMiB) : 'n/a', cl?.vscode && cl.vscode.extensionHost.growthPssMiB <= TARGETS.clusterMemoryMiB],
  ];
  targets.push(...testbedTargets(results.testbed, TARGETS));
  targets.push(...servicesTargets(results.services, TARGETS));
  results.targets = targets.map(([name, target, value, ok]) => ({ name, target, value, met: ok === undefined ? null : Boolean(ok) }));
  lines.push('Targets (information only)');
  lines.push(table([['', 'target', 'measured', ''], ...targets.map(([n, t, v, ok]) => [n, t, v, mark(ok === undefined ? undefined : Boolean(ok))])]));
  for (const e of results.errors) lines.push('', `ERROR in ${e.section}: ${e.error}`);
  console.log(lines.join('\n'));
  console.log(`BENCH_JSON ${JSON.stringify(results)}`);
}

// ---- main -----------------------------------------------------------------------------------

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.stderr.write(`bench: ${sig}, stopping; each step's cleanup still runs \`lab down\`\n`);
    interrupted = true;
    abortAll(); // kills a running `lab up`; every later step fails fast and its finally takes the lab down
  });
}

async function main() {
  selected = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root (the baseline and the memory scan need it; the rootless run switches to nobody itself)');
  await runOk([process.execPath, '--check', CLI], { timeoutMs: 30_000 }).catch(() => {
    throw new Error(`${CLI} is missing or broken: run \`node scripts/build.mjs\` first`);
  });
  await quietDown(); // a lab left over from an earlier, interrupted run
  await section('article', article);
  await section('big', big);
  await section('rootless', rootlessRuns);
  await section('tracerArticle', tracerArticle);
  await section('tracerBig', tracerBig);
  await section('bundles', bundles);
  await section('webview', webview);
  await section('vscode', vscode);
  await section('cluster', cluster);
  await section('testbed', testbed);
  await section('services', services);
  report();
  return interrupted ? 130 : results.errors.length ? 1 : 0;
}

main()
  .then((code) => (process.exitCode = code))
  .catch(async (e) => {
    process.stderr.write(`bench: ${e?.stack ?? e}\n`);
    await quietDown();
    process.exitCode = 1;
  });
