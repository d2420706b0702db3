/** `serviceIpStable`: a Service still has the ClusterIP it had when the run (or lab session) started, whatever happened to its Pods. */
import { findService } from '../lookup';
import type { CheckEvaluator } from './context';
import { endpointList, noSuchService } from './serviceEndpoints';

/** Compares the Service's ClusterIP now with the one recorded in the run state at the start. */
export const serviceIpStable: CheckEvaluator<'serviceIpStable'> = async (check, { lab, state }) => {
  const before = state.initialServices?.get(check.service) ?? state.initialServices?.get(`default/${check.service}`);
  if (before === undefined) return { passed: false, message: `${check.service} was not in the lab when it started, so there is no first ClusterIP to compare with.` };
  const st = await lab.status();
  const now = findService(st, check.service);
  if (!now) return noSuchService(st, check.service);
  if (now.clusterIP !== before) return { passed: false, message: `${check.service} now has the ClusterIP ${now.clusterIP} instead of ${before}: was it deleted and created again?` };
  return { passed: true, message: `${check.service} still has ${before}, the ClusterIP it started with; its endpoints now are ${endpointList(now)}.` };
};
