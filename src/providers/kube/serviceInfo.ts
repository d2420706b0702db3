/** Joins a cluster's Services with their EndpointSlices into the ServiceInfo every view and the snapshot read, as kube-proxy pairs them. */
import type { ServiceEndpointInfo, ServiceInfo } from '../embedded/control/protocol';
import { cmp, cmpAddress } from '../../snapshot/parseIp';
import type { KubeEndpointSlice, KubeService } from './clusterTypes';

/** Services that could be read, and one sentence per thing that could not (a skipped Service, a dropped port or endpoint). */
export interface ServiceJoin {
  services: ServiceInfo[];
  problems: string[];
}

const keyOf = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/** The endpoints of one Service from all its slices: one per address (kube-proxy dedupes across slices), ports merged. */
function endpointsOf(slices: readonly KubeEndpointSlice[]): ServiceEndpointInfo[] {
  const byIP = new Map<string, ServiceEndpointInfo>();
  for (const slice of slices) {
    for (const e of slice.endpoints) {
      const prev = byIP.get(e.ip);
      if (!prev) {
        const where = { ...(e.pod ? { pod: e.pod } : {}), ...(e.node ? { node: e.node } : {}) };
        byIP.set(e.ip, { ip: e.ip, ...where, ready: e.ready, ports: slice.ports.map((p) => ({ ...p })) });
        continue;
      }
      prev.ready ||= e.ready;
      for (const p of slice.ports) if (!prev.ports.some((q) => q.name === p.name && q.protocol === p.protocol && q.port === p.port)) prev.ports.push({ ...p });
    }
  }
  return [...byIP.values()].sort((a, b) => cmpAddress(a.ip, b.ip));
}

/** A Service that cannot be traced at all: its type is unknown, or its only ClusterIP is not IPv4. */
function unusable(s: KubeService): string | undefined {
  if (!s.type) return s.problems.find((p) => p.startsWith('spec.type'));
  return s.problems.find((p) => p.startsWith('spec.clusterIP'));
}

/** ServiceInfo for every readable Service (sorted by namespace, then name), with its ready and not-ready endpoints. */
export function joinServices(services: readonly KubeService[], slices: readonly KubeEndpointSlice[]): ServiceJoin {
  const problems: string[] = [];
  const bySvc = new Map<string, KubeEndpointSlice[]>();
  for (const slice of slices) {
    for (const p of slice.problems) problems.push(`EndpointSlice ${keyOf(slice)}: ${p}`);
    if (!slice.service) continue; // unlabelled slices belong to no Service (kube-proxy ignores them too)
    const key = `${slice.namespace}/${slice.service}`;
    bySvc.set(key, [...(bySvc.get(key) ?? []), slice]);
  }
  const out: ServiceInfo[] = [];
  for (const s of [...services].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
    const skip = unusable(s);
    if (skip) {
      problems.push(`Service ${keyOf(s)} skipped: ${skip}`);
      continue;
    }
    for (const p of s.problems) problems.push(`Service ${keyOf(s)}: ${p}`);
    out.push({
      name: s.name, namespace: s.namespace, type: s.type as ServiceInfo['type'], clusterIP: s.clusterIP, ports: s.ports.map((p) => ({ ...p })),
      externalTrafficPolicy: s.externalTrafficPolicy, ...(s.selector ? { selector: { labels: { ...s.selector } } } : {}),
      endpoints: s.type === 'ExternalName' ? [] : endpointsOf(bySvc.get(keyOf(s)) ?? []),
      ...(s.createdAt ? { createdAt: s.createdAt } : {}),
    });
  }
  return { services: out, problems };
}
