#!/usr/bin/env node
// `npm run test:cluster`: the cluster end-to-end checks against a REAL cluster, the one named by --context / --kubeconfig
// (or $KUBECONFIG's current context): cluster info, get nodes and pods (kubectl-shaped and json), a snapshot (validated,
// source recorded), and a verified trace between two Running Pods on different nodes, if there are any. Read-only unless
// --debug-pods is given (then PodNet shows the debug Pod manifests, creates them with --yes, and deletes them after).
// Uses the built CLI (dist/cli.js; run `node scripts/build.mjs` first). See docs/cluster.md.
//
//   node scripts/test-cluster.mjs --context kind-lab
//   node scripts/test-cluster.mjs --kubeconfig ~/.kube/prod --context prod --debug-pods --yes
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const { values } = parseArgs({
  options: {
    context: { type: 'string' }, kubeconfig: { type: 'string' }, 'debug-pods': { type: 'string' }, yes: { type: 'boolean' },
    namespace: { type: 'string', short: 'n' }, help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: false,
});
if (values.help) {
  console.log('Usage: node scripts/test-cluster.mjs [--context CTX] [--kubeconfig FILE] [-n NS] [--debug-pods IMAGE|default --yes]');
  process.exit(0);
}
if (!existsSync(CLI)) {
  console.error(`test-cluster: ${CLI} is missing: run \`node scripts/build.mjs\` first`);
  process.exit(2);
}

/** The cluster selection every command gets; without --context/--kubeconfig, $KUBECONFIG (or ~/.kube/config) names it. */
const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(process.env.HOME ?? '/root', '.kube', 'config');
const select = ['--kubeconfig', kubeconfig, ...(values.context ? ['--context', values.context] : [])];
const debug = values['debug-pods'] === undefined ? [] : [values['debug-pods'] === 'default' ? '--debug-pods' : `--debug-pods=${values['debug-pods']}`, ...(values.yes ? ['--yes'] : [])];

function podnet(args, { timeoutMs = 180_000, onCluster = true } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args, ...(onCluster ? select : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PODNET_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

const results = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
    console.log(`✓ ${name}${detail ? `: ${detail}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false, detail: e.message });
    console.log(`✗ ${name}: ${e.message}`);
  }
}
function ok(res, what) {
  if (res.code !== 0) throw new Error(`${what} exited ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return res;
}

let nodes = [];
let pods = [];
let access = 'none';
await check('cluster info', async () => {
  const res = ok(await podnet(['cluster', 'info']), 'podnet cluster info');
  access = /^access:\s+(\S+):/m.exec(res.stdout)?.[1] ?? 'unknown';
  return res.stdout.split('\n').filter((l) => /^(server|nodes|access):/.test(l)).map((l) => l.replace(/\s+/g, ' ')).join('; ');
});
await check('get nodes', async () => {
  nodes = JSON.parse(ok(await podnet(['get', 'nodes', '-o', 'json']), 'podnet get nodes -o json').stdout);
  const table = ok(await podnet(['get', 'nodes', '-o', 'wide']), 'podnet get nodes -o wide').stdout;
  if (!/^NAME\s+STATUS\s+ROLES\s+AGE\s+INTERNAL-IP\s+POD-CIDR\s+ACCESS/.test(table)) throw new Error(`unexpected header: ${table.split('\n')[0]}`);
  if (nodes.length === 0) throw new Error('the API lists no nodes');
  return `${nodes.length} nodes`;
});
await check('get pods', async () => {
  const scope = values.namespace ? ['-n', values.namespace] : ['-A'];
  pods = JSON.parse(ok(await podnet(['get', 'pods', '-o', 'json', ...scope]), 'podnet get pods -o json').stdout);
  const table = ok(await podnet(['get', 'pods', '-o', 'wide', ...scope]), 'podnet get pods -o wide').stdout;
  if (pods.length && !/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/.test(table.split('\n')[0])) throw new Error(`unexpected header: ${table.split('\n')[0]}`);
  return `${pods.length} Pods`;
});
const dir = mkdtempSync(join(tmpdir(), 'podnet-test-cluster-'));
try {
  await check('snapshot', async () => {
    if (access === 'none' && !debug.length) return 'skipped: no node access (API only); run with --debug-pods to read the nodes';
    const file = join(dir, 'cluster.json');
    const res = ok(await podnet(['snapshot', '-o', file, ...debug]), 'podnet snapshot');
    ok(await podnet(['snapshot', 'validate', file], { onCluster: false }), 'podnet snapshot validate');
    return `${res.stderr.trim().split('\n').pop()} (${res.ms} ms)`;
  });
  await check('trace between two Running Pods on different nodes', async () => {
    if (access === 'none' && !debug.length) return 'skipped: no node access (API only)';
    const running = pods.filter((p) => p.phase === 'Running' && !p.deleting && !p.hostNetwork && p.podIPs.length);
    const a = running[0];
    const b = a && running.find((p) => p.node !== a.node);
    if (!a || !b) return 'skipped: no two Running Pods on different nodes';
    const res = await podnet(['trace', `${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`, ...debug]);
    if (res.code !== 0 && res.code !== 4 && res.code !== 5) ok(res, 'podnet trace');
    const verdict = res.stdout.trim().split('\n').slice(-3).join(' | ');
    if (res.code !== 0) throw new Error(`exit ${res.code}: ${verdict}`);
    return `${a.namespace}/${a.name} → ${b.namespace}/${b.name} in ${res.ms} ms: ${verdict}`;
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length}/${results.length} checks passed`);
process.exit(failed.length ? 1 : 0);
