// Finding code-server's extension host and reading a process's memory from /proc, for the benches that run VS Code
// (scripts/bench-vscode.ts, scripts/bench-cluster.ts).
import { readdirSync, readFileSync } from 'node:fs';

/** Extension host marker on its command line: VS Code's server forks it with `--type=extensionHost`. */
export const EXTHOST_MARKER = '--type=extensionHost';

const r1 = (x: number) => Number(x.toFixed(1));

/** A process's argv from /proc (empty when it is gone). */
export const cmdline = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
};

/** A process's parent pid from /proc (0 when it is gone). */
export const parentOf = (pid: number): number => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return 0;
  }
};

/**
 * The extension host of the code-server that uses `userDataDir`: a process whose command line holds `--type=extensionHost`
 * and one of whose ancestors is that code-server (its command line holds `--user-data-dir <userDataDir>`, which is unique
 * to this run). Throws unless exactly one matches.
 */
export function extensionHostPid(userDataDir: string): { pid: number; chain: string[] } {
  const found: { pid: number; chain: string[] }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (!cmdline(pid).includes(EXTHOST_MARKER)) continue;
    const chain: string[] = [];
    for (let p = parentOf(pid); p > 1; p = parentOf(p)) {
      const args = cmdline(p);
      chain.push(`${p} ${args.slice(0, 3).join(' ')}`);
      const i = args.indexOf('--user-data-dir');
      if (i >= 0 && args[i + 1] === userDataDir) {
        found.push({ pid, chain });
        break;
      }
    }
  }
  if (found.length !== 1) throw new Error(`expected one extension host (${EXTHOST_MARKER}) under the code-server of ${userDataDir}, found ${found.length}`);
  return found[0];
}

/** RSS and PSS of one process from /proc/PID/smaps_rollup, in MiB. */
export function memory(pid: number): { rssMiB: number; pssMiB: number } {
  const kb: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
    const m = /^(Pss|Rss):\s+(\d+) kB/.exec(line);
    if (m) kb[m[1]] = Number(m[2]);
  }
  if (kb.Rss === undefined || kb.Pss === undefined) throw new Error(`no Rss/Pss in /proc/${pid}/smaps_rollup`);
  return { rssMiB: r1(kb.Rss / 1024), pssMiB: r1(kb.Pss / 1024) };
}
