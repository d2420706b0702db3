/** Runs the `kind` program (argv only, through the one runner): list, create with its stage lines streamed, delete, and the preflight facts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, ToolMissingError, type RunResult } from '../../util/exec';
import { KIND_INSTALL_URL, type KindFacts } from './kindPreflight';
import { parseKindStage, type KindStage } from './kindStages';

/** Which programs to call; tests put a stand-in `kind` first on PATH instead. */
export interface KindTools {
  kind: string;
  runtime: 'docker' | 'podman';
  env?: NodeJS.ProcessEnv;
}

/** kind from PATH with the runtime kind itself would pick (`KIND_EXPERIMENTAL_PROVIDER=podman` selects podman). */
export function defaultKindTools(env: NodeJS.ProcessEnv = process.env): KindTools {
  return { kind: 'kind', runtime: env.KIND_EXPERIMENTAL_PROVIDER === 'podman' ? 'podman' : 'docker', env };
}

/** A kind call that failed; the message is one sentence and ends with kind's own last error line. */
export class KindError extends Error {
  constructor(message: string, readonly output: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KindError';
  }
}

/** The one sentence for a machine without kind. */
const kindMissing = (cause?: unknown): KindError => new KindError(`kind is not installed: install it (${KIND_INSTALL_URL}).`, '', cause === undefined ? undefined : { cause });

/** Runs argv, turning "not installed" into undefined instead of an exception. */
async function tryRun(argv: string[], tools: KindTools, timeoutMs = 30_000): Promise<RunResult | undefined> {
  try {
    return await run(argv, { env: tools.env, timeoutMs });
  } catch (e) {
    if (e instanceof ToolMissingError) return undefined;
    throw e;
  }
}

const lastError = (text: string): string => text.trim().split('\n').filter((l) => /ERROR|error|failed/i.test(l)).pop() ?? text.trim().split('\n').pop() ?? '';

/** The names of the kind clusters that exist now. */
export async function listKindClusters(tools: KindTools): Promise<string[]> {
  const res = await tryRun([tools.kind, 'get', 'clusters'], tools);
  if (!res) throw kindMissing();
  if (res.code !== 0) throw new KindError(`kind get clusters failed: ${lastError(res.stderr || res.stdout)}`, res.stderr);
  return res.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !/^No kind clusters found/.test(l));
}

/** Subnets of the runtime's `kind` network; none when it does not exist yet. */
async function kindNetworkSubnets(tools: KindTools): Promise<string[]> {
  const res = await tryRun([tools.runtime, 'network', 'inspect', 'kind', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}'], tools);
  if (!res || res.code !== 0) return [];
  return res.stdout.split(/\s+/).filter(Boolean);
}

/** What the preflight needs to know, read from this machine. */
export async function gatherKindFacts(tools: KindTools): Promise<KindFacts> {
  const [version, info] = await Promise.all([tryRun([tools.kind, 'version'], tools), tryRun([tools.runtime, 'info', '--format', '{{.ServerVersion}}'], tools)]);
  const runtime: KindFacts['runtime'] = { name: tools.runtime, installed: info !== undefined, running: info?.code === 0 && info.stdout.trim() !== '' };
  if (info && !runtime.running) runtime.error = lastError(info.stderr || info.stdout) || `exit ${info.code}`;
  const kindVersion = version?.code === 0 ? version.stdout.trim() : undefined;
  const existingClusters = kindVersion ? await listKindClusters(tools) : [];
  const kindNetwork = runtime.running ? await kindNetworkSubnets(tools) : [];
  return { ...(kindVersion ? { kindVersion } : {}), runtime, existingClusters, kindNetworkSubnets: kindNetwork };
}

/** What a create reports while it runs. */
export interface KindCreateHooks {
  /** Each stage kind reports (started, done, failed). */
  onStage?: (stage: KindStage) => void;
  /** Every line kind prints, for an output channel or a log. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

/** Splits streamed text into whole lines for `each`. */
function lineSplitter(each: (line: string) => void): (text: string) => void {
  let rest = '';
  return (text) => {
    const parts = (rest + text).split(/\r?\n/);
    rest = parts.pop() ?? '';
    for (const p of parts) each(p);
  };
}

/** `kind create cluster` with the generated config; resolves when kind finished, rejects with kind's error otherwise. */
export async function runKindCreate(tools: KindTools, name: string, configYaml: string, hooks: KindCreateHooks = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-kind-'));
  const config = join(dir, 'kind-config.yaml');
  writeFileSync(config, configYaml);
  const onLine = (line: string) => {
    hooks.onLine?.(line);
    const stage = parseKindStage(line);
    if (stage) hooks.onStage?.(stage);
  };
  try {
    const argv = [tools.kind, 'create', 'cluster', '--name', name, '--config', config, '--wait', '0s'];
    const res = await tryRun2(argv, tools, { onStdout: lineSplitter(onLine), onStderr: lineSplitter(onLine), signal: hooks.signal });
    if (res.aborted) throw new KindError(`creating the kind cluster "${name}" was cancelled.`, res.stderr);
    if (res.code !== 0) throw new KindError(`kind could not create the cluster "${name}": ${lastError(res.stderr || res.stdout)}`, res.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a long kind call with streaming and cancellation; a missing kind becomes a KindError. */
async function tryRun2(
  argv: string[], tools: KindTools, opts: { onStdout: (t: string) => void; onStderr: (t: string) => void; signal?: AbortSignal },
): Promise<RunResult> {
  try {
    return await run(argv, { env: tools.env, timeoutMs: 15 * 60_000, ...opts });
  } catch (e) {
    if (e instanceof ToolMissingError) throw kindMissing(e);
    throw e;
  }
}

/** `kind delete cluster --name NAME` (kind itself treats a missing cluster as deleted). */
export async function runKindDelete(tools: KindTools, name: string): Promise<void> {
  const res = await tryRun([tools.kind, 'delete', 'cluster', '--name', name], tools, 5 * 60_000);
  if (!res) throw kindMissing();
  if (res.code !== 0) throw new KindError(`kind could not delete the cluster "${name}": ${lastError(res.stderr || res.stdout)}`, res.stderr);
}
