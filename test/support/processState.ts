/** Whether a process still runs, for tests that check that PodNet's runner ended what it started. */
import { readFileSync } from 'node:fs';

/** True while `pid` runs; a zombie (killed, not yet reaped by whoever adopted it) no longer runs. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // no /proc entry: gone
  }
}
