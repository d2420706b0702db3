/** Turns what the user typed (a Pod, node, host, container, Service, the outside client, the router, IP or IP:port) into a trace endpoint. */
import { parseIPv4 } from '../model/cidr';
import { kernelPrefixContains } from './kernelCidr';
import { LabError } from '../providers/embedded/control/labError';
import type { Snapshot } from '../snapshot/types';
import type { Endpoint } from './types';
import { serviceByIP, serviceByName, serviceNames } from './serviceEndpoint';

export { endpointProto } from './serviceEndpoint';

function knownNames(s: Snapshot): string {
  const pods = s.cluster.pods.map((p) => p.name).join(', ') || 'none';
  const nodes = s.cluster.nodes.map((n) => n.name).join(', ') || 'none';
  const docker = s.cluster.dockerHost ? `; Docker-style host ${s.cluster.dockerHost.name} with ${s.cluster.dockerHost.containers.map((c) => c.name).join(', ')}` : '';
  const services = serviceNames(s);
  const svc = services.length ? `; Services: ${services.join(', ')}` : '';
  const client = s.cluster.client ? `; outside client ${s.cluster.client.name}` : '';
  const router = s.cluster.router ? `; router ${s.cluster.router.name}` : '';
  return `Pods: ${pods}; nodes: ${nodes}${docker}${svc}${client}${router}`;
}

/** Every named endpoint of the snapshot. */
function namedEndpoints(s: Snapshot): Endpoint[] {
  const out: Endpoint[] = [];
  for (const p of s.cluster.pods) out.push({ input: p.name, kind: 'pod', name: p.name, namespace: `pod/${p.name}`, ip: p.ip });
  for (const n of s.cluster.nodes) out.push({ input: n.name, kind: 'node', name: n.name, namespace: `node/${n.name}`, ip: n.ip });
  const d = s.cluster.dockerHost;
  if (d) {
    out.push({ input: d.name, kind: 'host', name: d.name, namespace: `host/${d.name}`, ip: d.ip });
    for (const c of d.containers) out.push({ input: c.name, kind: 'container', name: c.name, namespace: `container/${c.name}`, ip: c.ip });
  }
  const client = s.cluster.client;
  if (client) out.push({ input: client.name, kind: 'client', name: client.name, namespace: `client/${client.name}`, ip: client.ip });
  const router = s.cluster.router;
  // The router has one address per subnet; as an endpoint it goes by the first (as a sender it picks its source by route).
  if (router) out.push({ input: router.name, kind: 'router', name: router.name, namespace: `router/${router.name}`, ip: s.cluster.subnets?.[0]?.routerIP ?? '' });
  return out;
}

/** The networks this lab owns: traced addresses must fall into one of them. */
function labNetworks(s: Snapshot): string[] {
  const nets = [
    s.cluster.network?.cidr, s.cluster.clusterCIDR, ...s.cluster.nodes.map((n) => n.podCIDR), s.cluster.dockerHost?.bridgeCIDR, s.cluster.serviceCIDR,
    ...(s.cluster.subnets ?? []).map((n) => n.cidr),
  ];
  return nets.filter((n): n is string => !!n);
}

function isIPv4(text: string): boolean {
  try {
    parseIPv4(text);
    return true;
  } catch {
    return false; // not an address: the caller goes on to say what the text is not
  }
}

/** On a cluster (Pods named `NAMESPACE/NAME`), the one Pod called `text` in whatever namespace; several is a mistake to name. */
function podInAnyNamespace(named: Endpoint[], text: string, role: 'from' | 'to'): Endpoint | undefined {
  if (text.includes('/') || text.includes(':')) return undefined;
  const matches = named.filter((e) => e.kind === 'pod' && e.name?.endsWith(`/${text}`));
  if (matches.length > 1) throw new LabError(`"${text}" names Pods in several namespaces (${matches.map((m) => m.name).join(', ')}): write NAMESPACE/${text}`, 'BAD_REQUEST', role);
  return matches[0];
}

/** `NAME:PORT` (a Pod or node, as `podnet trace pod-a pod-c:8080`): the named endpoint with that destination port; FROM has no port. */
function namedWithPort(named: Endpoint[], text: string, role: 'from' | 'to'): Endpoint | undefined {
  const m = /^(.+):([^:]*)$/.exec(text);
  if (!m) return undefined;
  const target = named.find((e) => e.name === m[1]) ?? podInAnyNamespace(named, m[1], role);
  if (!target) return undefined;
  if (role === 'from') throw new LabError(`"${text}": FROM has no port; give the port on TO (${m[1]} is where the packet starts)`, 'BAD_REQUEST', role);
  const port = Number(m[2]);
  if (!/^\d{1,5}$/.test(m[2]) || port < 1 || port > 65535) throw new LabError(`"${text}": port "${m[2]}" must be a number from 1 to 65535`, 'BAD_REQUEST', role);
  return { ...target, input: text, port };
}

/** Resolves `text` as the trace's `role` ('from' must be a namespace; 'to' may also be an address in the lab). */
export function resolveEndpoint(s: Snapshot, text: string, role: 'from' | 'to'): Endpoint {
  const named = namedEndpoints(s);
  const byName = named.find((e) => e.name === text) ?? podInAnyNamespace(named, text, role);
  if (byName) return { ...byName, input: text };
  const withPort = namedWithPort(named, text, role);
  if (withPort) return withPort;
  const service = serviceByName(s, text, role);
  if (service) return service;
  const [host, portText, ...rest] = text.split(':');
  if (isIPv4(host) && rest.length === 0) {
    const port = portText === undefined ? undefined : Number(portText);
    if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || port! < 1 || port! > 65535)) {
      throw new LabError(`"${text}": port "${portText}" must be a number from 1 to 65535`, 'BAD_REQUEST', role);
    }
    const owner = named.find((e) => e.ip === host);
    if (role === 'from') {
      if (!owner) throw new LabError(`cannot trace from ${host}: it is not the address of a Pod or node (${knownNames(s)})`, 'NOT_FOUND', role);
      return { ...owner, input: text };
    }
    const inLab = labNetworks(s).some((n) => kernelPrefixContains(n, host)) || s.namespaces.some((ns) => ns.addresses.some((a) => a.address === host));
    if (!inLab) throw new LabError(`${host} is in no network of this lab (${labNetworks(s).join(', ')}): pick an address inside one of them`, 'NOT_FOUND', role);
    return owner ? { ...owner, input: text, ip: host, port } : (serviceByIP(s, text, host, port) ?? { input: text, kind: 'ip', ip: host, port });
  }
  throw new LabError(`"${text}" is not a Pod, node, Service or IP of this lab (${knownNames(s)})`, 'NOT_FOUND', role);
}
