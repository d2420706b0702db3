/** `ipChangedAfterRecreate`: a Pod has a different IP than it had when the run (or lab session) started: Pod IPs are not permanent. */
import { findPod } from '../lookup';
import type { CheckEvaluator } from './context';

/** Compares the Pod's IP now with the one recorded in the run state at the start. */
export const ipChangedAfterRecreate: CheckEvaluator<'ipChangedAfterRecreate'> = async (check, { lab, state }) => {
  const before = findPod({ pods: [...state.initialPods].map(([name, p]) => ({ ...p, name })) }, check.pod);
  if (!before) return { passed: false, message: `${check.pod} was not in the lab when it started, so there is no first IP to compare with.` };
  const now = findPod(await lab.status(), check.pod);
  if (!now) return { passed: false, message: `${check.pod} does not exist right now: create it again with \`podnet pod create ${check.pod} --node ${before.node}\`, then check again.` };
  if (now.ip !== before.ip) return { passed: true, message: `${check.pod} now has ${now.ip} instead of ${before.ip}: its IP changed.` };
  if (now.createdAt === before.createdAt) return { passed: false, message: `${check.pod} still has ${before.ip} — delete the Pod and create it again, then check again.` };
  return { passed: false, message: `${check.pod} was created again but got ${before.ip} back, the same IP as before; delete and create it once more, then check again.` };
};
