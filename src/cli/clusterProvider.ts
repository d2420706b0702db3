/** Opens the provider a command runs on: the embedded lab, or a cluster from the kubeconfig (asking before any debug Pod is made). */
import { createInterface } from 'node:readline/promises';
import { EmbeddedLab } from '../providers/embedded/embeddedLab';
import { KubeAccessError } from '../providers/kube/kubeAccessError';
import { kubeconfigReader } from '../providers/kube/defaultParts';
import { KubeProvider } from '../providers/kube/kubeProvider';
import { DEFAULT_DEBUG_IMAGE, DEFAULT_DEBUG_NAMESPACE } from '../providers/kube/nodeAccess/debugPodManifest';
import type { LabProvider } from '../providers/provider';
import { labName } from './args';
import { UsageError } from './cliError';
import { namespaceOption, type ClusterSelection } from './clusterArgs';

/** Shows the debug Pod manifests on stderr and asks y/N on a terminal; without one, --yes is the answer. */
export function debugPodConfirmer(sel: ClusterSelection): (yaml: string) => Promise<boolean> {
  return async (yaml) => {
    process.stderr.write(`podnet will create these debug Pods (labelled app.kubernetes.io/managed-by=podnet-lab, deleted when it is done):\n---\n${yaml}\n`);
    if (sel.yes) return true;
    if (!process.stdin.isTTY) throw new UsageError('--debug-pods would create the Pods shown above: add --yes to allow that without a terminal');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question('Create them? [y/N] ')).trim());
    } finally {
      rl.close();
    }
  };
}

/** Connects to the cluster the selection names (read-only; debug Pods only with --debug-pods and consent). */
export function connectCluster(sel: ClusterSelection, opts: { quiet?: boolean } = {}): Promise<KubeProvider> {
  const image = sel.debugPods === true ? DEFAULT_DEBUG_IMAGE : sel.debugPods;
  return KubeProvider.connect({
    kubeconfig: sel.kubeconfig, context: sel.context, namespace: namespaceOption(sel),
    debugPods: image ? { image, namespace: DEFAULT_DEBUG_NAMESPACE } : false,
    confirmDebugPods: debugPodConfirmer(sel),
    onProgress: opts.quiet || !process.stderr.isTTY ? undefined : (step) => process.stderr.write(`podnet: ${step}\n`),
  });
}

/** The namespace a bare Pod name means: -n NS, else the context's own (default 'default'); undefined with -A. */
export function homeNamespace(sel: ClusterSelection): string | undefined {
  if (sel.allNamespaces) return undefined;
  return sel.namespace ?? kubeconfigReader().loadKubeTarget({ kubeconfig: sel.kubeconfig, context: sel.context }).namespace;
}

/**
 * Runs `fn` on the cluster or the embedded lab, and always releases it (deleting debug Pods on a cluster). `watchAll`
 * watches every namespace whatever -n says, for commands whose arguments may name Pods of any namespace (NS/POD).
 */
export async function withProvider<T>(
  sel: ClusterSelection | undefined, lab: string | undefined, fn: (p: LabProvider) => Promise<T>, opts: { watchAll?: boolean } = {},
): Promise<T> {
  if (sel && lab !== undefined) throw new UsageError('--lab names an embedded lab; --context/--kubeconfig a cluster: use one of them');
  if (!sel) {
    const embedded = await EmbeddedLab.connect(labName(lab));
    try {
      return await fn(embedded);
    } finally {
      embedded.close();
    }
  }
  const kube = await connectCluster(opts.watchAll ? { ...sel, namespace: undefined, allNamespaces: true } : sel);
  try {
    return await fn(kube);
  } finally {
    await kube.closeAndWait();
  }
}

/** Rejects a cluster whose nodes PodNet cannot enter (API-only access), with the access's own reason and what to do. */
export function requireNodeAccess(p: LabProvider, what: string): void {
  if (p instanceof KubeProvider && p.access.method === 'none') {
    throw new KubeAccessError(`${what} needs the nodes' network namespaces, which context ${p.source.context} does not give: ${p.access.description}`, 'NO_NODE_ACCESS');
  }
}

/** A UsageError for a command that has no meaning on a cluster. */
export function embeddedOnly(command: string): UsageError {
  return new UsageError(`podnet ${command} works on the embedded lab only: drop --context/--kubeconfig (a cluster is read-only to PodNet)`);
}
