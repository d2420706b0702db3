/** `podIpInCidr`: the address the kernel shows on a Pod's eth0 lies in a CIDR (default: its node's podCIDR). */
import { cidrContains } from '../../model/cidr';
import { kernelAddresses } from '../../demo/httpProbe';
import { findNode, findPod, podLabel } from '../lookup';
import { type CheckEvaluator, noSuchPod } from './context';

/** Reads the Pod's eth0 address from the kernel and tests it against the CIDR. */
export const podIpInCidr: CheckEvaluator<'podIpInCidr'> = async (check, { lab }) => {
  const st = await lab.status();
  const pod = findPod(st, check.pod);
  if (!pod) return noSuchPod(st, check.pod);
  const node = findNode(st, pod.node);
  const cidr = check.cidr ?? node?.podCIDR;
  if (!cidr) return { passed: false, message: `${podLabel(pod)} runs on ${pod.node}, which the lab does not know, so there is no Pod CIDR to compare with.` };
  const range = check.cidr ? cidr : `${pod.node}'s Pod CIDR ${cidr}`;
  const addrs = await kernelAddresses(lab, { kind: 'pod', pod: pod.name });
  if (addrs.length === 0) return { passed: false, message: `${podLabel(pod)}'s eth0 has no IPv4 address at all, so it cannot be inside ${range}.` };
  const inside = addrs.filter((ip) => cidrContains(cidr, ip));
  if (inside.length > 0) return { passed: true, message: `${podLabel(pod)} has ${inside[0]}, inside ${range}.` };
  return { passed: false, message: `${podLabel(pod)} has ${addrs.join(', ')}, which is outside ${range}.` };
};
