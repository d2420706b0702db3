/** Node access for when the nodes cannot be reached: the API view works, node and Pod namespaces do not. */
import type { ExecResult } from '../../embedded/control/protocol';
import type { KubeNode, KubePod, NodeAccess } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';

/** How the user can get node details, said the same way everywhere. */
export const ENABLE_NODE_ACCESS_HINT =
  'node details need access to the nodes: on kind/Docker nodes install docker; on any cluster run with --debug-pods (creates one labelled privileged Pod per node, shown first)';

/** API-only access: every exec rejects with KubeAccessError 'NO_NODE_ACCESS' saying how to enable node details. */
export class NoNodeAccess implements NodeAccess {
  readonly method = 'none';

  /** `description` says why the nodes are not reachable, e.g. "API only: the nodes are not containers this machine runs". */
  constructor(readonly description = `API only: ${ENABLE_NODE_ACCESS_HINT}`) {}

  /** Always rejects: there is no way into the node. */
  execNode(node: KubeNode, argv: string[]): Promise<ExecResult> {
    return Promise.reject(refusal(`node ${node.name}`, argv));
  }

  /** Always rejects: a Pod's namespace is entered from its node, which is out of reach. */
  execPod(pod: KubePod, _node: KubeNode, argv: string[]): Promise<ExecResult> {
    return Promise.reject(refusal(`Pod ${pod.namespace}/${pod.name}`, argv));
  }

  /** Nothing is cached. */
  forgetPod(): void {}

  /** Nothing was created. */
  async close(): Promise<void> {}
}

function refusal(where: string, argv: string[]): KubeAccessError {
  const what = argv[0] ? `\`${argv[0]}\`` : 'a command';
  return new KubeAccessError(`Cannot run ${what} in ${where} (API only): ${ENABLE_NODE_ACCESS_HINT}.`, 'NO_NODE_ACCESS');
}
