/** The checks of what snapshot version 2 added (Services, the outside client, subnets and router, VXLAN): values the schema subset cannot express. */
import { parseCIDR, parseIPv4 } from '../model/cidr';
import type { Snapshot, SnapshotService } from './types';

/** A problem as `[JSON path, message]`. */
type Problem = [string, string] | undefined;

const quote = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** The parser's own message (which says what is wrong and what would be right) at `path`, when `parse` refuses `text`. */
function unparsable(parse: (text: string) => unknown, path: string, text: string): Problem {
  try {
    parse(text);
    return undefined;
  } catch (e) {
    return [path, (e as Error).message];
  }
}

const ipProblem = (path: string, ip: string): Problem => unparsable(parseIPv4, path, ip);
const cidrProblem = (path: string, cidr: string): Problem => unparsable(parseCIDR, path, cidr);

/** The first field of a version-1 file that only version 2 has. */
function v2FieldIn(s: Snapshot): string | undefined {
  const c = s.cluster as unknown as Record<string, unknown>;
  const top = ['serviceCIDR', 'services', 'client', 'subnets', 'router'].find((k) => c[k] !== undefined);
  if (top) return `$.cluster.${top}`;
  for (const [i, ns] of s.namespaces.entries()) {
    if (ns.kind === 'client' || ns.kind === 'router') return `$.namespaces[${i}].kind`;
    const l = ns.links.findIndex((k) => k.kind === 'vxlan' || k.vxlan !== undefined);
    if (l >= 0) return `$.namespaces[${i}].links[${l}]${ns.links[l].vxlan ? '.vxlan' : '.kind'}`;
    const f = ns.fdb.findIndex((e) => e.dst !== undefined);
    if (f >= 0) return `$.namespaces[${i}].fdb[${f}].dst`;
  }
  return undefined;
}

/** A version-1 file must not use what version 2 added (it would be read by older PodNet Labs that do not know it). */
export function versionProblem(s: Snapshot): Problem {
  if (s.version >= 2) return undefined;
  const path = v2FieldIn(s);
  return path ? [path, `this is new in snapshot version 2, but the file says version ${s.version}: set "version": 2 or remove it`] : undefined;
}

function serviceProblem(svc: SnapshotService, path: string): Problem {
  if (svc.clusterIP !== '' && svc.clusterIP !== 'None') {
    const bad = ipProblem(`${path}.clusterIP`, svc.clusterIP);
    if (bad) return [bad[0], `${bad[1]} (or "" / "None" for a Service without a ClusterIP)`];
  }
  for (const [j, p] of svc.ports.entries()) {
    const t: unknown = p.targetPort;
    const ok = (typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 65535) || (typeof t === 'string' && t !== '');
    if (!ok) return [`${path}.ports[${j}].targetPort`, `expected a port 1-65535 or a container port name, got ${quote(t)}`];
  }
  for (const [j, e] of svc.endpoints.entries()) {
    const bad = ipProblem(`${path}.endpoints[${j}].ip`, e.ip);
    if (bad) return bad;
  }
  return undefined;
}

/** Services: unique `namespace/name`, well-formed addresses and target ports. */
function servicesProblem(s: Snapshot): Problem {
  const seen = new Map<string, number>();
  for (const [i, svc] of (s.cluster.services ?? []).entries()) {
    const path = `$.cluster.services[${i}]`;
    const key = `${svc.namespace ?? ''}/${svc.name}`;
    const first = seen.get(key);
    if (first !== undefined) return [`${path}.name`, `duplicate Service ${JSON.stringify(svc.namespace ? key : svc.name)} (also $.cluster.services[${first}])`];
    seen.set(key, i);
    const bad = serviceProblem(svc, path);
    if (bad) return bad;
  }
  return undefined;
}

/** The ranges and names of the service CIDR, the client and the subnets. */
function rangesProblem(s: Snapshot): Problem {
  const c = s.cluster;
  const names = new Set<string>();
  const problems: Problem[] = [
    c.serviceCIDR !== undefined ? cidrProblem('$.cluster.serviceCIDR', c.serviceCIDR) : undefined,
    c.client ? ipProblem('$.cluster.client.ip', c.client.ip) : undefined,
    ...(c.subnets ?? []).flatMap((n, i): Problem[] => {
      const dup: Problem = names.has(n.name) ? [`$.cluster.subnets[${i}].name`, `duplicate subnet ${JSON.stringify(n.name)}`] : undefined;
      names.add(n.name);
      return [dup, cidrProblem(`$.cluster.subnets[${i}].cidr`, n.cidr), ipProblem(`$.cluster.subnets[${i}].routerIP`, n.routerIP)];
    }),
  ];
  return problems.find((p) => p);
}

/** The first problem with what version 2 added, as `[path, message]`; undefined when there is none. */
export function v2Problem(s: Snapshot): Problem {
  return versionProblem(s) ?? servicesProblem(s) ?? rangesProblem(s);
}
