/** The article's claims as facts observed on a running lab, each with a pass/fail mark and its evidence. */
import { cidrContains } from '../model/cidr';
import type { PodInfo } from '../providers/embedded/control/protocol';
import type { LabProvider } from '../providers/provider';
import { answeredBy, podLabel } from '../labs/lookup';
import { execFirst } from './execFirst';
import { httpGet, kernelAddresses, whoSawWhat } from './httpProbe';

const WORKLOADS = ['web', 'sidecar', 'sleep'];

/** One observed fact. */
export interface Fact {
  id: string;
  title: string;
  passed: boolean;
  evidence: string[];
}

type FactCheck = (lab: LabProvider) => Promise<Omit<Fact, 'id' | 'title'>>;

/** Every Pod's eth0 holds one IP, inside its node's Pod CIDR, and no two Pods share one. */
const ownIp: FactCheck = async (lab) => {
  const st = await lab.status();
  const evidence: string[] = [];
  let passed = st.pods.length > 0;
  const seen = new Map<string, string>();
  for (const pod of st.pods) {
    const node = st.nodes.find((n) => n.name === pod.node);
    const addrs = await kernelAddresses(lab, { kind: 'pod', pod: pod.name });
    const ip = addrs[0];
    const inCidr = !!node && !!ip && cidrContains(node.podCIDR, ip);
    const dup = ip ? seen.get(ip) : undefined;
    if (ip) seen.set(ip, pod.name);
    passed &&= addrs.length === 1 && inCidr && !dup && ip !== node?.ip;
    evidence.push(`${pod.name}: eth0 has ${addrs.join(', ') || 'no address'}${node ? `, ${inCidr ? 'inside' : 'OUTSIDE'} ${node.name}'s ${node.podCIDR}` : ''}${dup ? `, SAME as ${dup}` : ''}`);
  }
  return { passed, evidence };
};

/**
 * On a cluster the container processes are out of PodNet's sight: the two containers' ports both listen in the one
 * network namespace PodNet enters for the Pod, and a request to 127.0.0.1 there reaches the web container.
 */
async function sharedOnCluster(lab: LabProvider, pod: PodInfo): Promise<Omit<Fact, 'id' | 'title'>> {
  const [first, second] = pod.containers;
  const ss = await execFirst(lab, { kind: 'pod', pod: pod.name }, [['ss', '-ltnH'], ['busybox', 'netstat', '-ltn']]);
  const open = new Set([...ss.stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
  const both = first.port !== undefined && second.port !== undefined && open.has(first.port) && open.has(second.port);
  const answer = await whoSawWhat(lab, { kind: 'pod', pod: pod.name }, '127.0.0.1', first.port ?? 8080);
  return {
    passed: ss.code === 0 && both && answeredBy(pod, answer.pod) && answer.sawSource === '127.0.0.1',
    evidence: [
      `${first.name} listens on ${first.port ?? 'no port'} and ${second.name} on ${second.port ?? 'no port'}; listening in ${pod.name}'s one network namespace: ${[...open].sort((a, b) => a - b).join(', ') || 'nothing'}`,
      `in ${pod.name}'s namespace -> http://127.0.0.1:${first.port ?? 8080}/ answered by ${answer.pod || 'the web container'}, which saw ${answer.sawSource}: localhost is shared`,
    ],
  };
}

/** Pod A's two containers are one network namespace: same netns inode, same IP, and they talk over localhost. */
const sharedNamespace: FactCheck = async (lab) => {
  const st = await lab.status();
  const pod = st.pods.find((p) => p.containers.length >= 2);
  if (!pod) return { passed: false, evidence: ['no Pod with two containers in this lab'] };
  if (st.cluster) return sharedOnCluster(lab, pod);
  const [first, second] = pod.containers;
  const links = await lab.exec({ kind: 'wire' }, ['readlink', `/proc/${first.pid}/ns/net`, `/proc/${second.pid}/ns/net`]);
  const [nsA, nsB] = links.stdout.trim().split('\n');
  const ipA = (await kernelAddresses(lab, { kind: 'pod', pod: pod.name, container: first.name }))[0];
  const ipB = (await kernelAddresses(lab, { kind: 'pod', pod: pod.name, container: second.name }))[0];
  const answer = await httpGet(lab, { kind: 'pod', pod: pod.name, container: second.name }, '127.0.0.1', first.port ?? 8080);
  const passed = links.code === 0 && !!nsA && nsA === nsB && !!ipA && ipA === ipB && answer.container === first.name && answer.pod === pod.name;
  return {
    passed,
    evidence: [
      `${pod.name}/${first.name} (PID ${first.pid}) is in ${nsA}; ${pod.name}/${second.name} (PID ${second.pid}) is in ${nsB}`,
      `eth0 seen from ${first.name}: ${ipA}; from ${second.name}: ${ipB}`,
      `${second.name} -> http://127.0.0.1:${first.port ?? 8080}/ answered by container "${answer.container}" of ${answer.pod}`,
    ],
  };
};

/** Every Pod serves on port 8080 at once without a conflict: each answers on its own IP. */
const samePort: FactCheck = async (lab) => {
  const st = await lab.status();
  // A node that runs Pods (a worker, not a kind control plane).
  const node = st.nodes.find((n) => n.name === st.pods[0]?.node) ?? st.nodes[0];
  const evidence: string[] = [];
  let passed = st.pods.length > 1;
  for (const pod of st.pods) {
    const web = pod.containers.find((c) => c.port === 8080);
    if (!web) continue;
    const answer = await whoSawWhat(lab, { kind: 'node', node: node.name }, pod.ip, 8080);
    passed &&= answeredBy(pod, answer.pod);
    evidence.push(`${pod.ip}:8080 answered "${answer.pod}"`);
  }
  return { passed: passed && evidence.length > 1, evidence };
};

function crossNodePair(pods: PodInfo[]): [PodInfo, PodInfo] | undefined {
  for (const a of pods) for (const c of pods) if (a.node !== c.node) return [a, c];
  return undefined;
}

/** A Pod reaches a Pod on another node, and the receiver sees the sender's own Pod IP: no NAT. */
const noNat: FactCheck = async (lab) => {
  const pair = crossNodePair((await lab.status()).pods);
  if (!pair) return { passed: false, evidence: ['this lab has no two Pods on different nodes'] };
  const [a, c] = pair;
  const answer = await whoSawWhat(lab, { kind: 'pod', pod: a.name }, c.ip);
  return {
    passed: answeredBy(c, answer.pod) && answer.sawSource === a.ip,
    evidence: [`${a.name} (${a.ip}, ${a.node}) -> ${c.name} (${c.ip}, ${c.node}): ${c.name} saw the request come from ${answer.sawSource}${answer.sawSource === a.ip ? ", the sender's own Pod IP" : ', NOT the sender\'s Pod IP'}`],
  };
};

/** A node reaches a Pod on another node directly, and the Pod sees the node's own IP. */
const nodeToPod: FactCheck = async (lab) => {
  const st = await lab.status();
  // A node that runs Pods (a worker, not a kind control plane), reaching a Pod on another node.
  const node = st.nodes.find((n) => n.name === st.pods[0]?.node) ?? st.nodes[0];
  const target = st.pods.find((p) => p.node !== node.name) ?? st.pods[0];
  if (!target) return { passed: false, evidence: ['no Pod to reach'] };
  const answer = await whoSawWhat(lab, { kind: 'node', node: node.name }, target.ip);
  return {
    passed: answeredBy(target, answer.pod) && answer.sawSource === node.ip,
    evidence: [`${node.name} (${node.ip}) -> ${target.name} (${target.ip}): the Pod saw ${answer.sawSource}`],
  };
};

/** Deleting and re-creating a Pod gives it a new IP: Pod IPs are not permanent. */
const ephemeralIp: FactCheck = async (lab) => {
  const st = await lab.status();
  const pod = [...st.pods].reverse().find((p) => p.containers.length === 1);
  if (!pod) return { passed: false, evidence: ['no single-container Pod to re-create'] };
  await lab.deletePod(pod.name);
  // On a cluster `workload` is the image: a container with a port serves HTTP (agnhost netexec) like the web workload.
  const workload = (c: PodInfo['containers'][number]) => (WORKLOADS.includes(c.workload) ? c.workload : c.port !== undefined ? 'web' : 'sleep') as 'web';
  const again = await lab.addPod({
    name: podLabel(pod), node: pod.node, containers: pod.containers.map((c) => ({ name: c.name, workload: workload(c), port: c.port })),
  });
  const answer = await whoSawWhat(lab, { kind: 'node', node: pod.node }, again.ip);
  return {
    passed: again.ip !== pod.ip && answeredBy(pod, answer.pod),
    evidence: [`${pod.name} had ${pod.ip}; deleted and created again on ${pod.node}, it has ${again.ip} and answers there`],
  };
};

/** The facts `podnet demo` checks, in the article's order. */
export const DEMO_FACTS: { id: string; title: string; check: FactCheck }[] = [
  { id: 'own-ip', title: "Every Pod has its own IP, inside its node's Pod CIDR", check: ownIp },
  { id: 'shared-netns', title: 'The containers of one Pod share its IP and reach each other on localhost', check: sharedNamespace },
  { id: 'same-port', title: 'Every Pod listens on 8080 at the same time, without a port conflict', check: samePort },
  { id: 'no-nat', title: "A Pod reaches a Pod on another node, which sees the sender's own IP (no NAT)", check: noNat },
  { id: 'node-to-pod', title: 'A node reaches a Pod on another node without NAT', check: nodeToPod },
  { id: 'ephemeral-ip', title: 'A deleted and re-created Pod gets a new IP', check: ephemeralIp },
];

/** Checks every fact in order; a fact that throws is failed with the error as its evidence. */
export async function observeFacts(lab: LabProvider, onFact?: (f: Fact) => void): Promise<Fact[]> {
  const facts: Fact[] = [];
  for (const { id, title, check } of DEMO_FACTS) {
    let fact: Fact;
    try {
      fact = { id, title, ...(await check(lab)) };
    } catch (e) {
      fact = { id, title, passed: false, evidence: [`could not observe: ${(e as Error).message}`] };
    }
    facts.push(fact);
    onFact?.(fact);
  }
  return facts;
}
