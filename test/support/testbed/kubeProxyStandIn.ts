/**
 * A kube-proxy stand-in for the Docker test bed (kube-proxy cannot run here). It plays two controllers for the Services
 * stored in the kube-apiserver stand-in: the endpointslice controller (one EndpointSlice per Service from the Running
 * Pods its selector matches) and kube-proxy in nftables mode (the embedded lab's generator, `kubeProxyRuleset`, loaded
 * with `nft -f -` into every node container's network namespace). The rules are real nftables rules in a real kernel.
 */
import { toKubeEndpointSlice, toKubeService } from '../../../src/providers/kube/api/convertService';
import type { KubeEndpointSlice, KubeService } from '../../../src/providers/kube/clusterTypes';
import { joinServices } from '../../../src/providers/kube/serviceInfo';
import type { ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import { kubeProxyRuleset, type KubeProxyService } from '../../../src/providers/embedded/daemon/services/kubeProxyRules';
import type { DockerEngine } from '../docker/engine';
import type { KubeApiStandIn } from '../kubeApiStandIn/server';
import { endpointSliceObject } from '../kubeApiStandIn/serviceObjects';
import type { StoredObject } from '../kubeApiStandIn/store';
import type { TestbedNode } from './testbedTypes';

/** The ranges kube-proxy is started with (kind's defaults). */
export interface KubeProxyRanges {
  clusterCIDR: string;
  serviceCIDR: string;
}

/** kind's (and kubeadm's) defaults. */
export const KIND_RANGES: KubeProxyRanges = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };

type PodJson = StoredObject & {
  spec?: { nodeName?: string; containers?: { ports?: { name?: string; containerPort?: number }[] }[] };
  status?: { phase?: string; podIP?: string };
};
type ServiceJson = StoredObject & { spec?: { selector?: Record<string, string>; ports?: { name?: string; protocol?: 'TCP' | 'UDP'; targetPort?: number | string; port: number }[] } };

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The port a Service port's targetPort means on one Pod: the number, or the Pod's container port of that name. */
function podPort(pod: PodJson, target: number | string | undefined, port: number): number | undefined {
  if (target === undefined) return port;
  if (typeof target === 'number') return target;
  return pod.spec?.containers?.flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
}

/**
 * The endpointslice controller's work for every Service with a selector in the stand-in: its slice lists the Running Pods
 * with an IP that the selector matches (ready, with targetRef and nodeName), at the Service's first port's target port.
 */
export function syncEndpointSlices(standIn: KubeApiStandIn): void {
  const pods = standIn.store.list({ kind: 'Pod' }).items as PodJson[];
  for (const svc of standIn.store.list({ kind: 'Service' }).items as ServiceJson[]) {
    const selector = svc.spec?.selector;
    const first = svc.spec?.ports?.[0];
    if (!selector || !first) continue; // Services without a selector get their slices from someone else, as in Kubernetes
    const ns = svc.metadata.namespace ?? 'default';
    const chosen = pods.filter((p) => p.metadata.namespace === ns && p.status?.phase === 'Running' && p.status.podIP && matches(selector, p.metadata.labels));
    const port = chosen.map((p) => podPort(p, first.targetPort, first.port)).find((n) => n !== undefined) ?? first.port;
    const endpoints = chosen.map((p) => ({ ip: p.status!.podIP!, pod: { namespace: ns, name: p.metadata.name }, node: p.spec?.nodeName }));
    standIn.upsert(endpointSliceObject({ namespace: ns, name: svc.metadata.name }, endpoints, [{ ...(first.name ? { name: first.name } : {}), protocol: first.protocol ?? 'TCP', port }], 'standin'));
  }
}

/** The Services of the stand-in as the kube provider reads them (the same converters and join). */
export function storedServices(standIn: KubeApiStandIn): ServiceInfo[] {
  const services = standIn.store.list({ kind: 'Service' }).items.map(toKubeService).filter((s): s is KubeService => s !== undefined);
  const slices = standIn.store.list({ kind: 'EndpointSlice' }).items.map(toKubeEndpointSlice).filter((s): s is KubeEndpointSlice => s !== undefined);
  return joinServices(services, slices).services;
}

/** The generator's input for one Service: its first port (the stand-in, like the embedded lab, programs one port per Service). */
export function kubeProxyService(s: ServiceInfo): KubeProxyService | undefined {
  const p = s.ports[0];
  if (!p || (s.type !== 'ClusterIP' && s.type !== 'NodePort') || !s.clusterIP || s.clusterIP === 'None') return undefined;
  const endpoints = s.endpoints.map((e) => ({
    ip: e.ip, port: (e.ports.find((q) => q.protocol === p.protocol) ?? e.ports[0])?.port ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port),
    ...(e.pod ? { pod: e.pod } : {}), ...(e.node ? { node: e.node } : {}), ready: e.ready,
  }));
  return {
    namespace: s.namespace ?? 'default', endpoints,
    spec: {
      name: s.name, selector: s.selector ?? { labels: {} }, type: s.type, clusterIP: s.clusterIP, protocol: p.protocol, port: p.port,
      targetPort: endpoints[0]?.port ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port), ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
      externalTrafficPolicy: s.externalTrafficPolicy,
    },
  };
}

/**
 * Runs both controllers once: refreshes the EndpointSlices, then loads kube-proxy's table into every node (replacing the
 * previous one in one transaction). Returns the nft text loaded per node.
 */
export async function syncKubeProxyStandIn(
  engine: DockerEngine, nodes: readonly TestbedNode[], standIn: KubeApiStandIn, ranges: KubeProxyRanges = KIND_RANGES,
): Promise<Map<string, string>> {
  syncEndpointSlices(standIn);
  const services = storedServices(standIn).map(kubeProxyService).filter((s): s is KubeProxyService => s !== undefined);
  const loaded = new Map<string, string>();
  await Promise.all(nodes.map(async (node) => {
    const text = kubeProxyRuleset({ node: { name: node.name, ip: node.ip }, clusterCIDR: ranges.clusterCIDR, serviceCIDR: ranges.serviceCIDR, services });
    await engine.dockerOk(['exec', '-i', node.container, 'nft', '-f', '-'], { input: text, timeoutMs: 30_000 }, `loading the kube-proxy stand-in's rules on ${node.name}`);
    loaded.set(node.name, text);
  }));
  return loaded;
}
