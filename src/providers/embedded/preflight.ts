/** Checks, before anything is created, that this machine can run the embedded lab, and says how to fix it. */
import { readFileSync } from 'node:fs';
import { run } from '../../util/exec';
import { LabTools, OPTIONAL_TOOLS, REQUIRED_CNI_PLUGINS, REQUIRED_TOOLS, cniSearchPath, findCniPath, findExecutable } from './tools';

/** One failed check: what is wrong and the exact fix. */
export interface PreflightProblem {
  check: string;
  message: string;
  fix: string;
}

/** Raised when preflight finds problems; its message lists every problem with its fix. */
export class PreflightError extends Error {
  constructor(readonly problems: PreflightProblem[]) {
    super(problems.map((p) => `${p.message} Fix: ${p.fix}`).join('\n'));
    this.name = 'PreflightError';
  }
}

function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** Why unprivileged user namespaces are disabled here, if they are (sysctls only). */
export function userNamespaceSysctlProblems(): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  if (readNumber('/proc/sys/user/max_user_namespaces') === 0) {
    problems.push({ check: 'userns', message: 'User namespaces are disabled (user.max_user_namespaces = 0).', fix: 'sudo sysctl -w user.max_user_namespaces=15000' });
  }
  if (readNumber('/proc/sys/kernel/unprivileged_userns_clone') === 0) {
    problems.push({ check: 'userns', message: 'Unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0).', fix: 'sudo sysctl -w kernel.unprivileged_userns_clone=1' });
  }
  if (readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === 1) {
    problems.push({
      check: 'userns',
      message: "AppArmor blocks unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, Ubuntu's default).",
      fix: 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or run the lab as root',
    });
  }
  return problems;
}

/** Finds every tool (and each optional one that is installed) or reports all required ones that are missing, each with the Debian package to install. */
export function locateTools(
  configuredCniPath?: string, searchDirs?: readonly string[], env: NodeJS.ProcessEnv = process.env,
): { tools?: LabTools; problems: PreflightProblem[] } {
  const problems: PreflightProblem[] = [];
  const found: Partial<LabTools> = {};
  for (const req of REQUIRED_TOOLS) {
    const path = findExecutable(req.name, searchDirs);
    if (path) found[req.name] = path;
    else problems.push({ check: 'tools', message: `${req.name} is not installed.`, fix: `sudo apt-get install -y ${req.pkg}` });
  }
  for (const opt of OPTIONAL_TOOLS) {
    const path = findExecutable(opt.name, searchDirs);
    if (path) found[opt.name] = path;
  }
  const cniPath = findCniPath(configuredCniPath, env);
  if (!cniPath) {
    problems.push({
      check: 'cni',
      message: `The CNI plugins (${REQUIRED_CNI_PLUGINS.join(', ')}) were not found in ${cniSearchPath(configuredCniPath, env).join(', ')}.`,
      fix: 'sudo apt-get install -y containernetworking-plugins, or set CNI_PATH (or the podnet.cniPath setting) to the folder that holds them',
    });
  } else {
    found.cniPath = cniPath;
  }
  return { tools: problems.length ? undefined : (found as LabTools), problems };
}

/** Runs every check; resolves with the tools to use or rejects with a {@link PreflightError}. */
export async function preflight(opts: { rootless: boolean; cniPath?: string }): Promise<LabTools> {
  if (process.platform !== 'linux') {
    throw new PreflightError([{ check: 'os', message: `The embedded lab needs Linux network namespaces; this is ${process.platform}.`, fix: 'use the kind or cluster provider, or open a snapshot' }]);
  }
  const { tools, problems } = locateTools(opts.cniPath);
  if (opts.rootless) {
    const sysctl = userNamespaceSysctlProblems();
    problems.push(...sysctl);
    if (tools && sysctl.length === 0) {
      const probe = await run([tools.unshare, '--user', '--map-root-user', '--net', '--mount', 'true'], { timeoutMs: 5000 });
      if (probe.code !== 0) {
        problems.push({
          check: 'userns',
          message: `This user cannot create user namespaces (unshare said: ${probe.stderr.trim() || `exit ${probe.code}`}).`,
          fix: 'allow unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.apparmor_restrict_unprivileged_userns) or run the lab as root',
        });
      }
    }
  }
  if (problems.length || !tools) throw new PreflightError(problems);
  return tools;
}
