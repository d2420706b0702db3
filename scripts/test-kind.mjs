#!/usr/bin/env node
// `npm run test:kind`: the kind flow with the REAL kind on a machine that has it (kind, Docker or Podman, and a
// registry to pull kindest/node and agnhost from). Not run in CI: there, tests use the kind stand-in
// (test/support/kindStandIn) that builds kind-shaped nodes in a test Docker engine. For each mode (kindnet, bridge):
// podnet kind create, get pods, a verified cross-node trace without NAT, podnet demo --kind, then podnet kind delete.
//
//   node scripts/test-kind.mjs [--cni kindnet|bridge] [--keep]
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const { values } = parseArgs({ options: { cni: { type: 'string' }, keep: { type: 'boolean' } } });
const modes = values.cni ? [values.cni] : ['kindnet', 'bridge'];

let failed = 0;
let passed = 0;
function podnet(args, expect = 0) {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  const ok = res.status === expect;
  console.log(`${ok ? 'PASS' : 'FAIL'}  podnet ${args.join(' ')} (exit ${res.status})`);
  if (ok) passed++;
  else failed++;
  return res.stdout ?? '';
}

if (spawnSync('kind', ['version'], { encoding: 'utf8' }).status !== 0) {
  console.error('test:kind needs the real kind on PATH (https://kind.sigs.k8s.io/docs/user/quick-start/#installation).');
  process.exit(1);
}
for (const cni of modes) {
  const name = `podnet-e2e-${cni}`;
  const ctx = `kind-${name}`;
  podnet(['kind', 'create', '--name', name, '--cni', cni]);
  const pods = JSON.parse(podnet(['get', 'pods', '-o', 'json', '--context', ctx]) || '[]');
  const running = pods.filter((p) => p.phase === 'Running' && p.podIPs.length > 0);
  console.log(`      ${running.length} Running Pods: ${running.map((p) => `${p.name}=${p.podIPs[0]}@${p.node}`).join(', ')}`);
  const trace = JSON.parse(podnet(['trace', 'pod-a', 'pod-c', '--json', '--context', ctx]) || '{}');
  const verified = trace.disposition === 'DELIVERED' && trace.verification?.matches && trace.verification?.natVerdict === 'no-nat';
  console.log(`${verified ? 'PASS' : 'FAIL'}  pod-a -> pod-c delivered, observed as predicted, no NAT`);
  verified ? passed++ : failed++;
  podnet(['demo', '--kind', name]);
  if (!values.keep) podnet(['kind', 'delete', '--name', name]);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
