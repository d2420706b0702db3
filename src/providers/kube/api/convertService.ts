/**
 * Reads Services (v1) and EndpointSlices (discovery.k8s.io/v1) from API objects (typed from a list, raw JSON from a watch)
 * into plain types. API objects are untrusted: nothing here throws; what cannot be read is dropped and noted in `problems`.
 */
import type { KubeEndpointSlice, KubeService, KubeServicePort, KubeSliceEndpoint } from '../clusterTypes';
import { parseIPv4 } from '../../../model/cidr';
import { arr, labels, obj, str } from './convert';

/** The label an EndpointSlice names its Service with. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

/** A strict dotted quad (each part 0-255): the tracer does arithmetic on these addresses. */
function isIPv4(ip: string): boolean {
  try {
    parseIPv4(ip);
    return true;
  } catch {
    return false; // the caller notes the address as unreadable
  }
}

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** TCP or UDP in the lab's spelling; undefined (with the reason pushed) for SCTP or nonsense. Absent means TCP, as the API defaults it. */
function protocolOf(v: unknown, where: string, problems: string[]): 'tcp' | 'udp' | undefined {
  if (v === undefined || v === null || v === 'TCP') return 'tcp';
  if (v === 'UDP') return 'udp';
  problems.push(`${where}: protocol ${JSON.stringify(v)} is not traced (PodNet follows TCP and UDP only)`);
  return undefined;
}

/** targetPort: a port, a container port name (IANA_SVC_NAME), or absent (the port itself, as the API defaults it). */
function targetPortOf(t: unknown, port: number, where: string, problems: string[]): number | string {
  if (t === undefined || t === null) return port;
  if (isPort(t)) return t;
  if (typeof t === 'string' && /^\d+$/.test(t) && isPort(Number(t))) return Number(t);
  if (typeof t === 'string' && t.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(t)) return t;
  problems.push(`${where}: targetPort ${JSON.stringify(t)} is neither a port nor a port name; using port ${port}`);
  return port;
}

function servicePort(raw: unknown, i: number, problems: string[]): KubeServicePort | undefined {
  const p = obj(raw);
  const where = `spec.ports[${i}]`;
  if (!isPort(p.port)) return void problems.push(`${where}: port ${JSON.stringify(p.port ?? null)} is not 1-65535`);
  const protocol = protocolOf(p.protocol, where, problems);
  if (!protocol) return undefined;
  const nodePort = isPort(p.nodePort) ? { nodePort: p.nodePort } : {};
  const targetPort = targetPortOf(p.targetPort, p.port, where, problems);
  return { ...(str(p.name) ? { name: str(p.name) } : {}), protocol, port: p.port, targetPort, ...nodePort };
}

/** The ClusterIP PodNet can trace: spec.clusterIP when IPv4, else the first IPv4 of spec.clusterIPs; '' / 'None' kept. */
function clusterIPOf(spec: Record<string, unknown>, problems: string[]): string {
  const ip = str(spec.clusterIP);
  if (ip === '' || ip === 'None' || isIPv4(ip)) return ip;
  const v4 = arr(spec.clusterIPs).map(str).find(isIPv4);
  if (v4) return v4;
  problems.push(`spec.clusterIP ${JSON.stringify(ip)} is not an IPv4 address (PodNet traces IPv4 only)`);
  return '';
}

/** A Service as PodNet reads it; undefined when it has no name (it cannot be keyed). */
export function toKubeService(raw: unknown): KubeService | undefined {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const name = str(meta.name);
  if (!name) return undefined;
  const problems: string[] = [];
  const rawType = spec.type ?? 'ClusterIP';
  const type = typeof rawType === 'string' && TYPES.has(rawType) ? (rawType as KubeService['type']) : '';
  if (!type) problems.push(`spec.type ${JSON.stringify(rawType)} is not ClusterIP, NodePort, LoadBalancer or ExternalName`);
  const ports = arr(spec.ports).map((p, i) => servicePort(p, i, problems)).filter((p): p is KubeServicePort => p !== undefined);
  const selector = spec.selector !== undefined && spec.selector !== null ? { selector: labels(spec.selector) } : {};
  return {
    namespace: str(meta.namespace) || 'default', name, type, clusterIP: clusterIPOf(spec, problems), ports,
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster', ...selector, problems, resourceVersion: str(meta.resourceVersion),
    ...(str(meta.creationTimestamp) ? { createdAt: str(meta.creationTimestamp) } : {}),
  };
}

function sliceEndpoint(raw: unknown, i: number, problems: string[]): KubeSliceEndpoint | undefined {
  const e = obj(raw);
  const ip = arr(e.addresses).map(str)[0] ?? '';
  if (!isIPv4(ip)) return void problems.push(`endpoints[${i}]: address ${JSON.stringify(ip)} is not an IPv4 address`);
  const ready = obj(e.conditions).ready !== false; // nil means ready (discovery.k8s.io/v1 EndpointConditions)
  const ref = obj(e.targetRef);
  const pod = ref.kind === 'Pod' && str(ref.name) ? { pod: `${str(ref.namespace) || 'default'}/${str(ref.name)}` } : {};
  return { ip, ready, ...pod, ...(str(e.nodeName) ? { node: str(e.nodeName) } : {}) };
}

/** An EndpointSlice as PodNet reads it; undefined when it has no name. Slices of other address types keep no endpoints. */
export function toKubeEndpointSlice(raw: unknown): KubeEndpointSlice | undefined {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const name = str(meta.name);
  if (!name) return undefined;
  const problems: string[] = [];
  const addressType = str(o.addressType);
  const ports = arr(o.ports).flatMap((raw, i) => {
    const p = obj(raw);
    const protocol = protocolOf(p.protocol, `ports[${i}]`, problems);
    if (!isPort(p.port) || !protocol) return [];
    return [{ ...(str(p.name) ? { name: str(p.name) } : {}), protocol, port: p.port }];
  });
  const endpoints = addressType === 'IPv4'
    ? arr(o.endpoints).map((e, i) => sliceEndpoint(e, i, problems)).filter((e): e is KubeSliceEndpoint => e !== undefined)
    : [];
  return {
    namespace: str(meta.namespace) || 'default', name, service: labels(meta.labels)[SERVICE_NAME_LABEL] ?? '', addressType, ports, endpoints,
    problems, resourceVersion: str(meta.resourceVersion),
  };
}
