/** How a topology Service that picks its Pods by name (`selector.pods`) selects them on a cluster, where selectors are labels only. */
import type { ServiceSpec } from '../../model/topology';

/** Label prefix PodNet puts on the Pods a name-selected Service picks; the key's name part is the Service's name. */
export const SERVICE_SELECTION_PREFIX = 'service.podnet.dev/';

/** The label key that stands for "picked by the Service `service`" (a DNS-1035 name fits a label key's name part). */
export function serviceSelectionKey(service: string): string {
  return `${SERVICE_SELECTION_PREFIX}${service}`;
}

/** The cluster selector of a topology Service: its labels as given, or the label PodNet sets on the Pods it names. */
export function clusterSelector(svc: Pick<ServiceSpec, 'name' | 'selector'>): Record<string, string> {
  if (svc.selector.pods) return { [serviceSelectionKey(svc.name)]: 'true' };
  return { ...svc.selector.labels };
}

/** The selection labels a Pod gets: one per Service that names it in `selector.pods`. */
export function podSelectionLabels(pod: string, services: readonly Pick<ServiceSpec, 'name' | 'selector'>[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const s of services) if (s.selector.pods?.includes(pod)) labels[serviceSelectionKey(s.name)] = 'true';
  return labels;
}
