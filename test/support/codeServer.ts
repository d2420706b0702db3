/**
 * A real VS Code for e2e tests: code-server (installed by scripts/setup-e2e.mjs into .cache/e2e) run by its own
 * Node 24, on 127.0.0.1 and a free port, with throwaway user-data and extensions folders. See docs/e2e.md.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** Where setup-e2e.mjs installs Node 24 and code-server ($PODNET_E2E_CACHE or <project>/.cache/e2e). */
export const E2E_CACHE = resolve(process.env.PODNET_E2E_CACHE || join(__dirname, '..', '..', '.cache', 'e2e'));

/** What setup-e2e.mjs installed, as written to <cache>/manifest.json. */
export interface E2eManifest {
  node: { version: string; bin: string; dir: string };
  codeServer: { version: string; entry: string; dir: string };
  chromium: { bin: string };
}

/** The installed tools, or undefined when setup-e2e.mjs has not run (or its files are gone). */
export function readManifest(): E2eManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(E2E_CACHE, 'manifest.json'), 'utf8')) as E2eManifest;
    return [m.node.bin, m.codeServer.entry, m.chromium.bin].every((f) => existsSync(f)) ? m : undefined;
  } catch {
    return undefined;
  }
}

function requireManifest(): E2eManifest {
  const m = readManifest();
  if (!m) throw new Error(`code-server is not installed in ${E2E_CACHE}: run \`node scripts/setup-e2e.mjs\` first`);
  return m;
}

/** The workbench colour themes the screenshots use. */
export type ColorTheme = 'Default Dark Modern' | 'Default Light Modern';

/** How to start code-server. */
export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  /** A .vsix to install into extensionsDir before the server starts. */
  vsix?: string;
  /** Keep the workspace-trust feature on (the folder then opens in Restricted Mode). Default false: --disable-workspace-trust. */
  workspaceTrust?: boolean;
  colorTheme?: ColorTheme;
  /** Extra user settings, merged over the defaults below. */
  settings?: Record<string, unknown>;
  /**
   * Remote (machine) settings, written to `<userDataDir>/Machine/settings.json`. code-server's window is a remote one,
   * where settings of scope `machine` (e.g. `podnet.kubeconfig`) are read from there, not from the user settings.
   */
  machineSettings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** How long to wait for the server to answer HTTP. Default 90 s. */
  startTimeoutMs?: number;
}

/** A running code-server. */
export interface CodeServer {
  url: string;
  /** Milliseconds from spawn until /healthz answered. */
  startMs: number;
  /** Milliseconds `--install-extension` took (0 without a vsix). */
  installMs: number;
  /** Everything code-server printed so far. */
  output(): string;
  /** Kills code-server's whole process group and waits for it to go. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
};

/** Environment variables from a surrounding VS Code, Electron or test runner that would confuse code-server. */
function cleanEnv(extra: Record<string, string> = {}, dataHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|TS_NODE_|TSX_)/.test(k)) env[k] = v;
  }
  // code-server keeps its own logs under $XDG_DATA_HOME/code-server: keep them beside the user data, not in ~.
  // An empty gallery turns the marketplace off: no lookups of open-vsx.org from a machine that cannot reach it.
  return { ...env, XDG_DATA_HOME: dataHome, EXTENSIONS_GALLERY: '{}', ...extra };
}

/** A port nobody listens on right now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((ok) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => ok(0));
  });
}

/** Runs node24 code-server args... to completion (used for --install-extension), with a timeout. */
function runCodeServerCli(m: E2eManifest, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(m.node.bin, [m.codeServer.entry, ...args], { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err) fail(new Error(`code-server ${args.join(' ')} failed:\n${out}`, { cause: err }));
      else ok(out);
    });
  });
}

function writeSettings(opts: CodeServerOptions): void {
  const userDir = join(opts.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const settings = {
    ...DEFAULT_SETTINGS,
    'security.workspace.trust.enabled': opts.workspaceTrust ?? false,
    'workbench.colorTheme': opts.colorTheme ?? 'Default Dark Modern',
    ...opts.settings,
  };
  writeFileSync(join(userDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  if (opts.machineSettings) {
    const machineDir = join(opts.userDataDir, 'Machine');
    mkdirSync(machineDir, { recursive: true });
    writeFileSync(join(machineDir, 'settings.json'), `${JSON.stringify(opts.machineSettings, null, 2)}\n`);
  }
}

const liveGroups = new Set<number>();
// Last resort when a test run dies without calling stop() (mocha --exit still fires 'exit'): no orphaned servers.
process.once('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess, pgid: number): Promise<void> {
  if (!liveGroups.delete(pgid)) return;
  killGroup(pgid, 'SIGTERM');
  for (const deadline = Date.now() + 5000; groupAlive(pgid) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
  killGroup(pgid, 'SIGKILL');
  for (const deadline = Date.now() + 5000; groupAlive(pgid) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** Installs opts.vsix, writes user settings, starts code-server and waits until it answers HTTP. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const m = requireManifest();
  for (const d of [opts.extensionsDir, opts.userDataDir]) mkdirSync(d, { recursive: true });
  const config = join(opts.userDataDir, 'code-server.yaml'); // never ~/.config/code-server/config.yaml
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env = cleanEnv(opts.env, join(opts.userDataDir, 'xdg-data'));
  const common = ['--config', config, '--extensions-dir', opts.extensionsDir, '--user-data-dir', opts.userDataDir];

  let installMs = 0;
  if (opts.vsix) {
    const t0 = Date.now();
    await runCodeServerCli(m, ['--install-extension', opts.vsix, '--force', ...common], env, 120_000);
    installMs = Date.now() - t0;
  }
  writeSettings(opts);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    m.codeServer.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened', ...common,
    // A server whose test process vanished without stop() shuts itself down once no browser is connected.
    '--idle-timeout-seconds', '600',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    opts.workspace,
  ];
  const t0 = Date.now();
  // detached: its own process group, so stop() takes the server, its extension host and pty host together.
  const child = spawn(m.node.bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (!pgid) throw new Error(`could not start ${m.node.bin} ${args.join(' ')}`);
  liveGroups.add(pgid);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));

  const stop = () => stopGroup(child, pgid);
  const deadline = t0 + (opts.startTimeoutMs ?? 90_000);
  while ((await httpStatus(`${url}/healthz`, 2000)) !== 200) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server ${exited ?? `did not answer on ${url} within ${deadline - t0} ms`}; its output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, startMs: Date.now() - t0, installMs, output: () => out, stop };
}
