/**
 * What a kubelet does with PodNet's debug Pods, on the Docker test bed, for the kube-apiserver stand-in: a debug Pod
 * created through the API starts Pending, then becomes a real container that shares its node container's network and
 * PID namespaces but has a mount namespace of its own (exactly what hostNetwork + hostPID give a Pod), then Running.
 * Exec into it is `docker exec -i` into that container. Deleting the Pod removes the container. A Pod whose image is
 * not the test bed's stays Pending forever (an image that cannot be pulled), except {@link EXITING_IMAGE}, whose Pod
 * fails at once (a container that exits).
 */
import type { DockerEngine } from '../../../support/docker/engine';
import type { ExecHandler } from '../../../support/kubeApiStandIn/execSession';
import type { KubeApiStandIn } from '../../../support/kubeApiStandIn/server';
import type { StoreEvent, StoredObject } from '../../../support/kubeApiStandIn/store';
import type { Testbed } from '../../../support/testbed/testbed';
import { DEBUG_POD_LABELS } from '../../../../src/providers/kube/nodeAccess/debugPodManifest';

/** A debug Pod with this image ends Failed right away, as one whose command is missing would. */
export const EXITING_IMAGE = 'registry.invalid/podnet/exits:1';

/** The simulated kubelet: call `stop()` then `settled()` to wait for containers still being started or removed. */
export interface DebugPodKubelet {
  /** Docker container name backing a debug Pod. */
  containerOf(namespace: string, name: string): string;
  /** Resolves when every container start/removal begun so far has finished; rejects with the first failure. */
  settled(): Promise<void>;
  stop(): void;
}

interface PodSpecShape {
  nodeName?: string;
  containers?: { name?: string; image?: string }[];
}

const isDebugPod = (o: StoredObject): boolean =>
  Object.entries(DEBUG_POD_LABELS).every(([k, v]) => o.metadata.labels?.[k] === v);

/** Starts reacting to debug Pods created in the stand-in; sets the stand-in's exec handler. */
export function startDebugPodKubelet(engine: DockerEngine, bed: Testbed, standIn: KubeApiStandIn): DebugPodKubelet {
  const work: Promise<unknown>[] = [];
  /** Container name -> its last start or removal; each runs after the previous one (a name can be re-created). */
  const queue = new Map<string, Promise<unknown>>();
  const enqueue = (container: string, op: () => Promise<unknown>): void => {
    // The previous operation's failure is already reported through `work`; this one runs regardless.
    const next = (queue.get(container) ?? Promise.resolve()).catch(() => undefined).then(op);
    queue.set(container, next);
    work.push(next);
  };
  const containerOf = (namespace: string, name: string): string => `h3dbg-${namespace}-${name}`;
  const setStatus = (namespace: string, name: string, status: Record<string, unknown>): void => {
    const current = standIn.store.get('Pod', namespace, name);
    if (current) standIn.upsert({ ...current, kind: 'Pod', status });
  };

  const onAdded = (pod: StoredObject): void => {
    const { namespace = '', name } = pod.metadata;
    const spec = pod.spec as PodSpecShape;
    const node = bed.nodes.find((n) => n.name === spec.nodeName);
    const image = spec.containers?.[0]?.image;
    // The stand-in answers a create with a Running Pod; a kubelet would report Pending first. A microtask runs before the
    // client (in this same process) can read the create's response, so no client ever sees the premature Running.
    queueMicrotask(() => setStatus(namespace, name, { phase: image === EXITING_IMAGE ? 'Failed' : 'Pending' }));
    if (!node || image !== bed.image) return; // never pulled, never scheduled: stays Pending
    const container = containerOf(namespace, name);
    enqueue(container, () =>
      engine
        .dockerOk(
          [
            'run', '-d', '--name', container, '--network', `container:${node.container}`, '--pid', `container:${node.container}`,
            '--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_ADMIN', '--cap-add', 'SYS_PTRACE', '--security-opt', 'seccomp=unconfined',
            '--security-opt', 'apparmor=unconfined', bed.image, 'sleep', '3600',
          ],
          {},
          `starting debug Pod ${namespace}/${name}'s container`,
        )
        .then(() =>
          setStatus(namespace, name, {
            phase: 'Running',
            hostIP: node.ip,
            podIP: node.ip,
            podIPs: [{ ip: node.ip }],
            containerStatuses: [{ name: 'debug', ready: true, restartCount: 0, state: { running: {} } }],
          }),
        ),
    );
  };

  const unsubscribe = standIn.store.subscribe((e: StoreEvent) => {
    if (e.kind !== 'Pod' || !isDebugPod(e.object)) return;
    if (e.type === 'ADDED') onAdded(e.object);
    if (e.type === 'DELETED') {
      const name = containerOf(e.object.metadata.namespace ?? '', e.object.metadata.name);
      if (!queue.has(name)) return; // a Pod that never ran has no container
      enqueue(name, () => engine.dockerOk(['rm', '-f', name], {}, `removing debug Pod container ${name}`));
    }
  });

  const handler: ExecHandler = (pod, _container, argv) => {
    if (!isDebugPod(pod)) throw new Error(`only debug Pods can be exec'd into in this test, not ${pod.metadata.name}`);
    return { argv: ['docker', '-H', engine.host, 'exec', '-i', containerOf(pod.metadata.namespace ?? '', pod.metadata.name), ...argv] };
  };
  standIn.execHandler = handler;

  return {
    containerOf,
    async settled() {
      for (let seen = 0; seen < work.length; seen = work.length) await Promise.all(work);
    },
    stop: unsubscribe,
  };
}
