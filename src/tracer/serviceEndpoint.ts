/** Resolves a Service as a trace's TO: `web`, `svc/web`, `web:80`, `svc/NAMESPACE/NAME[:PORT]`, or its ClusterIP[:PORT]. */
import { LabError } from '../providers/embedded/control/labError';
import type { Snapshot, SnapshotService } from '../snapshot/types';
import type { Endpoint, TraceProto } from './types';

const PREFIX = /^(?:svc|service|services)\//;

/** The Service's name as a trace shows it: `NAME`, or `NAMESPACE/NAME` on a cluster. */
function qualified(svc: SnapshotService): string {
  return svc.namespace ? `${svc.namespace}/${svc.name}` : svc.name;
}

function portsText(svc: SnapshotService): string {
  return svc.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol.toUpperCase()}`).join(', ') || 'none';
}

/** The Services named `name` (`NAME`, `NAMESPACE/NAME`); on a cluster a bare name may match in several namespaces. */
function byName(s: Snapshot, name: string): SnapshotService[] {
  const all = s.cluster.services ?? [];
  const exact = all.filter((v) => qualified(v) === name);
  return exact.length ? exact : all.filter((v) => v.name === name);
}

/** The Service port `text` names (a number or a port name; absent: the first port), or a located error. */
function servicePort(svc: SnapshotService, text: string | undefined, input: string): SnapshotService['ports'][number] {
  if (svc.ports.length === 0) throw new LabError(`"${input}": Service ${qualified(svc)} has no ports to send to`, 'BAD_REQUEST', 'to');
  if (text === undefined) return svc.ports[0];
  const port = svc.ports.find((p) => String(p.port) === text || (p.name !== undefined && p.name === text));
  if (!port) throw new LabError(`"${input}": Service ${qualified(svc)} has no port "${text}" (its ports: ${portsText(svc)}); pick one of those`, 'BAD_REQUEST', 'to');
  return port;
}

/** The endpoint for one Service on one port; a headless Service (no ClusterIP) has no address to trace to. */
function serviceEndpoint(svc: SnapshotService, portText: string | undefined, input: string): Endpoint {
  if (!svc.clusterIP || svc.clusterIP === 'None') {
    throw new LabError(`"${input}": Service ${qualified(svc)} is headless (no ClusterIP): trace to one of its Pods instead`, 'BAD_REQUEST', 'to');
  }
  const port = servicePort(svc, portText, input);
  return { input, kind: 'service', name: qualified(svc), ip: svc.clusterIP, port: port.port };
}

/**
 * `text` as a Service by name (undefined when it names none and has no `svc/` prefix); a Service cannot be FROM (it is
 * a virtual address, nothing sends from it).
 */
export function serviceByName(s: Snapshot, text: string, role: 'from' | 'to'): Endpoint | undefined {
  const explicit = PREFIX.test(text);
  const rest = text.replace(PREFIX, '');
  const colon = rest.lastIndexOf(':');
  const name = colon < 0 ? rest : rest.slice(0, colon);
  const portText = colon < 0 ? undefined : rest.slice(colon + 1);
  const found = byName(s, name);
  if (found.length === 0) {
    if (!explicit) return undefined;
    const known = (s.cluster.services ?? []).map(qualified).join(', ') || 'none';
    throw new LabError(`"${text}": no Service ${name} in this lab (Services: ${known})`, 'NOT_FOUND', role);
  }
  if (found.length > 1) throw new LabError(`"${text}" names Services in several namespaces (${found.map(qualified).join(', ')}): write svc/NAMESPACE/${name}`, 'BAD_REQUEST', role);
  if (role === 'from') {
    throw new LabError(`"${text}": a Service is a virtual address that nothing sends from; trace FROM a Pod, a node or the outside client, TO the Service`, 'BAD_REQUEST', role);
  }
  return serviceEndpoint(found[0], portText, text);
}

/** A ClusterIP as TO, with its port (absent: the Service's first port); undefined for an address no Service has, or a port it does not serve. */
export function serviceByIP(s: Snapshot, text: string, ip: string, port: number | undefined): Endpoint | undefined {
  const svc = (s.cluster.services ?? []).find((v) => v.clusterIP === ip);
  if (!svc || (port !== undefined && !svc.ports.some((p) => p.port === port))) return undefined;
  return { ...serviceEndpoint(svc, port === undefined ? undefined : String(port), text), input: text };
}

/**
 * The protocol a trace to `e` on `port` should use when none was asked for: a Service's port's (a UDP Service is traced with
 * UDP), or on a node's address a NodePort's when only one protocol has that node port; undefined for anything else.
 */
export function endpointProto(s: Snapshot, e: Endpoint, port = e.port): TraceProto | undefined {
  const services = s.cluster.services ?? [];
  if (e.kind === 'service') return services.find((v) => v.clusterIP === e.ip)?.ports.find((p) => p.port === port)?.protocol;
  if (port === undefined || !s.cluster.nodes.some((n) => n.ip === e.ip)) return undefined;
  const protos = new Set(services.flatMap((v) => v.ports.filter((p) => p.nodePort === port).map((p) => p.protocol)));
  return protos.size === 1 ? [...protos][0] : undefined;
}

/** Service names for "known names" lists in errors. */
export function serviceNames(s: Snapshot): string[] {
  return (s.cluster.services ?? []).map(qualified);
}
