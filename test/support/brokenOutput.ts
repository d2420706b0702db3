/** Runs the built CLI as root with stdout that goes away: a reader that leaves after N lines (`| head -N`), or a full disk (`> /dev/full`). */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliResult } from './cli';

const BUILT_CLI = resolve(__dirname, '../../dist/cli.js');

/** Like `podnet ARGS | head -LINES`: stdout's read end is closed after `lines` lines; resolves with what was read and stderr. */
export function runCliClosingStdout(args: string[], lines = 1, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PODNET_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.split('\n').length > lines) child.stdout.destroy(); // the reader leaves, as head does
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout: stdout.split('\n').slice(0, lines).join('\n'), stderr });
    });
  });
}

/** Like `podnet ARGS > /dev/full`: every write to stdout fails with ENOSPC. */
export function runCliToFullDisk(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  const fd = openSync('/dev/full', 'w');
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { shell: false, stdio: ['ignore', fd, 'pipe'], env: { ...process.env, PODNET_DEBUG: '' } });
    closeSync(fd);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout: '', stderr });
    });
  });
}
