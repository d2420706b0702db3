/** Starts a real embedded lab from a Topology object, as root or as an unprivileged user, and runs commands in it over its control socket. */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Topology } from '../../../../../src/model/topology';
import type {
  ExecResult, ExecRoute, ExecTarget, LabEvent, LabMethod, LabMethods, LabStatus, PodInfo, PodRequest,
} from '../../../../../src/providers/embedded/control/protocol';
import { RpcClient } from '../../../../../src/providers/embedded/control/rpcClient';
import { run, type RunResult } from '../../../../../src/util/exec';
import { UNPRIVILEGED_UID, type Mode } from '../../../../support/cli';

let bundle: string | undefined;

/** The lab code of this checkout bundled into one script any user can read (built once per test run). */
function labBundle(): string {
  if (bundle) return bundle;
  const dir = mkdtempSync(join(tmpdir(), 'podnet-overlay-test-'));
  chmodSync(dir, 0o755);
  const out = join(dir, 'lab.js');
  buildSync({ entryPoints: [join(__dirname, 'labEntry.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  chmodSync(out, 0o755);
  bundle = out;
  return out;
}

/** Where labs of `mode` keep their sockets in these tests (apart from any lab the learner runs). */
const runtimeDirOf = (mode: Mode): string => `/tmp/podnet-overlay-${mode === 'root' ? 'root' : UNPRIVILEGED_UID}`;

/** Runs the bundle as root, or as the unprivileged user through util-linux setpriv (uid and gid 65534, no supplementary groups). */
function runEntry(mode: Mode, args: string[], input: string, timeoutMs: number): Promise<RunResult> {
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp', PODNET_RUNTIME_DIR: runtimeDirOf(mode) };
  const asOther = mode === 'unprivileged' ? ['setpriv', `--reuid=${UNPRIVILEGED_UID}`, `--regid=${UNPRIVILEGED_UID}`, '--clear-groups', '--'] : [];
  return run([...asOther, process.execPath, labBundle(), ...args], { env, cwd: '/tmp', input, timeoutMs });
}

/** A running lab of these tests. */
export interface OverlayLab {
  status: LabStatus;
  /** The build progress lines (`step: detail`). */
  progress: string[];
  exec(target: ExecTarget, argv: string[], timeoutMs?: number, input?: string): Promise<ExecResult>;
  /** Adds a Pod to the running lab (the `addPod` method). */
  addPod(req: PodRequest): Promise<PodInfo>;
  /** The namespaces an interactive exec joins (the `route` method). */
  route(target: ExecTarget): Promise<ExecRoute>;
  /** Any other method of the lab's protocol (addPod, addService, ...). */
  call<M extends LabMethod>(method: M, params: LabMethods[M]['params'], timeoutMs?: number): Promise<LabMethods[M]['result']>;
  /** The lab's events (Pods, Services) from now on. */
  watch(listener: (e: LabEvent) => void): Promise<void>;
  down(): Promise<void>;
}

/** Stops lab `lab` of `mode` if it runs (a previous aborted run); a lab that is not running is fine unless `mustRun`. */
export async function stopOverlayLab(mode: Mode, lab: string, mustRun = false): Promise<void> {
  const res = await runEntry(mode, ['down', '--lab', lab], '', 30_000);
  if (res.code !== 0 && (mustRun || !/no lab named/.test(res.stderr))) throw new Error(`stopping ${lab} failed: ${res.stderr}`);
}

/** Builds `topo` as lab `lab` in `mode`; rejects with the launcher's message when the build fails. */
export async function startOverlayLab(mode: Mode, lab: string, topo: Topology): Promise<OverlayLab> {
  await stopOverlayLab(mode, lab);
  const res = await runEntry(mode, ['up', '--lab', lab], JSON.stringify(topo), 120_000);
  if (res.code !== 0) throw new Error(`starting ${lab} failed (exit ${res.code}): ${res.stderr}`);
  const { status, progress } = JSON.parse(res.stdout) as { status: LabStatus; progress: string[] };
  const client = await RpcClient.connect(join(runtimeDirOf(mode), `${lab}.sock`));
  return {
    status,
    progress,
    exec: (target, argv, timeoutMs = 20_000, input?: string) => client.call('exec', { target, argv, timeoutMs, input }, timeoutMs + 10_000),
    route: (target) => client.call('route', { target }),
    addPod: (req) => client.call('addPod', req, 60_000),
    call: (method, params, timeoutMs) => client.call(method, params, timeoutMs),
    async watch(listener) {
      client.onEvent(listener);
      await client.call('watch', {});
    },
    async down() {
      client.close();
      await stopOverlayLab(mode, lab);
    },
  };
}
