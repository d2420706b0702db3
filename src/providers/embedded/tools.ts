/** Finds the programs the embedded lab runs: iproute2, util-linux, busybox, the CNI plugins and, when present, nft. */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** Absolute paths of every program the lab needs. */
export interface LabTools {
  ip: string;
  unshare: string;
  nsenter: string;
  mount: string;
  umount: string;
  /** util-linux setpriv: drops the capabilities a container must not have (mounting, ptrace, ...). */
  setpriv: string;
  busybox: string;
  /** nftables, only needed for the optional Docker host's NAT; absent when not installed. */
  nft?: string;
  /** iproute2's `bridge`, only needed for vxlan nodes (flannel.1's FDB entries); absent when not installed. */
  bridge?: string;
  /** Directory holding the CNI plugin binaries (bridge, host-local, loopback). */
  cniPath: string;
}

/** A tool the lab needs, with the Debian package that provides it. */
export interface ToolRequirement {
  name: keyof Omit<LabTools, 'cniPath'>;
  pkg: string;
}

/** Every executable the lab runs, with the package that brings it. */
export const REQUIRED_TOOLS: readonly ToolRequirement[] = [
  { name: 'ip', pkg: 'iproute2' },
  { name: 'unshare', pkg: 'util-linux' },
  { name: 'nsenter', pkg: 'util-linux' },
  { name: 'mount', pkg: 'mount' },
  { name: 'umount', pkg: 'mount' },
  { name: 'setpriv', pkg: 'util-linux' },
  { name: 'busybox', pkg: 'busybox' },
];

/** Tools only some labs need: found when installed, required only by the feature named in `neededFor`. */
export const OPTIONAL_TOOLS: readonly (ToolRequirement & { neededFor: string })[] = [
  { name: 'nft', pkg: 'nftables', neededFor: "the Docker host's NAT (MASQUERADE and the published port)" },
  { name: 'bridge', pkg: 'iproute2', neededFor: "vxlan nodes (flannel.1's FDB entries)" },
];

/** CNI plugins the lab calls, exactly as kubelet's runtime would. */
export const REQUIRED_CNI_PLUGINS = ['bridge', 'host-local', 'loopback'] as const;

/** Directories searched for CNI plugins after `$CNI_PATH` and the configured path. */
export const DEFAULT_CNI_DIRS = ['/usr/lib/cni', '/opt/cni/bin', '/usr/libexec/cni'];

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Directories searched for programs: PATH, then the usual system folders (root's tools live in sbin). */
export function executableSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...(env.PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS];
}

/** Returns the absolute path of `name` in `dirs` (default: {@link executableSearchPath}), or undefined. */
export function findExecutable(name: string, dirs: readonly string[] = executableSearchPath()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Candidate CNI directories: only the explicit setting when there is one (a wrong setting must not be papered over), else `$CNI_PATH` then the defaults. */
export function cniSearchPath(configured?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (configured) return [configured];
  return [...(env.CNI_PATH ?? '').split(':').filter(Boolean), ...DEFAULT_CNI_DIRS];
}

/** The first directory that holds every required CNI plugin, or undefined. */
export function findCniPath(configured?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return cniSearchPath(configured, env).find((dir) => REQUIRED_CNI_PLUGINS.every((p) => isExecutable(join(dir, p))));
}
