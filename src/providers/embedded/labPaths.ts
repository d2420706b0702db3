/** Where a lab's control socket, log and private state live on the host. */
import { join } from 'node:path';

/** Paths for one named lab of the current user. */
export interface LabPaths {
  /** Per-user folder (mode 0700) that holds every lab's socket and log. */
  runtimeDir: string;
  /** Unix socket the lab process listens on; the CLI and the extension connect here. */
  socket: string;
  /** The lab process's log (kept after a crash, removed by `down`). */
  log: string;
  /** Empty folder on the host; inside the sandbox a private tmpfs is mounted on it. */
  stateDir: string;
}

/** Default lab name when neither `--lab` nor PODNET_LAB is given. */
export const DEFAULT_LAB_NAME = 'default';

/** The per-user runtime folder: $XDG_RUNTIME_DIR/podnet, /run/podnet for root, else /tmp/podnet-UID. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.PODNET_RUNTIME_DIR) return env.PODNET_RUNTIME_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'podnet');
  return uid === 0 ? '/run/podnet' : `/tmp/podnet-${uid}`;
}

/** Paths for the lab called `lab`. */
export function labPaths(lab: string, env: NodeJS.ProcessEnv = process.env): LabPaths {
  const dir = runtimeDir(env);
  return { runtimeDir: dir, socket: join(dir, `${lab}.sock`), log: join(dir, `${lab}.log`), stateDir: join(dir, `${lab}.state`) };
}

/** The log and start lock that belong with a lab's socket (`NAME.sock` -> `NAME.log`, `NAME.sock.lock`). */
export function pathsBesideSocket(socket: string): { log: string; lock: string } {
  return { log: socket.replace(/\.sock$/, '.log'), lock: `${socket}.lock` };
}

/** True when lab names are safe as file names (they become socket paths). */
export function isValidLabName(lab: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(lab);
}
