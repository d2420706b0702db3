/** Reads Nodes and Pods from API objects (typed V1 objects from a list, or raw JSON from a watch) into plain types, never throwing on odd input. */
import type { KubeContainer, KubeContainerPort, KubeNode, KubePod } from '../clusterTypes';

type Obj = Record<string, unknown>;

/** `v` if it is a plain object, else an empty one. */
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
/** `v` if it is an array, else an empty one. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** `v` as a string (numbers spelled out), else ''. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** `v` if it is a finite number, else 0. */
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A timestamp as ISO 8601, whether it arrives as a Date (typed client) or a string (watch JSON). */
function timestamp(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return str(v);
}

/** The string-valued entries of a labels (or selector) object. */
export function labels(v: unknown): Record<string, string> {
  // fromEntries defines own properties: a label named "__proto__" stays a label instead of setting the prototype.
  return Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** True for a dotted-quad IPv4 address. */
export const isIPv4 = (ip: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** IPv4 addresses first, keeping the API's order otherwise. */
function ipv4First(ips: string[]): string[] {
  return [...ips.filter(isIPv4), ...ips.filter((ip) => !isIPv4(ip))];
}

/** A Node as PodNet shows it; '' and [] where the API object says nothing. */
export function toKubeNode(raw: unknown): KubeNode {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const internal = arr(status.addresses)
    .map(obj)
    .filter((a) => a.type === 'InternalIP')
    .map((a) => str(a.address))
    .filter(Boolean);
  const cidrs = arr(spec.podCIDRs).map(str).filter(Boolean);
  const ready = arr(status.conditions)
    .map(obj)
    .some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    name: str(meta.name),
    internalIP: ipv4First(internal)[0] ?? '',
    podCIDRs: cidrs.length ? cidrs : [str(spec.podCIDR)].filter(Boolean),
    ready,
    providerID: str(spec.providerID),
    labels: labels(meta.labels),
    createdAt: timestamp(meta.creationTimestamp),
    resourceVersion: str(meta.resourceVersion),
  };
}

function containerPort(raw: unknown): KubeContainerPort | undefined {
  const p = obj(raw);
  const port = num(p.containerPort);
  if (port <= 0) return undefined;
  const protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
  return { containerPort: port, protocol, ...(str(p.name) ? { name: str(p.name) } : {}) };
}

function container(raw: unknown): KubeContainer {
  const c = obj(raw);
  return {
    name: str(c.name),
    image: str(c.image),
    ports: arr(c.ports).map(containerPort).filter((p): p is KubeContainerPort => p !== undefined),
  };
}

const PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/** A Pod as PodNet shows it; '' and [] where the API object says nothing, phase 'Unknown' when it is not one of the five. */
export function toKubePod(raw: unknown): KubePod {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const ips = arr(status.podIPs).map((p) => str(obj(p).ip)).filter(Boolean);
  const statuses = arr(status.containerStatuses).map(obj);
  const phase = str(status.phase);
  return {
    namespace: str(meta.namespace) || 'default',
    name: str(meta.name),
    uid: str(meta.uid),
    node: str(spec.nodeName),
    podIPs: ipv4First(ips.length ? ips : [str(status.podIP)].filter(Boolean)),
    phase: (PHASES.has(phase) ? phase : phase ? 'Unknown' : 'Pending') as KubePod['phase'],
    deleting: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    hostNetwork: spec.hostNetwork === true,
    containers: arr(spec.containers).map(container),
    readyContainers: statuses.filter((s) => s.ready === true).length,
    restarts: statuses.reduce((sum, s) => sum + num(s.restartCount), 0),
    labels: labels(meta.labels),
    createdAt: timestamp(meta.creationTimestamp),
    resourceVersion: str(meta.resourceVersion),
  };
}
