/** Finds and merges kubeconfig files the way kubectl does and picks the context PodNet talks to. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { KubeAccessError } from '../kubeAccessError';

/** Where to look: --kubeconfig, --context, and the environment/home to read ($KUBECONFIG, ~/.kube/config). */
export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** One cluster to talk to: the client-node config set to the chosen context, and what it points at. */
export interface KubeTarget {
  config: KubeConfig;
  context: string;
  cluster: string;
  server: string;
  /** The context's namespace, or 'default'. */
  namespace: string;
}

/** A context as `podnet` lists it. */
export interface ContextSummary {
  name: string;
  cluster: string;
  server: string;
  namespace: string;
  current: boolean;
}

/** The kubeconfig files to read, in kubectl's order. */
export function kubeconfigFiles(opts: KubeconfigOptions): string[] {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) {
      throw new KubeAccessError(`the kubeconfig file ${opts.kubeconfig} given with --kubeconfig does not exist: check the path`, 'NO_KUBECONFIG');
    }
    return [opts.kubeconfig];
  }
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length) {
    const present = listed.filter((f) => existsSync(f)); // kubectl skips missing files in $KUBECONFIG
    if (!present.length) {
      throw new KubeAccessError(`none of the files in $KUBECONFIG (${listed.join(', ')}) exists: fix KUBECONFIG or pass --kubeconfig FILE`, 'NO_KUBECONFIG');
    }
    return present;
  }
  const home = opts.home ?? env.HOME ?? homedir();
  const file = join(home, '.kube', 'config');
  if (!existsSync(file)) {
    throw new KubeAccessError(
      `no kubeconfig found: --kubeconfig was not given, $KUBECONFIG is not set and ${file} does not exist; pass --kubeconfig FILE or set KUBECONFIG (kind writes one with \`kind export kubeconfig\`)`,
      'NO_KUBECONFIG',
    );
  }
  return [file];
}

/** Reads one file: unreadable, not YAML, or not a mapping is an error naming the file; an empty file is an empty config (as in kubectl). */
function readOne(file: string): KubeConfig {
  const kc = new KubeConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new KubeAccessError(`cannot read the kubeconfig ${file} (${code}): check the path and its permissions`, 'FAILED', { cause: e });
  }
  if (!text.trim()) return kc;
  try {
    const doc: unknown = parseYaml(text);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the top level is not a mapping');
    kc.loadFromString(text);
    kc.makePathsAbsolute(dirname(file)); // relative certificate paths are relative to the file, as in kubectl
    resolvePluginPaths(kc, dirname(file));
  } catch (e) {
    const first = String((e as Error).message ?? e).split('\n')[0];
    throw new KubeAccessError(`the kubeconfig ${file} is not valid (${first}): fix the file or point --kubeconfig elsewhere`, 'FAILED', { cause: e });
  }
  return kc;
}

/**
 * A credential plugin command given as a relative path with a slash (`./bin/login`) is relative to the kubeconfig's folder, as in kubectl; bare names
 * are looked up in PATH.
 */
function resolvePluginPaths(kc: KubeConfig, dir: string): void {
  for (const user of kc.getUsers()) {
    const exec = user.exec as { command?: unknown } | undefined;
    if (exec && typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command)) exec.command = resolve(dir, exec.command);
  }
}

/** Merges files like kubectl: for each cluster, user and context name the first file wins; current-context comes from the first file that sets one. */
export function loadMergedKubeconfig(files: string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = '';
  for (const file of files) {
    const kc = readOne(file);
    for (const c of kc.getClusters() ?? []) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers() ?? []) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts() ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current && kc.getCurrentContext()) current = kc.getCurrentContext();
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current });
  return merged;
}

function contextNames(kc: KubeConfig): string {
  const names = kc.getContexts().map((c) => c.name);
  return names.length ? names.join(', ') : 'none';
}

/** The merged kubeconfig set to the chosen context (opts.context, else current-context), with its cluster, server and namespace. */
export function loadKubeTarget(opts: KubeconfigOptions): KubeTarget {
  const files = kubeconfigFiles(opts);
  const where = files.join(', ');
  const kc = loadMergedKubeconfig(files);
  const name = opts.context || kc.getCurrentContext();
  if (!name) {
    throw new KubeAccessError(`the kubeconfig (${where}) sets no current-context: pass --context NAME (contexts: ${contextNames(kc)})`, 'UNKNOWN_CONTEXT');
  }
  const ctx = kc.getContexts().find((c) => c.name === name);
  if (!ctx) {
    throw new KubeAccessError(`context "${name}" is not in the kubeconfig (${where}): use one of its contexts: ${contextNames(kc)}`, 'UNKNOWN_CONTEXT');
  }
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) {
    throw new KubeAccessError(`context "${name}" refers to cluster "${ctx.cluster}", which the kubeconfig (${where}) does not define: add that cluster or choose another context`, 'FAILED');
  }
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new KubeAccessError(`context "${name}" refers to user "${ctx.user}", which the kubeconfig (${where}) does not define: add that user or choose another context`, 'FAILED');
  }
  kc.setCurrentContext(name);
  return { config: kc, context: name, cluster: cluster.name, server: cluster.server, namespace: ctx.namespace || 'default' };
}

/** Every context of the merged kubeconfig, the current one first. */
export function listContexts(opts: Omit<KubeconfigOptions, 'context'>): ContextSummary[] {
  const kc = loadMergedKubeconfig(kubeconfigFiles(opts));
  const current = kc.getCurrentContext();
  return kc
    .getContexts()
    .map((c) => ({ name: c.name, cluster: c.cluster, server: kc.getCluster(c.cluster)?.server ?? '', namespace: c.namespace || 'default', current: c.name === current }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}
