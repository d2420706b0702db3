/** Reads the host's own network state and process table, to prove the lab neither changes nor leaks into it. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The host namespace's links, addresses, routes (all tables) and rules, normalised for comparison. */
export function hostNetworkState(): Record<string, unknown> {
  const ip = (args: string[]) => JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8', timeout: 10_000 }) || '[]');
  const links = (ip(['link', 'show']) as { ifindex: number; ifname: string; address?: string; link_type?: string }[])
    .map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, address: l.address, type: l.link_type }));
  const addrs = (ip(['addr', 'show']) as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[])
    .map((l) => ({ ifname: l.ifname, addrs: (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`).sort() }));
  const routes = (ip(['route', 'show', 'table', 'all']) as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
  const rules = (ip(['rule', 'show']) as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
  return { links, addrs, routes, rules };
}

/** Host PIDs of every process whose namespace `kind` (pid, net, ...) is the inode `inode` (e.g. "pid:[4026532300]"). */
export function processesInNamespace(kind: 'pid' | 'net' | 'mnt', inode: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/${kind}`) === inode) pids.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return pids;
}

/** Host PIDs whose command line contains every one of `parts`. */
export function processesWithArgs(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parts.every((p) => args.includes(p))) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
