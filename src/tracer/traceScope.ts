/** Which Pods a live trace needs to read: on a cluster, only the two ends (every node is always read), not every Pod. */
import type { PodInfo } from '../providers/embedded/control/protocol';
import type { TraceRequest } from './types';

/** True for a Pod the user named as FROM or TO: `NS/NAME`, a bare `NAME` in any namespace, or its IP (with or without :PORT). */
export function namedInRequest(req: Pick<TraceRequest, 'from' | 'to'>): (pod: PodInfo) => boolean {
  const ends = [req.from, req.to];
  const ips = new Set(ends.map((e) => e.split(':')[0]));
  return (pod) => ends.some((e) => pod.name === e || pod.name.endsWith(`/${e}`)) || (pod.ip !== '' && ips.has(pod.ip));
}
