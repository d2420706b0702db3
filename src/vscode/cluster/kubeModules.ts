/**
 * The one place the extension loads the Kubernetes side (client-node, the kube provider), on first use: activation stays
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
