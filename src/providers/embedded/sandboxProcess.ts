/** Host-side helpers about the sandbox process: its argv, its PID inside, and whether it still runs. */
import { readFileSync, readdirSync } from 'node:fs';
import type { LabTools } from './tools';

/** Marker ($0 of the init shell) by which the lab process recognises that its parent is the sandbox's reaping PID 1. */
export const LAB_INIT_NAME = 'podnet-lab-init';

/**
 * argv that starts the lab process in new namespaces; rootless adds a user namespace mapping us to root.
 * PID 1 of the sandbox is a busybox shell that only waits for the lab process: while it waits it reaps every
 * orphan the kernel hands to PID 1 (Node cannot wait for processes it did not start), and it exits, ending the
 * PID namespace, as soon as the lab process does.
 */
export function sandboxArgv(tools: LabTools, rootless: boolean, daemonArgv: string[]): string[] {
  return [
    tools.unshare,
    ...(rootless ? ['--user', '--map-root-user'] : []),
    '--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc',
    '--propagation', 'private',
    '--', tools.busybox, 'sh', '-c', '"$@" & wait $!', LAB_INIT_NAME, ...daemonArgv,
  ];
}

/** Fields of /proc/PID/stat after the command name (which may itself contain ") "): state, ppid, ... */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** PIDs of the direct children of `pid` (the unshare wrapper has exactly one: the lab process). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // kernels without CONFIG_PROC_CHILDREN: scan every process's parent
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
      try {
        return Number(statFields(p)[1]) === pid;
      } catch {
        return false;
      }
    });
  }
}

/** True while a process with this PID exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const state = statFields(pid)[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
