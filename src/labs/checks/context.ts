/** What every check module gets and gives: the live lab plus the run state in, a verdict in a learner's words out. */
import type { ExecTarget, LabStatus } from '../../providers/embedded/control/protocol';
import type { LabProvider } from '../../providers/provider';
import { findNode, findPod, nodeLabel, podLabel } from '../lookup';
import type { LabRunState } from '../state';
import type { LabCheck, LabCheckType } from '../types';

/** A check's verdict: `message` is one or two sentences a learner understands, whether it passed or not. */
export interface CheckOutcome {
  passed: boolean;
  message: string;
}

/** The live lab and what the run remembers. */
export interface CheckContext {
  lab: LabProvider;
  state: LabRunState;
}

/** Evaluates one type of check. */
export type CheckEvaluator<T extends LabCheckType> = (check: Extract<LabCheck, { type: T }>, ctx: CheckContext) => Promise<CheckOutcome>;

/** A named place a command can run in, with its address. */
export interface ResolvedTarget {
  target: ExecTarget;
  ip: string;
  /** How a message names it: "pod-a", "node node1". */
  label: string;
}

/** Finds a Pod, node, the Docker-style host or one of its containers, the outside client or the router by name in the live lab. */
export function resolveTarget(st: LabStatus, name: string): ResolvedTarget | undefined {
  const pod = findPod(st, name);
  if (pod) return { target: { kind: 'pod', pod: pod.name }, ip: pod.ip, label: name };
  const node = findNode(st, name);
  if (node) return { target: { kind: 'node', node: node.name }, ip: node.ip, label: `node ${name}` };
  const host = st.dockerHost;
  if (host?.name === name) return { target: { kind: 'dockerHost' }, ip: host.ip, label: `the Docker host ${name}` };
  const c = host?.containers.find((x) => x.name === name);
  if (c) return { target: { kind: 'dockerContainer', container: name }, ip: c.ip, label: `the Docker container ${name}` };
  if (st.client?.name === name) return { target: { kind: 'client' }, ip: st.client.ip, label: `the outside client ${name}` };
  const router = st.router?.name === name ? st.router.interfaces[0] : undefined;
  if (router) return { target: { kind: 'router' }, ip: router.ip, label: `the router ${name}` };
  return undefined;
}

/** Who holds `ip` in the lab, as words ("node1's address", "pod-a's Pod IP"), or undefined. */
export function ownerOf(st: LabStatus, ip: string): string | undefined {
  const pod = st.pods.find((p) => p.ip === ip);
  if (pod) return `${podLabel(pod)}'s Pod IP`;
  const node = st.nodes.find((n) => n.ip === ip);
  if (node) return `${nodeLabel(node)}'s address`;
  if (st.dockerHost?.ip === ip) return `the Docker host's address`;
  if (st.client?.ip === ip) return `the outside client's address`;
  const gateway = st.nodes.find((n) => n.bridgeIP !== '' && n.bridgeIP === ip);
  if (gateway) return `${nodeLabel(gateway)}'s bridge address (its Pods' gateway)`;
  return undefined;
}

/** The sentence for a Pod that is not in the lab right now. */
export function noSuchPod(st: LabStatus, pod: string): CheckOutcome {
  const names = st.pods.map(podLabel).join(', ') || 'none';
  return { passed: false, message: `There is no Pod named ${pod} in the lab right now (it has: ${names}), so this cannot be checked. Create it, then check again.` };
}
