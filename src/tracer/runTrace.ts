/** The whole trace pipeline on a live lab: snapshot, prediction, kernel cross-check, then (optionally) a verified probe. */
import type { LabProvider } from '../providers/provider';
import { collectSnapshot } from '../snapshot/collect';
import type { Snapshot } from '../snapshot/types';
import { predictTrace } from './predict';
import { namedInRequest } from './traceScope';
import { serviceEndpointIPs } from './serviceScope';
import type { PodInfo } from '../providers/embedded/control/protocol';
import type { TraceRequest, TraceResult } from './types';
import { crossCheckWithKernel } from './verify/kernelCheck';
import { TraceNotObservable, verifyTrace } from './verify/verify';

/** How long each stage took, in milliseconds. */
export interface TraceTimings {
  snapshotMs: number;
  predictMs: number;
  kernelMs: number;
  verifyMs?: number;
}

/** The Pods a trace on a cluster reads: the ones named in the request, and the endpoints of a Service it names. */
async function tracedPods(lab: LabProvider, req: TraceRequest): Promise<(pod: PodInfo) => boolean> {
  const named = namedInRequest(req);
  const endpoints = serviceEndpointIPs((await lab.status()).services ?? [], req);
  return (pod) => named(pod) || (pod.ip !== '' && endpoints.has(pod.ip));
}

/** The kernel's own route lookups for the hops not checked yet, and a warning for each it disagrees with. */
async function kernelCheck(lab: LabProvider, result: TraceResult): Promise<void> {
  const fresh = result.hops.filter((h) => !h.kernel);
  await crossCheckWithKernel(lab, result.hops, result.request.from.ip);
  for (const h of fresh) {
    if (h.kernel && !h.kernel.agrees) result.warnings.push(`hop ${h.index} (${h.where}): the kernel's own lookup (${h.kernel.argv.join(' ')}) says ${h.kernel.error ?? `dev ${h.kernel.kernel?.dev} via ${h.kernel.kernel?.gateway ?? '-'}`}`);
  }
}

/** Traces on a running lab; `verify: false` stops after the prediction and the kernel cross-check. */
export async function traceLive(
  lab: LabProvider, req: TraceRequest, opts: { verify: boolean },
): Promise<{ result: TraceResult; snapshot: Snapshot; timings: TraceTimings }> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return Math.round(ms * 10) / 10;
  };
  // A cluster may run thousands of Pods, each read through a node: a trace only needs the nodes, its two ends and, to a
  // Service, its endpoints (the path to each candidate).
  const snapshot = await collectSnapshot(lab, lab.kind === 'kube' ? { pods: await tracedPods(lab, req) } : {});
  const snapshotMs = lap();
  const result = predictTrace(snapshot, req);
  const predictMs = lap();
  await kernelCheck(lab, result);
  const kernelMs = lap();
  const timings: TraceTimings = { snapshotMs, predictMs, kernelMs };
  if (opts.verify) {
    try {
      await verifyTrace(lab, snapshot, result);
      // The probe reached another Service endpoint than predicted: the hops now lead there; ask the kernel about the new ones.
      if (result.hops.some((h) => !h.kernel)) await kernelCheck(lab, result);
    } catch (e) {
      // On a cluster a node without nft is a fact of life, not a failure: say the trace is a prediction and why.
      if (!(e instanceof TraceNotObservable) || lab.kind !== 'kube') throw e;
      result.warnings.push(`predicted only: ${e.message}`);
    }
    timings.verifyMs = lap();
  }
  return { result, snapshot, timings };
}
