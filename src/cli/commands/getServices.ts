/** `podnet get svc|endpoints`: Services and their endpoints in kubectl's column shapes, from the lab's (or cluster's) status. */
import { servicePortsText } from '../../model/servicePorts';
import { LabError } from '../../providers/embedded/control/labError';
import type { ServiceInfo } from '../../providers/embedded/control/protocol';
import { cmp } from '../../snapshot/parseIp';
import { formatLabels } from '../labelArgs';
import { table } from '../table';
import { kubeAge } from './getCluster';

/** What `get` lists about Services: the Services themselves or their endpoints. */
export type ServiceListKind = 'services' | 'endpoints';

/** How a Service list is printed: its format, whether NAMESPACE is shown (-A on a cluster), and the clock for AGE. */
export interface ServiceListOptions {
  wide: boolean;
  allNamespaces: boolean;
  now?: number;
}

/** The Service's own name, without a `NAMESPACE/` prefix a cluster backend may put in front. */
export function serviceName(s: ServiceInfo): string {
  return s.namespace !== undefined && s.name.startsWith(`${s.namespace}/`) ? s.name.slice(s.namespace.length + 1) : s.name;
}

/** Services sorted like kubectl lists them: by namespace, then name. */
export const sortServices = (list: readonly ServiceInfo[]): ServiceInfo[] =>
  [...list].sort((a, b) => cmp(a.namespace ?? '', b.namespace ?? '') || cmp(serviceName(a), serviceName(b)));

/** kubectl's PORT(S): `80/TCP`, `80:30080/TCP` with a NodePort, several joined by commas, `<none>` without ports. */
export function portsText(s: ServiceInfo): string {
  return servicePortsText(s.ports);
}

/** kubectl's SELECTOR (`app=web`, sorted by key), or for PodNet's Pod-name selector `pod in (pod-a,pod-c)`. */
export function selectorText(s: ServiceInfo): string {
  if (s.selector?.pods) return `pod in (${s.selector.pods.join(',')})`;
  return formatLabels(s.selector?.labels);
}

/** kubectl's ENDPOINTS: `IP:PORT` of every ready endpoint, port by port, the first `max` then `+ N more...`, or `<none>`. */
export function endpointsText(s: ServiceInfo, max = 3): string {
  const ready = s.endpoints.filter((e) => e.ready);
  const ports = [...new Set(ready.flatMap((e) => e.ports.map((p) => p.port)))];
  const all = ports.length
    ? ports.flatMap((port) => ready.filter((e) => e.ports.some((p) => p.port === port)).map((e) => `${e.ip}:${port}`))
    : ready.map((e) => e.ip);
  if (all.length === 0) return '<none>';
  const more = all.length > max ? ` + ${all.length - max} more...` : '';
  return all.slice(0, max).join(',') + more;
}

const externalIp = (s: ServiceInfo): string => (s.type === 'LoadBalancer' ? '<pending>' : '<none>');

/** `kubectl get svc [-A] [-o wide]`: [NAMESPACE] NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (wide: SELECTOR). */
export function servicesTable(list: readonly ServiceInfo[], opts: ServiceListOptions): string {
  const headers = [...(opts.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', ...(opts.wide ? ['SELECTOR'] : [])];
  const rows = sortServices(list).map((s) => [
    ...(opts.allNamespaces ? [s.namespace ?? ''] : []), serviceName(s), s.type, s.clusterIP || '<none>', externalIp(s), portsText(s),
    kubeAge(s.createdAt, opts.now), ...(opts.wide ? [selectorText(s)] : []),
  ]);
  return table(headers, rows);
}

/** Which Pods (on which node) the ready endpoints are: `pod-a@node1,pod-c@node2`, or `<none>`. */
function endpointPods(s: ServiceInfo): string {
  const ready = s.endpoints.filter((e) => e.ready);
  return ready.map((e) => `${e.pod ?? e.ip}${e.node ? `@${e.node}` : ''}`).join(',') || '<none>';
}

/** `kubectl get endpoints [-A]`: [NAMESPACE] NAME ENDPOINTS AGE; wide lists every endpoint and adds PODS and NOT-READY. */
export function endpointsTable(list: readonly ServiceInfo[], opts: ServiceListOptions): string {
  const headers = [...(opts.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'ENDPOINTS', 'AGE', ...(opts.wide ? ['PODS', 'NOT-READY'] : [])];
  const rows = sortServices(list).map((s) => {
    const notReady = s.endpoints.filter((e) => !e.ready).map((e) => e.pod ?? e.ip).join(',') || '<none>';
    return [
      ...(opts.allNamespaces ? [s.namespace ?? ''] : []), serviceName(s), endpointsText(s, opts.wide ? Infinity : 3), kubeAge(s.createdAt, opts.now),
      ...(opts.wide ? [endpointPods(s), notReady] : []),
    ];
  });
  return table(headers, rows);
}

/** The Services `name` selects (all when undefined); a name that matches none is a NOT_FOUND error listing those there are. */
export function selectServices(list: readonly ServiceInfo[], name: string | undefined): ServiceInfo[] {
  if (name === undefined) return [...list];
  const found = list.filter((s) => serviceName(s) === name || s.name === name || `${s.namespace}/${serviceName(s)}` === name);
  if (found.length) return found;
  const known = sortServices(list).map(serviceName).join(', ') || 'none';
  throw new LabError(`no Service "${name}" (Services: ${known})`, 'NOT_FOUND', 'service');
}

/** What to print when the list is empty: kubectl's sentence, and how to make one on the embedded lab. */
export function noServicesLine(onCluster: boolean, namespace: string | undefined): string {
  if (onCluster) return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
  return 'No Services in this lab yet: make one with podnet service create NAME --selector KEY=VALUE --port PORT';
}

/** Prints Services or endpoints in `format` (json: the ServiceInfo list); an empty text list says so on stderr. */
export function printServices(
  list: readonly ServiceInfo[], kind: ServiceListKind, format: 'text' | 'wide' | 'json', opts: { allNamespaces: boolean; onCluster: boolean; namespace?: string },
): void {
  const sorted = sortServices(list);
  if (format === 'json') return void console.log(JSON.stringify(sorted, null, 2));
  if (sorted.length === 0) return void console.error(noServicesLine(opts.onCluster, opts.namespace));
  const tableOpts = { wide: format === 'wide', allNamespaces: opts.allNamespaces };
  console.log(kind === 'services' ? servicesTable(sorted, tableOpts) : endpointsTable(sorted, tableOpts));
}
