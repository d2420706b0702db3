/** The topology's Pods as Kubernetes manifests for a kind cluster: pinned to their worker, web servers from a configurable image. */
import type { ContainerSpec, PodSpec, Topology } from '../../model/topology';
import { TOPOLOGY_NODE_LABEL } from './kindConfig';
import { podSelectionLabels } from './serviceLabels';

/** The default workload image: its `netexec` serves HTTP and answers `/clientip` with the address it saw. */
export const DEFAULT_WORKLOAD_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
/** Label on everything PodNet creates in a cluster, so it can be listed and removed. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'podnet-lab' } as const;
/** Label naming the topology a workload belongs to. */
export const TOPOLOGY_LABEL = 'podnet.dev/topology';
/** Namespace the topology's Pods go in. */
export const WORKLOAD_NAMESPACE = 'default';

/** Port a container listens on: the web default 8080, the sidecar 9090 (both in one network namespace, so they must differ). */
function containerPort(c: ContainerSpec): number | undefined {
  if (c.workload === 'web') return c.port ?? 8080;
  if (c.workload === 'sidecar') return 9090;
  return undefined;
}

/** One container: agnhost netexec on its port, or agnhost pause for a container that only sleeps. */
function container(c: ContainerSpec, image: string): Record<string, unknown> {
  const port = containerPort(c);
  if (port === undefined) return { name: c.name, image, args: ['pause'] };
  return { name: c.name, image, args: ['netexec', `--http-port=${port}`, '--udp-port=-1'], ports: [{ containerPort: port, protocol: 'TCP' }] };
}

/**
 * The Pod manifest for one topology Pod, scheduled onto the worker labelled with its topology node. Labels: `app: NAME`
 * unless the topology gives the Pod its own labels, then those, the label of every Service that names the Pod in
 * `selector.pods`, and PodNet's own two.
 */
export function podManifest(
  pod: PodSpec, topology: Pick<Topology, 'name'> & Partial<Pick<Topology, 'services'>>, image = DEFAULT_WORKLOAD_IMAGE,
): Record<string, unknown> {
  const labels = { app: pod.name, ...pod.labels, ...podSelectionLabels(pod.name, topology.services ?? []), ...MANAGED_BY, [TOPOLOGY_LABEL]: topology.name };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: WORKLOAD_NAMESPACE, labels },
    spec: {
      nodeSelector: { [TOPOLOGY_NODE_LABEL]: pod.node },
      terminationGracePeriodSeconds: 1,
      containers: pod.containers.map((c) => container(c, image)),
    },
  };
}

/** Every Pod of the topology, in topology order. */
export function workloadManifests(topology: Topology, image?: string): Record<string, unknown>[] {
  return topology.pods.map((p) => podManifest(p, topology, image));
}

/** The advice shown when a node cannot pull the workload image (no registry access, e.g. offline). */
export function imagePullAdvice(image: string, cluster: string): string {
  return `the nodes could not pull ${image}: pull it where a registry is reachable, then load it into the cluster with \`kind load docker-image ${image} --name ${cluster}\``;
}
