/** The real parts of a KubeProvider (kubeconfig loader, API client, watcher, node access), loaded on first use so the CLI starts fast. */
import type { KubeParts, KubeTargetInfo } from './kubeParts';

type KubeconfigModule = typeof import('./api/kubeconfig');
type KubeApiModule = typeof import('./api/kubeApi');
type WatcherModule = typeof import('./api/clusterWatcher');
type ChooseModule = typeof import('./nodeAccess/chooseAccess');
type Target = ReturnType<KubeconfigModule['loadKubeTarget']>;

/** The parts backed by @kubernetes/client-node and the node access implementations. */
export function defaultKubeParts(): KubeParts {
  // require() here, not import: the Kubernetes client is heavy and only cluster commands need it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const parts: KubeParts<KubeTargetInfo & Target> = {
    loadTarget: (opts) => (require('./api/kubeconfig') as KubeconfigModule).loadKubeTarget(opts),
    api: (target) => new (require('./api/kubeApi') as KubeApiModule).KubeApi(target),
    watcher: (target, opts) => new (require('./api/clusterWatcher') as WatcherModule).ClusterWatcher(target, opts),
    chooseAccess: (nodes, opts) => (require('./nodeAccess/chooseAccess') as ChooseModule).chooseNodeAccess(nodes, opts),
  };
  return parts;
}

/** The kubeconfig reader (contexts, targets), loaded on first use. */
export function kubeconfigReader(): KubeconfigModule {
  return require('./api/kubeconfig') as KubeconfigModule;
}
