/** The lab process's link to the `podnet lab up` that started it: fd 3, a socket whose other end only the launcher holds. */
import { fstatSync, readFileSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { run } from '../../../util/exec';
import { pathsBesideSocket } from '../labPaths';
import type { LabTools } from '../tools';

/** True when fd 3 is open (the launcher passed its readiness socket); false when started by hand. */
function hasFd3(): boolean {
  try {
    fstatSync(3);
    return true;
  } catch {
    return false; // no fd 3: nobody waits for "ready", and no launcher can vanish
  }
}

/**
 * Reports "ready" on fd 3 and keeps it open: when the launcher dies (even by SIGKILL) the kernel closes its
 * end and `onGone` runs at once, so an unbuilt sandbox never outlives it. Returns false when there is no fd 3.
 */
export function reportReadyAndWatchLauncher(onGone: () => void): boolean {
  if (!hasFd3()) return false;
  try {
    writeSync(3, 'ready\n');
  } catch (e) {
    // EPIPE: the launcher died before the lab was even ready.
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE' && (e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
    setImmediate(onGone);
    return true;
  }
  const line = new Socket({ fd: 3, readable: true, writable: false });
  line.on('data', () => undefined); // the launcher sends nothing; reading is how its end closing is noticed
  let told = false;
  const gone = () => {
    line.destroy(); // close fd 3, so processes started from now on do not inherit it
    if (!told) onGone();
    told = true;
  };
  line.once('end', gone);
  line.once('error', gone); // ECONNRESET and the like: the launcher is gone just the same
  return true;
}

/** Leftovers of a lab whose launcher died before the lab was built, read at start-up (the lock's holder then). */
export interface OrphanCleanup {
  socket: string;
  stateDir: string;
  tools: LabTools;
  /** The start lock's text when the lab process started (the launcher's PID); removed only if unchanged. */
  lockText?: string;
}

/** Reads the start lock's holder now, so it can be removed later only if the same launcher still holds it. */
export function orphanCleanupFor(socket: string, stateDir: string, tools: LabTools): OrphanCleanup {
  let lockText: string | undefined;
  try {
    lockText = readFileSync(pathsBesideSocket(socket).lock, 'utf8');
  } catch {
    lockText = undefined; // no lock (started by hand): nothing to remove later
  }
  return { socket, stateDir, tools, lockText };
}

/** Removes, from inside the sandbox, what the dead launcher would have removed: socket, state folder, log and its start lock. */
export async function removeOrphanFiles(c: OrphanCleanup): Promise<string[]> {
  const problems: string[] = [];
  const paths = pathsBesideSocket(c.socket);
  // Lazy: files of a half-built lab may still be open; the host folder under the tmpfs is empty either way.
  const umount = await run([c.tools.umount, '-l', c.stateDir], { timeoutMs: 5000 });
  if (umount.code !== 0 && !/not mounted/.test(umount.stderr)) problems.push(`umount ${c.stateDir}: ${umount.stderr.trim()}`);
  const tryRemove = (what: () => void, path: string) => {
    try {
      what();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path}: ${(e as NodeJS.ErrnoException).code}`);
    }
  };
  tryRemove(() => rmdirSync(c.stateDir), c.stateDir);
  tryRemove(() => rmSync(c.socket), c.socket);
  tryRemove(() => rmSync(paths.log), paths.log);
  if (c.lockText !== undefined) {
    tryRemove(() => readFileSync(paths.lock, 'utf8') === c.lockText && rmSync(paths.lock), paths.lock);
  }
  return problems;
}
