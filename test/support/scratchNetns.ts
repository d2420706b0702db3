/** A throw-away network namespace held by a sleeping process, for loading nft tables in tests and benches without touching the host's. */
import { readlinkSync } from 'node:fs';
import { sleep } from '../../src/util/concurrency';
import { startProcess } from '../../src/util/exec';

/** A scratch namespace: `enter` prefixes argv to run in it; `stop` ends it. */
export interface ScratchNetns {
  enter: string[];
  stop(): void;
}

/**
 * A new network namespace (as root a plain one; otherwise inside a new user namespace, as a rootless lab's nodes are). Resolves only
 * once the holder is in it, so nothing can run in this process's own namespace by mistake.
 */
export async function startScratchNetns(opts: { userns?: boolean } = {}): Promise<ScratchNetns> {
  const userns = opts.userns ?? process.getuid?.() !== 0;
  const holder = startProcess(['unshare', ...(userns ? ['-Urn'] : ['-n']), '--', 'sleep', '3600'], { stdio: 'ignore' });
  const own = readlinkSync('/proc/self/ns/net');
  const deadline = Date.now() + 5000;
  for (;;) {
    let theirs = own;
    try {
      theirs = readlinkSync(`/proc/${holder.pid}/ns/net`);
    } catch {
      // not started yet (or already gone: the deadline below reports it)
    }
    if (theirs !== own) break;
    if (Date.now() > deadline) {
      holder.kill('SIGKILL');
      throw new Error('the scratch network namespace did not come up within 5 s');
    }
    await sleep(5);
  }
  return {
    enter: ['nsenter', '-t', String(holder.pid), ...(userns ? ['-U', '--preserve-credentials'] : []), '-n', '--'],
    stop: () => void holder.kill('SIGKILL'),
  };
}
