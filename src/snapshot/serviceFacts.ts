/** The Services, client, subnets and router of a snapshot's cluster facts (version 2), read from a lab's status. */
import type { LabStatus, ServiceInfo } from '../providers/embedded/control/protocol';
import { cmp, cmpAddress } from './parseIp';
import type { ClusterFacts, SnapshotService } from './types';

/** A ServiceInfo as the snapshot stores it: no selector (kube-proxy does not need it), endpoints by address then Pod. */
export function snapshotService(s: ServiceInfo): SnapshotService {
  return {
    name: s.name, ...(s.namespace !== undefined ? { namespace: s.namespace } : {}), type: s.type, clusterIP: s.clusterIP,
    // Port order is kept: the first port is the default a trace to the bare Service name uses.
    ports: s.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}), protocol: p.protocol, port: p.port, targetPort: p.targetPort,
      ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    })),
    externalTrafficPolicy: s.externalTrafficPolicy,
    endpoints: s.endpoints
      .map((e) => ({
        ip: e.ip, ...(e.pod !== undefined ? { pod: e.pod } : {}), ...(e.node !== undefined ? { node: e.node } : {}), ready: e.ready,
        ports: e.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), protocol: p.protocol, port: p.port })),
      }))
      .sort((a, b) => cmpAddress(a.ip, b.ip) || cmp(a.pod ?? '', b.pod ?? '')),
  };
}

/** Services sorted by namespace then name, each with its endpoints sorted. */
export function snapshotServices(services: readonly ServiceInfo[]): SnapshotService[] {
  return services.map(snapshotService).sort((a, b) => cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name));
}

/** The version-2 cluster facts of a status: only the fields it has, so a lab without them writes none. */
export function v2Facts(st: LabStatus): Pick<ClusterFacts, 'serviceCIDR' | 'services' | 'client' | 'subnets' | 'router'> {
  const serviceCIDR = st.serviceCIDR ?? st.topology.serviceCIDR;
  const subnets = st.topology.network.subnets;
  // The router (like the client) only when the lab runs it: its namespace is then collected as `router/NAME`.
  const router = st.router?.name;
  return {
    ...(serviceCIDR ? { serviceCIDR } : {}),
    ...(st.services ? { services: snapshotServices(st.services) } : {}),
    ...(st.client ? { client: { name: st.client.name, ip: st.client.ip } } : {}),
    ...(subnets?.length ? { subnets: subnets.map((n) => ({ name: n.name, cidr: n.cidr, routerIP: n.routerIP })).sort((a, b) => cmp(a.name, b.name)) } : {}),
    ...(router ? { router: { name: router } } : {}),
  };
}
