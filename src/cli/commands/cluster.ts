/** `podnet cluster contexts|info|cleanup`: which clusters the kubeconfig names, what PodNet sees of one, and removing PodNet's leftovers. */
import { cleanupDebugPods } from '../../providers/kube/nodeAccess/cleanup';
import { kubeconfigReader } from '../../providers/kube/defaultParts';
import type { KubeProvider } from '../../providers/kube/kubeProvider';
import { cleanupTraceTables } from '../../providers/kube/traceTableCleanup';
import { parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { connectCluster } from '../clusterProvider';
import { printable, table } from '../table';

/** Help text of `podnet cluster`. */
export const CLUSTER_HELP = `Usage:
  podnet cluster contexts [--kubeconfig FILE]   the kubeconfig's contexts (current first): NAME CLUSTER SERVER NAMESPACE
  podnet cluster info    [--context CTX]        API server, node and Pod counts, and how PodNet reaches the nodes, and why
  podnet cluster cleanup [--context CTX]        remove what PodNet may have left: its debug Pods (found by label in every
                                                namespace) and nft trace tables (podnet_trace_*) in node and Pod namespaces
                                                it can reach

Without --context, the kubeconfig's current context is used. PodNet only reads a cluster, except for
debug Pods you allow with --debug-pods (shown first, labelled app.kubernetes.io/managed-by=podnet-lab,
deleted afterwards) and the nft tables a verified trace adds for a second (removed afterwards).

${CLUSTER_OPTIONS_HELP}`;

function contexts(sel: ClusterSelection): number {
  const list = kubeconfigReader().listContexts({ kubeconfig: sel.kubeconfig });
  if (list.length === 0) return void console.error('podnet: the kubeconfig has no contexts'), 0;
  console.log(table(['CURRENT', 'NAME', 'CLUSTER', 'SERVER', 'NAMESPACE'], list.map((c) => [c.current ? '*' : '', c.name, c.cluster, c.server, c.namespace])));
  return 0;
}

async function withCluster(sel: ClusterSelection, fn: (kube: KubeProvider) => Promise<void>): Promise<number> {
  const kube = await connectCluster({ ...sel, allNamespaces: sel.namespace === undefined }, { quiet: true });
  try {
    await fn(kube);
  } finally {
    await kube.closeAndWait();
  }
  return 0;
}

function info(kube: KubeProvider): void {
  const s = kube.source;
  const pods = kube.pods();
  const running = pods.filter((p) => p.phase === 'Running' && !p.deleting).length;
  const nodes = kube.nodes();
  console.log([
    `context:   ${s.context}`,
    `cluster:   ${s.cluster}`,
    `server:    ${s.server}`,
    `nodes:     ${nodes.length} (${nodes.filter((n) => n.ready).length} Ready): ${nodes.map((n) => n.name).join(', ') || 'none'}`,
    `pods:      ${pods.length} in ${s.namespace ? `namespace ${s.namespace}` : 'all namespaces'} (${running} Running, ${pods.filter((p) => p.hostNetwork).length} hostNetwork)`,
    `access:    ${s.access}: ${s.accessDescription}`,
  ].map(printable).join('\n'));
}

async function cleanupTables(kube: KubeProvider): Promise<void> {
  if (kube.access.method === 'none') return void console.log(`nft trace tables not checked: ${kube.access.description}`);
  const results = await cleanupTraceTables(kube);
  const tables = results.flatMap((r) => r.removed.map((t) => `${r.where}: ${t.family} ${t.name}`));
  console.log(tables.length ? `removed nft trace tables:\n  ${tables.join('\n  ')}` : `no nft trace tables of PodNet found in ${results.length} namespaces`);
  const failed = results.filter((r) => r.error);
  if (failed.length) console.log(`could not check ${failed.length} namespaces:\n  ${failed.map((r) => `${r.where}: ${r.error}`).join('\n  ')}`);
}

async function cleanup(kube: KubeProvider): Promise<void> {
  // Tables first: with --debug-pods, the debug Pods this run uses to reach the nodes are among those removed next.
  await cleanupTables(kube);
  const { removed } = await cleanupDebugPods(kube.api);
  console.log(removed.length ? `removed debug Pods: ${removed.join(', ')}` : 'no debug Pods of PodNet found');
}

/** Runs `podnet cluster ...`. */
export async function clusterCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, {}, CLUSTER_HELP);
  if (values.help) return void console.log(CLUSTER_HELP), 0;
  if (values.lab !== undefined) throw new UsageError('podnet cluster works on clusters; --lab names an embedded lab', CLUSTER_HELP);
  const [sub, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, CLUSTER_HELP);
  // Without --context/--kubeconfig, `cluster` still means a cluster: the kubeconfig's current context.
  const sel: ClusterSelection = cluster ?? { allNamespaces: false, yes: false };
  switch (sub) {
    case 'contexts':
      return contexts(sel);
    case 'info':
      return withCluster(sel, async (k) => info(k));
    case 'cleanup':
      return withCluster(sel, cleanup);
    default:
      throw new UsageError(sub ? `unknown cluster command "${sub}"` : 'missing what to do: contexts, info or cleanup', CLUSTER_HELP);
  }
}
