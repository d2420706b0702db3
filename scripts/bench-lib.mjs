// Helpers for scripts/bench.mjs: timed child processes (argv only, always a timeout), stats,
// the generated topology, and the memory of a lab's PID namespace.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const active = new Set();
let aborted = false;

/** Interrupts the bench: kills every running child; from now on only runs marked `cleanup` start. */
export function abortAll() {
  aborted = true;
  for (const child of active) child.kill('SIGKILL');
}

/** Runs argv (no shell) with a timeout; resolves with code, output and wall seconds. Never rejects on exit codes. */
export function run(argv, { timeoutMs = 60_000, uid, gid, env, cwd, cleanup = false } = {}) {
  return new Promise((resolve) => {
    if (aborted && !cleanup) {
      resolve({ code: -1, stdout: '', stderr: 'interrupted', seconds: 0, timedOut: false });
      return;
    }
    const t0 = process.hrtime.bigint();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), { shell: false, stdio: ['ignore', 'pipe', 'pipe'], uid, gid, env, cwd });
    } catch (e) {
      resolve({ code: -1, stdout, stderr: String(e), seconds: 0, timedOut });
      return;
    }
    active.add(child);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      active.delete(child);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr, seconds, timedOut });
    });
  });
}

/** Like {@link run} but throws a readable error when the command fails. */
export async function runOk(argv, opts = {}) {
  const r = await run(argv, opts);
  if (r.code !== 0) {
    const why = r.timedOut ? `timed out after ${(opts.timeoutMs ?? 60_000) / 1000} s` : `exited with ${r.code}`;
    const out = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-6).join('\n    ');
    throw new Error(`${argv.join(' ')} ${why}${out ? `:\n    ${out}` : ''}`);
  }
  return r;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const min = (xs) => (xs.length ? Math.min(...xs) : NaN);
export const stats = (xs) => ({ median: round(median(xs)), min: round(min(xs)), runs: xs.map((x) => round(x)) });
export const round = (x, digits = 4) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

/** Same shape as generateTopology(nodes, podsPerNode) in src/model/topologySpec.ts: defaults fill the rest. */
export function topologyYaml(nodes, podsPerNode) {
  const lines = [`name: bench-${nodes}x${podsPerNode}`, 'nodes:'];
  for (let i = 1; i <= nodes; i++) lines.push(`  - name: node${i}`);
  lines.push('pods:');
  for (let i = 1; i <= nodes; i++) {
    for (let j = 1; j <= podsPerNode; j++) lines.push(`  - {name: p${i}-${String(j).padStart(3, '0')}, node: node${i}}`);
  }
  return `${lines.join('\n')}\n`;
}

const nsOf = (pid) => {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
};

const parentOf = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);

function rollup(pid) {
  const kb = { Pss: 0, Rss: 0 };
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
      const m = /^(Pss|Rss):\s+(\d+) kB/.exec(line);
      if (m) kb[m[1]] = Number(m[2]);
    }
  } catch {
    return undefined; // exited meanwhile, or a kernel thread
  }
  return kb;
}

/** Every process in the PID namespace of `sandboxPid` plus its unshare parent, with summed PSS and RSS. */
export function labMemory(sandboxPid) {
  const ns = nsOf(sandboxPid);
  if (!ns) throw new Error(`sandbox process ${sandboxPid} is gone`);
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => nsOf(p) === ns);
  const parent = parentOf(sandboxPid);
  if (!pids.includes(parent)) pids.push(parent);
  let pss = 0;
  let rss = 0;
  let count = 0;
  const byName = {};
  for (const pid of pids) {
    const kb = rollup(pid);
    if (!kb) continue;
    count++;
    pss += kb.Pss;
    rss += kb.Rss;
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // gone
    }
    byName[comm] = (byName[comm] ?? 0) + 1;
  }
  return { processes: count, pssMiB: round(pss / 1024, 1), rssMiB: round(rss / 1024, 1), byName };
}

/** Fixed-width table: rows are arrays of cells, the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => String(cell ?? '').padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

export const fmt = (x, unit = 's') => (Number.isFinite(x) ? `${x.toFixed(3)} ${unit}` : 'n/a');
export const mark = (ok) => (ok === undefined ? '?' : ok ? '✓' : '✗');
