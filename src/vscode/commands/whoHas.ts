/** Answers "who has this IP?" from a lab's status: a Pod, a node, a bridge, a gateway, a NAT host, or nobody. */
import { cidrContains } from '../../model/cidr';
import type { LabStatus } from '../../providers/embedded/control/protocol';

/** Who holds `ip` in the lab, as a sentence, plus the Pod or node to reveal when there is one. */
export function whoHas(st: LabStatus, ip: string): { answer: string; pod?: string; node?: string } {
  const pod = st.pods.find((p) => p.ip === ip);
  if (pod) return { answer: `${ip} is Pod ${pod.name} on ${pod.node} (eth0 inside the Pod).`, pod: pod.name };
  const node = st.nodes.find((n) => n.ip === ip);
  if (node) return { answer: `${ip} is node ${node.name} (eth0 on the physical network).`, node: node.name };
  const bridge = st.nodes.find((n) => n.bridgeIP === ip);
  if (bridge) return { answer: `${ip} is ${bridge.bridge || 'the veth gateway address'} on ${bridge.name}: the default gateway of that node's Pods.`, node: bridge.name };
  const h = st.dockerHost;
  if (h?.ip === ip) return { answer: `${ip} is the Docker-style host ${h.name}: its containers reach the network behind this one address (NAT).` };
  if (h?.bridgeIP === ip) return { answer: `${ip} is ${h.bridge} on ${h.name}: the gateway of its containers.` };
  const ctr = h?.containers.find((c) => c.ip === ip);
  if (ctr) return { answer: `${ip} is container ${ctr.name} behind ${h!.name}'s NAT: only ${h!.name} can reach it directly${ctr.publish ? `; others use ${h!.ip}:${ctr.publish}` : ''}.` };
  const owner = st.nodes.find((n) => cidrContains(n.podCIDR, ip));
  if (owner) return { answer: `${ip} is not in this lab. It lies in ${owner.name}'s Pod CIDR ${owner.podCIDR}, but no Pod has it now (Pod IPs come and go).`, node: owner.name };
  return { answer: `${ip} is not in this lab (Pod CIDR ${st.topology.clusterCIDR}, nodes on ${st.topology.network.cidr}).` };
}
