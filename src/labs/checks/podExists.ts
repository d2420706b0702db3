/** `podExists`: a Pod (often one the learner must create) exists, runs, and is on the right node. */
import { findNode, findPod } from '../lookup';
import type { CheckEvaluator } from './context';

/** Looks the Pod up in the live lab. */
export const podExists: CheckEvaluator<'podExists'> = async (check, { lab }) => {
  const st = await lab.status();
  const pod = findPod(st, check.pod);
  const where = check.node ? ` --node ${check.node}` : ' --node NODE';
  if (!pod) return { passed: false, message: `There is no Pod named ${check.pod} yet: create it with \`podnet pod create ${check.pod}${where}\`, then check again.` };
  if (check.node && pod.node !== check.node && findNode(st, check.node)?.name !== pod.node) return { passed: false, message: `${check.pod} exists but runs on ${pod.node}, not ${check.node}: delete it and create it on ${check.node}.` };
  if (pod.status !== 'Running') return { passed: false, message: `${check.pod} exists on ${pod.node} but is ${pod.status}, not Running; wait a moment, or delete it and create it again.` };
  return { passed: true, message: `${check.pod} exists on ${pod.node} with IP ${pod.ip} and is Running.` };
};
