/** Maps a snapshot namespace id (`pod/pod-a`, `node/node1`, `wire`, `host/x`, `container/y`) to the exec target that reaches it. */
import type { ExecTarget } from '../../providers/embedded/control/protocol';

/** The exec target for a namespace id; throws for an id the lab cannot enter. */
export function execTargetFor(namespaceId: string): ExecTarget {
  if (namespaceId === 'wire') return { kind: 'wire' };
  // Split at the first '/' only: on a cluster a Pod's name is NAMESPACE/NAME (`pod/default/web-1`).
  const slash = namespaceId.indexOf('/');
  const kind = slash < 0 ? namespaceId : namespaceId.slice(0, slash);
  const name = namespaceId.slice(slash + 1);
  switch (kind) {
    case 'pod':
      return { kind: 'pod', pod: name };
    case 'node':
      return { kind: 'node', node: name };
    case 'host':
      return { kind: 'dockerHost' };
    case 'container':
      return { kind: 'dockerContainer', container: name };
    case 'client':
      return { kind: 'client' };
    case 'router':
      return { kind: 'router' };
    default:
      throw new Error(`cannot enter namespace ${namespaceId}`);
  }
}
