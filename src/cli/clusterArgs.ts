/** The global cluster options (--context, --kubeconfig, -n, -A, --debug-pods, --yes), taken out of argv wherever they stand before `--`. */
import { UsageError } from './cliError';

/** Which cluster a command runs on and how; absent means the embedded lab. */
export interface ClusterSelection {
  context?: string;
  kubeconfig?: string;
  /** One Kubernetes namespace (-n), or undefined for the context's own. */
  namespace?: string;
  /** -A: every namespace. */
  allNamespaces: boolean;
  /** --debug-pods: true for the default image, or the image named with --debug-pods=IMAGE. */
  debugPods?: true | string;
  /** --yes: create debug Pods without asking (required when stdin is not a terminal). */
  yes: boolean;
}

/** Help lines for the cluster options, shared by every command's help. */
export const CLUSTER_OPTIONS_HELP = `Cluster options (before or after the command; without --context/--kubeconfig, the embedded lab is used):
  --context CTX          a kubeconfig context: run on that cluster (read-only)
  --kubeconfig FILE      a kubeconfig file (default: $KUBECONFIG or ~/.kube/config), its current context
  -n, --namespace NS     the Kubernetes namespace (default: the context's namespace)
  -A, --all-namespaces   every namespace
  --debug-pods[=IMAGE]   reach nodes that are not local kind containers through debug Pods (shown first, removed after)
  --yes                  create those debug Pods without asking (needed without a terminal)`;

const VALUED: Record<string, keyof ClusterSelection> = { '--context': 'context', '--kubeconfig': 'kubeconfig', '--namespace': 'namespace', '-n': 'namespace' };

/** Splits argv into the command's own arguments and the cluster selection (undefined when neither --context nor --kubeconfig is given). */
export function extractClusterOptions(argv: readonly string[]): { rest: string[]; cluster?: ClusterSelection } {
  const dash = argv.indexOf('--');
  const head = dash < 0 ? [...argv] : argv.slice(0, dash);
  const tail = dash < 0 ? [] : argv.slice(dash);
  const sel: ClusterSelection = { allNamespaces: false, yes: false };
  const rest: string[] = [];
  let seen = false;
  const wantsYes = head.some((a) => a === '--debug-pods' || a.startsWith('--debug-pods='));
  for (let i = 0; i < head.length; i++) {
    const a = head[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const key = VALUED[name];
    if (key) {
      const value = name !== a ? a.slice(eq + 1) : head[++i];
      if (value === undefined || value === '' || (name === a && value.startsWith('-'))) throw new UsageError(`${name} needs a value`);
      (sel as unknown as Record<string, string>)[key] = value;
      seen = true;
    } else if (a === '-A' || a === '--all-namespaces') {
      sel.allNamespaces = true;
      seen = true;
    } else if (name === '--debug-pods') {
      sel.debugPods = name === a ? true : a.slice(eq + 1) || true;
      seen = true;
    } else if (a === '--yes' && wantsYes) {
      sel.yes = true;
    } else {
      rest.push(a);
    }
  }
  rest.push(...tail);
  if (!seen) return { rest };
  if (sel.context === undefined && sel.kubeconfig === undefined) {
    throw new UsageError('-n, -A and --debug-pods work on a cluster: add --context CTX or --kubeconfig FILE (without them podnet uses the embedded lab)');
  }
  if (sel.allNamespaces && sel.namespace !== undefined) throw new UsageError('use either -n NS or -A, not both');
  return { rest, cluster: sel };
}

/** The namespace option for the provider: 'all' for -A, the -n value, or undefined for the context's own. */
export function namespaceOption(sel: ClusterSelection): string | 'all' | undefined {
  return sel.allNamespaces ? 'all' : sel.namespace;
}
