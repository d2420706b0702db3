/** `uniquePodIps`: no two Pods hold the same address on their eth0, as the kernel shows it. */
import { kernelAddresses } from '../../demo/httpProbe';
import { podLabel } from '../lookup';
import type { CheckEvaluator } from './context';

/** Reads every Pod's eth0 addresses from the kernel and looks for one held twice. */
export const uniquePodIps: CheckEvaluator<'uniquePodIps'> = async (_check, { lab }) => {
  const st = await lab.status();
  const holders = new Map<string, string[]>();
  const missing: string[] = [];
  const first: string[] = [];
  for (const pod of st.pods) {
    const addrs = await kernelAddresses(lab, { kind: 'pod', pod: pod.name });
    if (addrs.length === 0) missing.push(podLabel(pod));
    else first.push(`${podLabel(pod)} ${addrs[0]}`);
    for (const ip of addrs) holders.set(ip, [...(holders.get(ip) ?? []), podLabel(pod)]);
  }
  const shared = [...holders].filter(([, pods]) => pods.length > 1);
  if (shared.length > 0) {
    const [ip, pods] = shared[0];
    const who = `${pods.slice(0, -1).join(', ')} and ${pods[pods.length - 1]} ${pods.length === 2 ? 'both' : 'all'} have`;
    return { passed: false, message: `${who} ${ip}: a packet to ${ip} cannot tell which Pod it is for, so every Pod needs its own address.` };
  }
  if (missing.length > 0) return { passed: false, message: `${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no IPv4 address on eth0, so not every Pod has its own IP.` };
  if (st.pods.length === 0) return { passed: false, message: 'The lab has no Pods right now, so there are no IPs to compare.' };
  if (st.pods.length === 1) return { passed: true, message: `The only Pod, ${podLabel(st.pods[0])}, has an IP of its own: ${first[0].split(' ')[1]}.` };
  return { passed: true, message: `All ${st.pods.length} Pods have an IP of their own: ${first.join(', ')}.` };
};
