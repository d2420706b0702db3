/** On a cluster, which Pods a trace to a Service needs besides its two ends: the Service's endpoints (every candidate's path). */
import type { ServiceInfo } from '../providers/embedded/control/protocol';
import type { TraceRequest } from './types';

const PREFIX = /^(?:svc|service|services)\//;

/** True when `to` (as typed) names this Service: NAME, NAMESPACE/NAME, svc/..., its ClusterIP, or ANY:NODEPORT. */
function names(svc: ServiceInfo, to: string): boolean {
  const text = to.replace(PREFIX, '');
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  const port = colon < 0 ? undefined : Number(text.slice(colon + 1));
  if (host === svc.name || host === `${svc.namespace}/${svc.name}` || (svc.clusterIP !== '' && host === svc.clusterIP)) return true;
  return port !== undefined && svc.ports.some((p) => p.nodePort === port);
}

/** The endpoint addresses of every Service the request's TO may name (empty when it names none). */
export function serviceEndpointIPs(services: readonly ServiceInfo[], req: Pick<TraceRequest, 'to'>): Set<string> {
  return new Set(services.filter((s) => names(s, req.to)).flatMap((s) => s.endpoints.map((e) => e.ip)));
}
