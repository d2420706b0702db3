/** Host-side helpers about the sandbox process: its argv, its PID inside, and whether it still runs. */
import { readFileSync, readdirSync } from 'node:fs';
import type { LabTools } from './tools';

/** argv that starts the lab process in new namespaces; rootless adds a user namespace mapping us to root. */
export function sandboxArgv(tools: LabTools, rootless: boolean, daemonArgv: string[]): string[] {
  return [
    tools.unshare,
    ...(rootless ? ['--user', '--map-root-user'] : []),
    '--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc',
    '--propagation', 'private',
    '--', ...daemonArgv,
  ];
}

/** PIDs of the direct children of `pid` (the unshare wrapper has exactly one: the lab process). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // kernels without CONFIG_PROC_CHILDREN: scan every process's parent
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
      try {
        return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
  }
}

/** True while a process with this PID exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
