/** Which kubeconfig is read and how its contexts are offered in the Connect quick pick (no `vscode` here). */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** One kubeconfig context, as H2's `listContexts` returns it. */
export interface ContextEntry {
  name: string;
  cluster: string;
  server: string;
  namespace?: string;
  current: boolean;
}

/** One quick-pick row: the context's name, its cluster and server, and whether it is the kubeconfig's current one. */
export interface ContextPickItem {
  label: string;
  description: string;
  detail: string;
  context: string;
}

/**
 * Where the kubeconfig comes from: the `podnet.kubeconfig` setting, else $KUBECONFIG (a path list), else ~/.kube/config.
 * `path` is undefined when the client's own default lookup applies (so $KUBECONFIG lists still merge).
 */
export function kubeconfigSource(setting: string | undefined, env: NodeJS.ProcessEnv, home = homedir()): { path?: string; shown: string } {
  if (setting?.trim()) return { path: setting.trim(), shown: `${setting.trim()} (setting podnet.kubeconfig)` };
  const list = env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  if (list.length) return { shown: `${list.join(delimiter)} ($KUBECONFIG)` };
  return { shown: join(home, '.kube', 'config') };
}

/** The contexts as quick-pick rows: the current context first, then the others by name. */
export function contextPickItems(contexts: readonly ContextEntry[]): ContextPickItem[] {
  const sorted = [...contexts].sort((a, b) => Number(b.current) - Number(a.current) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((c) => ({
    label: c.name,
    description: `${c.current ? 'current · ' : ''}cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}`,
    detail: c.server,
    context: c.name,
  }));
}
