/**
 * The one place the extension loads the Kubernetes side (client-node, the kube provider, kind), on first use: activation stays
 * light, and a separate bundle for it would change only this file.
 */

/** The kube provider's entry points the extension uses. */
export async function loadKube() {
  const [{ listContexts }, { KubeProvider }, { DEFAULT_DEBUG_IMAGE, DEFAULT_DEBUG_NAMESPACE }] = await Promise.all([
    import('../../providers/kube/api/kubeconfig'),
    import('../../providers/kube/kubeProvider'),
    import('../../providers/kube/nodeAccess/debugPodManifest'),
  ]);
  return { listContexts, KubeProvider, DEFAULT_DEBUG_IMAGE, DEFAULT_DEBUG_NAMESPACE };
}

/** The kind side (create, delete, list, and running lab packs on kind), loaded on first use like the rest of the Kubernetes side. */
export async function loadKind() {
  const [
    { createKindCluster, deleteKindCluster, kindContext }, { defaultKindTools, listKindClusters }, { ARTICLE_TOPOLOGY_YAML, parseTopology },
    { runLabPackOnKind },
  ] = await Promise.all([
    import('../../providers/kind/createCluster'),
    import('../../providers/kind/kindCli'),
    import('../../model/topologySpec'),
    import('../../labs/kindRun'),
  ]);
  return { createKindCluster, deleteKindCluster, kindContext, defaultKindTools, listKindClusters, ARTICLE_TOPOLOGY_YAML, parseTopology, runLabPackOnKind };
}
