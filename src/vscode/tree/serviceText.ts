/** The words the tree uses for Services and their endpoints (no `vscode` here, so tests read them directly). */
import { servicePortsText as portsText } from '../../model/servicePorts';
import type { LabStatus, ServiceEndpointInfo, ServiceInfo } from '../../providers/embedded/control/protocol';

/** A Service's key in the tree and in commands: `name`, or `namespace/name` on a cluster. */
export function serviceKey(s: Pick<ServiceInfo, 'name' | 'namespace'>): string {
  return s.namespace ? `${s.namespace}/${s.name}` : s.name;
}

/** The Service of the status with that key (see {@link serviceKey}). */
export function serviceNamed(st: LabStatus, key: string): ServiceInfo | undefined {
  return st.services?.find((s) => serviceKey(s) === key);
}

/** kubectl's PORT(S) for a Service's ports (`80/TCP`, `80:30080/TCP`). */
export { portsText };

/** A Service row's description: type, ClusterIP, ports and ready endpoints (`ClusterIP · 10.96.0.100 · 80/TCP · 2/2 ready`). */
export function serviceDescription(s: ServiceInfo): string {
  const ready = s.endpoints.filter((e) => e.ready).length;
  const ip = s.clusterIP && s.clusterIP !== 'None' ? s.clusterIP : 'headless';
  return `${s.type} · ${ip} · ${portsText(s.ports)} · ${ready}/${s.endpoints.length} ready`;
}

/** How a selector reads: `app=web`, `Pods pod-a, pod-b`, or that there is none. */
export function selectorText(s: ServiceInfo): string {
  const labels = Object.entries(s.selector?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length) return labels.join(', ');
  if (s.selector?.pods?.length) return `Pods ${s.selector.pods.join(', ')}`;
  return 'none (its endpoints are not chosen by labels)';
}

/** What externalTrafficPolicy means for this Service's NodePort traffic, in one sentence. */
function policyText(s: ServiceInfo): string {
  if (!s.ports.some((p) => p.nodePort)) return `externalTrafficPolicy ${s.externalTrafficPolicy} (matters only for NodePort traffic)`;
  return s.externalTrafficPolicy === 'Local'
    ? 'externalTrafficPolicy Local: a node sends NodePort traffic only to its own endpoints and keeps the client\'s source IP; a node without one drops it.'
    : 'externalTrafficPolicy Cluster: any node sends NodePort traffic to any endpoint; the source IP is masqueraded to the node\'s.';
}

/** A Service row's tooltip: the address, the selector, the traffic policy, the endpoints. */
export function serviceTooltip(s: ServiceInfo): string {
  const ip = s.clusterIP && s.clusterIP !== 'None' ? s.clusterIP : '';
  const lines = [
    `Service ${serviceKey(s)} (${s.type})`,
    ip ? `ClusterIP ${ip}: a virtual address that stays while its Pods come and go; kube-proxy's rules on every node DNAT it to an endpoint.`
      : 'Headless: no ClusterIP, no DNAT; clients get the Pod IPs directly.',
    `Ports: ${portsText(s.ports)}${s.ports.map((p) => ` (→ ${p.targetPort})`).join('')}`,
    `Selector: ${selectorText(s)}`,
    policyText(s),
    s.endpoints.length ? `Endpoints: ${s.endpoints.map((e) => endpointLabel(s, e)).join(', ')}` : 'No endpoints: traffic to it is rejected.',
  ];
  return lines.join('\n');
}

/** The port traffic reaches an endpoint on: its first port matching the Service's first port by name, else its first. */
export function endpointPort(s: ServiceInfo, e: ServiceEndpointInfo): number | undefined {
  const first = s.ports[0];
  const named = first?.name ? e.ports.find((p) => p.name === first.name) : undefined;
  return (named ?? e.ports[0])?.port ?? (typeof first?.targetPort === 'number' ? first.targetPort : undefined);
}

/** An endpoint row's label: `10.244.1.2:8080`. */
export function endpointLabel(s: ServiceInfo, e: ServiceEndpointInfo): string {
  const port = endpointPort(s, e);
  return port ? `${e.ip}:${port}` : e.ip;
}

/** An endpoint row's description: its Pod and node, and whether kube-proxy sends it traffic. */
export function endpointDescription(e: ServiceEndpointInfo): string {
  const where = e.pod ? `→ ${e.pod}${e.node ? ` on ${e.node}` : ''}` : e.node ? `on ${e.node}` : '';
  return `${where}${e.ready ? '' : `${where ? ' · ' : ''}not ready (gets no traffic)`}`;
}

/** The Services group's description: how many and the range their ClusterIPs come from. */
export function servicesGroupDescription(st: LabStatus): string {
  const n = st.services?.length ?? 0;
  return `${n} ${n === 1 ? 'Service' : 'Services'}${st.serviceCIDR ? ` · ClusterIPs from ${st.serviceCIDR}` : ''}`;
}

/** The Services after one `service` event: the changed one replaced (or removed), the list kept in name order. */
export function withService(list: ServiceInfo[] | undefined, change: 'added' | 'deleted' | 'updated', svc: ServiceInfo): ServiceInfo[] {
  const same = (s: ServiceInfo) => s.name === svc.name && s.namespace === svc.namespace;
  const out = (list ?? []).filter((s) => !same(s));
  if (change !== 'deleted') out.push(svc);
  return out.sort((a, b) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`));
}
