/** `serviceEndpoints`: a Service's ready endpoints are exactly the listed Pods, at their current IPs. */
import type { LabStatus, ServiceInfo } from '../../providers/embedded/control/protocol';
import { findPod, findService, podLabel } from '../lookup';
import type { CheckEvaluator, CheckOutcome } from './context';

/** "pod-a 10.244.1.2, pod-c 10.244.2.2" for a Service's ready endpoints (an endpoint without a Pod by its IP alone). */
export function endpointList(svc: Pick<ServiceInfo, 'endpoints'>): string {
  const ready = svc.endpoints.filter((e) => e.ready);
  return ready.length ? ready.map((e) => (e.pod ? `${podLabel({ name: e.pod })} ${e.ip}` : e.ip)).join(', ') : 'none';
}

/** The sentence for a Service that is not in the lab right now. */
export function noSuchService(st: LabStatus, name: string): CheckOutcome {
  const names = (st.services ?? []).map((s) => s.name).join(', ') || 'none';
  return { passed: false, message: `There is no Service named ${name} in the lab right now (it has: ${names}), so this cannot be checked. Create it, then check again.` };
}

/** Compares the Service's ready endpoint IPs with the current IPs of the listed Pods. */
export const serviceEndpoints: CheckEvaluator<'serviceEndpoints'> = async (check, { lab }) => {
  const st = await lab.status();
  const svc = findService(st, check.service);
  if (!svc) return noSuchService(st, check.service);
  const missing = check.pods.filter((p) => !findPod(st, p));
  if (missing.length) return { passed: false, message: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the lab right now, so ${check.service} cannot have ${missing.length === 1 ? 'it' : 'them'} as endpoints.` };
  const want = new Map(check.pods.map((p) => [findPod(st, p)!.ip, p]));
  const have = new Set(svc.endpoints.filter((e) => e.ready).map((e) => e.ip));
  const absent = [...want].filter(([ip]) => !have.has(ip)).map(([ip, pod]) => `${pod} (${ip})`);
  const extra = [...have].filter((ip) => !want.has(ip));
  const now = `${check.service}'s endpoints are ${endpointList(svc)}`;
  if (absent.length) return { passed: false, message: `${now}: ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing. Does the Pod have the label the selector asks for, and is it running?` };
  if (extra.length) return { passed: false, message: `${now}: ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} there too, beyond ${check.pods.join(', ')}.` };
  return { passed: true, message: `${now}: exactly ${check.pods.join(' and ')}, at ${check.pods.length === 1 ? 'its' : 'their'} current IP${check.pods.length === 1 ? '' : 's'}.` };
};
