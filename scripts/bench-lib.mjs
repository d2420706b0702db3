// Helpers for scripts/bench.mjs: timed child processes (argv only, always a timeout), stats,
// the generated topology, the memory of a lab's PID namespace, the raw commands of a snapshot, file sizes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

const active = new Map(); // child -> its stop()
let aborted = false;

/** Interrupts the bench: stops every running child; from now on only runs marked `cleanup` start. */
export function abortAll() {
  aborted = true;
  for (const stop of active.values()) stop();
}

/**
 * Runs argv (no shell) with a timeout; resolves with code, output and wall seconds. Never rejects on exit codes.
 * On timeout or interrupt the child gets SIGKILL, or with `graceMs` SIGTERM first and SIGKILL `graceMs` later (for a
 * child that has its own cleanup to run, like scripts/bench-vscode.ts stopping code-server and Chromium). `input` is
 * written to the child's stdin (otherwise stdin is closed).
 */
export function run(argv, { timeoutMs = 60_000, uid, gid, env, cwd, cleanup = false, graceMs = 0, input } = {}) {
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
      child = spawn(argv[0], argv.slice(1), { shell: false, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], uid, gid, env, cwd });
    } catch (e) {
      resolve({ code: -1, stdout, stderr: String(e), seconds: 0, timedOut });
      return;
    }
    const stop = () => {
      if (!graceMs) return void child.kill('SIGKILL');
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
    };
    active.set(child, stop);
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    if (input !== undefined) {
      child.stdin.on('error', () => undefined); // the child may exit before reading it all: its exit code says so
      child.stdin.end(input);
    }
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

// ---- the tracer's snapshot, raw -------------------------------------------------------------

/** Runs `fn` over items with at most `limit` in flight (as mapLimit in src/util/concurrency.ts). */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The collector's namespace parallelism (NAMESPACE_CONCURRENCY in src/snapshot/collect.ts). */
export const SNAPSHOT_CONCURRENCY = 8;

/**
 * The read-only processes the collector runs in every namespace, all at once: src/snapshot/collect.ts with its
 * batches (collectBatch.ts), plus the `nft -j list ruleset` of collectFilter in collectExec.ts; the collector falls
 * back to iptables-save only where nft is not installed, and so does {@link rawSnapshot}. `input` goes to stdin.
 */
export const SNAPSHOT_COMMANDS = [
  { argv: ['ip', '-j', '-d', 'link', 'show'] },
  // src/snapshot/collectBatch.ts: four ip tables in one process, both sysctls in one cat (9 commands became 5).
  { argv: ['ip', '-j', '-batch', '-'], input: 'addr show\nroute show table all root 0.0.0.0/0\nrule show\nneigh show\n' },
  { argv: ['bridge', '-j', 'fdb', 'show'] },
  // bridge-nf-call-iptables may be missing (no br_netfilter): cat then exits 1 after printing ip_forward, which is fine.
  { argv: ['cat', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/bridge/bridge-nf-call-iptables'], optional: true },
  { argv: ['nft', '-j', 'list', 'ruleset'] },
];
const NSENTER = '/usr/bin/nsenter';

/** The lab runtime folder as src/providers/embedded/labPaths.ts computes it (root: /run/podnet). */
export function labStateDir(lab, env = process.env, uid = process.getuid?.() ?? 0) {
  const dir = env.PODNET_RUNTIME_DIR || (env.XDG_RUNTIME_DIR ? `${env.XDG_RUNTIME_DIR}/podnet` : uid === 0 ? '/run/podnet' : `/tmp/podnet-${uid}`);
  return `${dir}/${lab}.state`;
}

/**
 * Every namespace the collector reads (wire, nodes, Running Pods), as an argv prefix that enters it
 * straight from the host, without the lab's RPC. The namespace files live on a tmpfs that only the
 * sandbox's mount namespace sees, so they are opened through /proc/SANDBOX/root, which resolves paths in
 * that mount namespace: one nsenter per command, as the lab process itself does
 * (`nsenter --net=F.net --uts=F.uts -- CMD`, src/providers/embedded/daemon/namespaces.ts). The wire is
 * the sandbox's own network namespace.
 */
export function rawTargets(status, lab) {
  const pid = status.sandboxPid;
  const ns = `/proc/${pid}/root${labStateDir(lab)}/ns`;
  const enter = (id) => [NSENTER, `--net=${ns}/${id}.net`, `--uts=${ns}/${id}.uts`, '--'];
  const out = [{ id: 'wire', prefix: [NSENTER, `--net=/proc/${pid}/ns/net`, '--'] }];
  for (const n of status.nodes) out.push({ id: `node/${n.name}`, prefix: enter(`node-${n.name}`) });
  for (const p of status.pods) if (p.status === 'Running') out.push({ id: `pod/${p.name}`, prefix: enter(`pod-${p.name}`) });
  if (status.dockerHost) throw new Error('rawTargets does not know the Docker-style host: bench a lab without one');
  for (const t of out.slice(1)) {
    const f = t.prefix[1].slice('--net='.length);
    if (!existsSync(f)) throw new Error(`namespace file ${f} is missing (is the sandbox's state dir somewhere else?)`);
  }
  return out;
}

/**
 * One raw snapshot: every command in every target, `concurrency` namespaces at a time and each namespace's
 * commands at once, as the collector does. Resolves with the milliseconds it took, the commands run and the
 * bytes read; throws when a required command failed (the baseline would not be doing the same work).
 */
export async function rawSnapshot(targets, { concurrency = SNAPSHOT_CONCURRENCY, timeoutMs = 15_000 } = {}) {
  let commands = 0;
  let bytes = 0;
  const failures = [];
  const one = async (t, { argv, input, optional }) => {
    commands++;
    let r = await run([...t.prefix, ...argv], { timeoutMs, input });
    if (argv[0] === 'nft' && r.code === 127) { // nft not installed: the collector reads iptables-save instead
      commands++;
      r = await run([...t.prefix, 'iptables-save'], { timeoutMs });
    }
    bytes += r.stdout.length;
    if (r.code !== 0 && !optional) failures.push(`${t.id}: ${argv.join(' ')} exited with ${r.code}: ${r.stderr.trim()}`);
  };
  const t0 = performance.now();
  await mapLimit(targets, concurrency, (t) => Promise.all(SNAPSHOT_COMMANDS.map((c) => one(t, c))));
  const ms = performance.now() - t0;
  if (failures.length) throw new Error(`raw snapshot: ${failures.length} command(s) failed, first: ${failures[0]}`);
  return { ms, commands, bytes, namespaces: targets.length };
}

export const fmtMs = (x, digits = 1) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : 'n/a');

/** Size of a file in bytes, raw and gzipped (node:zlib gzipSync, default level 6). */
export function fileSize(path) {
  const buf = readFileSync(path);
  return { bytes: buf.length, gzipBytes: gzipSync(buf).length };
}

export const kib = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : 'n/a');
export const fmtMiB = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} MiB` : 'n/a');
