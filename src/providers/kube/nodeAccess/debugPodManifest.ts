/** The debug Pod PodNet may create on a node (opt-in), as a plain V1Pod manifest the user sees before it is created. */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { KubeNode } from '../clusterTypes';

/** Image used when the user names none: it has iproute2, nft, nsenter, tcpdump and sleep. */
export const DEFAULT_DEBUG_IMAGE = 'nicolaka/netshoot:v0.13';
/** Namespace used when the user names none. */
export const DEFAULT_DEBUG_NAMESPACE = 'default';
/** The one container of a debug Pod. */
export const DEBUG_CONTAINER = 'debug';
/** A debug Pod ends by itself after this long even if PodNet never removes it. */
export const DEBUG_POD_LIFETIME_SECONDS = 3600;
/** Labels every debug Pod carries; cleanup finds leftovers by exactly these. */
export const DEBUG_POD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'app.kubernetes.io/managed-by': 'podnet-lab',
  'podnet.dev/role': 'node-debug',
});
/** The label selector matching {@link DEBUG_POD_LABELS}. */
export const DEBUG_POD_SELECTOR = Object.entries(DEBUG_POD_LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');
/** Annotation holding the node's exact name (labels cannot hold every node name). */
export const DEBUG_POD_NODE_ANNOTATION = 'podnet.dev/node';

/** Where and with what image debug Pods are created. */
export interface DebugPodSettings {
  image: string;
  namespace: string;
}

const PREFIX = 'podnet-debug-';
const MAX_NAME = 63; // a DNS-1123 label, so the name is also a valid hostname

/**
 * The debug Pod's name for a node: `podnet-debug-<node>` when that is a DNS-1123 label as is; otherwise the node name
 * lower-cased, with other characters turned into '-', cut to fit, and suffixed with a hash of the real name, so two
 * nodes never share a name.
 */
export function debugPodName(nodeName: string): string {
  const plain = PREFIX + nodeName;
  if (plain.length <= MAX_NAME && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(plain)) return plain;
  const hash = createHash('sha256').update(nodeName).digest('hex').slice(0, 8);
  const safe = nodeName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const room = MAX_NAME - PREFIX.length - hash.length - 1;
  const cut = safe.slice(0, room).replace(/-+$/, '');
  return `${PREFIX}${cut ? `${cut}-` : ''}${hash}`;
}

/** A privileged, hostNetwork + hostPID Pod pinned to `node` that sleeps for a bounded time, labelled as PodNet's. */
export function debugPodManifest(node: KubeNode, opts: DebugPodSettings): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: debugPodName(node.name),
      namespace: opts.namespace,
      labels: { ...DEBUG_POD_LABELS },
      annotations: {
        [DEBUG_POD_NODE_ANNOTATION]: node.name,
        'podnet.dev/purpose':
          'PodNet Lab reads this node\'s network (ip, nft) through nsenter; read-only, removed when PodNet disconnects.',
        'podnet.dev/remove-with': 'podnet cluster cleanup',
      },
    },
    spec: {
      nodeName: node.name,
      hostNetwork: true,
      hostPID: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: DEBUG_POD_LIFETIME_SECONDS + 60,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: DEBUG_CONTAINER,
          image: opts.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', String(DEBUG_POD_LIFETIME_SECONDS)],
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

/** The manifests as one multi-document YAML text, exactly what will be sent, for showing before anything is created. */
export function manifestYaml(manifests: readonly Record<string, unknown>[]): string {
  return manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
}
