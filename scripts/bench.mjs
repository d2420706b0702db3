#!/usr/bin/env node
// `npm run bench`: times `podnet lab up/down` against a plain shell baseline doing the same kernel work
// (scripts/bench-baseline.sh), measures a 150-Pod lab's memory, and a rootless run. Prints numbers,
// ratios and targets (✓/✗, information only); exits non-zero only when a benchmark step itself failed.
// See docs/benchmarks.md.
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, abortAll, labMemory, mark, median, round, run, runOk, stats, table, topologyYaml } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const BASELINE = join(ROOT, 'scripts', 'bench-baseline.sh');
const BASH = '/bin/bash';
const LAB = 'bench';
const RUNS = { article: 7, big: 3, rootless: 5 };
const BIG = { nodes: 3, podsPerNode: 50 };
const TIMEOUT = { up: 180_000, down: 60_000, baseline: 180_000, status: 10_000 };
const NOBODY = { uid: 65534, gid: 65534, env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }, cwd: '/tmp' };
const TARGETS = { articleUpSeconds: 0.5, articleRatio: 2, bigRatio: 2, bigMemoryMiB: 1024 };

let interrupted = false;
const results = { env: { node: process.version, kernel: release(), cpus: cpus().length }, errors: [] };

// ---- commands -------------------------------------------------------------------------------

const cliArgv = (cli, ...args) => [process.execPath, cli, ...args, '--lab', LAB];
const labUp = (extra = [], cli = CLI, opts = {}) => runOk(cliArgv(cli, 'lab', 'up', '-q', ...extra), { timeoutMs: TIMEOUT.up, ...opts });
const labDown = (cli = CLI, opts = {}) => runOk(cliArgv(cli, 'lab', 'down'), { timeoutMs: TIMEOUT.down, ...opts });
const quietDown = (cli = CLI, opts = {}) => run(cliArgv(cli, 'lab', 'down'), { timeoutMs: TIMEOUT.down, ...opts, cleanup: true });

async function sandboxPid() {
  const r = await runOk(cliArgv(CLI, 'lab', 'status', '-o', 'json'), { timeoutMs: TIMEOUT.status });
  return JSON.parse(r.stdout).sandboxPid;
}

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

async function section(name, fn) {
  if (interrupted) return;
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

// ---- report ---------------------------------------------------------------------------------

function report() {
  const a = results.article;
  const b = results.big;
  const r = results.rootless;
  const lines = [];
  const row = (label, s) => [label, fmt(s?.median), fmt(s?.min)];
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
  const targets = [
    ['article lab up median', `≤ ${TARGETS.articleUpSeconds.toFixed(3)} s`, fmt(a?.up.median), a && a.up.median <= TARGETS.articleUpSeconds],
    ['article lab up / baseline up', `≤ ${TARGETS.articleRatio}×`, a ? `${a.ratioUp}×` : 'n/a', a && a.ratioUp <= TARGETS.articleRatio],
    ['150 Pods lab up / baseline up', `≤ ${TARGETS.bigRatio}×`, b ? `${b.ratioUp}×` : 'n/a', b && b.ratioUp <= TARGETS.bigRatio],
    ['150 Pods total memory (PSS)', `≤ ${TARGETS.bigMemoryMiB} MiB`, b ? `${b.memory.pssMiB.toFixed(1)} MiB` : 'n/a', b && b.memory.pssMiB <= TARGETS.bigMemoryMiB],
  ];
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
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root (the baseline and the memory scan need it; the rootless run switches to nobody itself)');
  await runOk([process.execPath, '--check', CLI], { timeoutMs: 30_000 }).catch(() => {
    throw new Error(`${CLI} is missing or broken: run \`node scripts/build.mjs\` first`);
  });
  await quietDown(); // a lab left over from an earlier, interrupted run
  await section('article', article);
  await section('big', big);
  await section('rootless', rootlessRuns);
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
