/** What every end-to-end test in code-server needs first: the e2e tools installed and a fresh .vsix. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readManifest } from './codeServer';

/** The repository root. */
export const PROJECT = resolve(__dirname, '..', '..');
/** The packaged extension the tests install. */
export const VSIX = join(PROJECT, 'dist', 'podnet-lab.vsix');

/** Runs a project script with Node, output to the test log; throws on failure or timeout. */
export function runScript(script: string, timeoutMs: number): void {
  const res = spawnSync(process.execPath, [join(PROJECT, 'scripts', script)], { cwd: PROJECT, stdio: ['ignore', 'inherit', 'inherit'], timeout: timeoutMs, killSignal: 'SIGTERM' });
  if (res.status !== 0) throw new Error(`node scripts/${script} failed (${res.error?.message ?? res.signal ?? `exit ${res.status}`})`);
}

/** Installs code-server and Chromium when missing (raising the hook's timeout for that) and packages the .vsix. */
export function prepareE2e(ctx: Mocha.Context): void {
  if (!readManifest()) {
    ctx.timeout(45 * 60_000); // first run on a fresh machine: apt-get + Node 24 + code-server (~2 min here)
    runScript('setup-e2e.mjs', 40 * 60_000);
  }
  runScript('package-vsix.mjs', 5 * 60_000);
}
