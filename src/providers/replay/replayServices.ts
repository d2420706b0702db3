/** The version-2 parts of a replayed status: Services, the service range, the outside client and the router, read back from a snapshot. */
import type { NamespaceSnapshot, Snapshot } from '../../snapshot/types';
import type { ClientInfo, LabStatus, RouterInfo, ServiceInfo } from '../embedded/control/protocol';

/** The wire-side end of `ifname` in `ns` ('' when its peer is not on the wire). */
function wirePort(ns: NamespaceSnapshot | undefined, ifname: string): string {
  const link = ns?.links.find((l) => l.name === ifname);
  return link?.peer?.namespace === 'wire' ? link.peer.ifname : '';
}

function routerInfo(s: Snapshot, name: string): RouterInfo {
  const ns = s.namespaces.find((n) => n.id === `router/${name}`);
  const subnets = s.cluster.subnets ?? [];
  const interfaces = (ns?.addresses ?? [])
    .filter((a) => a.family === 'inet')
    .flatMap((a) => {
      const subnet = subnets.find((n) => n.routerIP === a.address);
      return subnet ? [{ ifname: a.ifname, subnet: subnet.name, ip: a.address, wirePort: wirePort(ns, a.ifname) }] : [];
    });
  return { name, interfaces };
}

function clientInfo(s: Snapshot, c: { name: string; ip: string }): ClientInfo {
  const ns = s.namespaces.find((n) => n.id === `client/${c.name}`);
  const ifname = ns?.addresses.find((a) => a.address === c.ip)?.ifname ?? 'eth0';
  return { name: c.name, ip: c.ip, wirePort: wirePort(ns, ifname) };
}

/** Services (a snapshot keeps no selector), serviceCIDR, client and router as the lab reported them when the snapshot was taken. */
export function replayedV2Status(s: Snapshot): Pick<LabStatus, 'services' | 'serviceCIDR' | 'client' | 'router'> {
  const c = s.cluster;
  const services: ServiceInfo[] | undefined = c.services?.map((v) => structuredClone(v));
  return {
    ...(services ? { services } : {}),
    ...(c.serviceCIDR ? { serviceCIDR: c.serviceCIDR } : {}),
    ...(c.client ? { client: clientInfo(s, c.client) } : {}),
    ...(c.router ? { router: routerInfo(s, c.router.name) } : {}),
  };
}
