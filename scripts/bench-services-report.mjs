// The `services` section's part of the bench report (scripts/bench.mjs): kube-proxy's rule update after a Pod change on a
// 100-Service lab against a raw `nft -f` of the same delta, and Pod -> Service predictions on kube-proxy's real nft JSON.
import { fmt, fmtMs, table } from './bench-lib.mjs';

/** The services section's lines of the report; `runs` is the prediction count asked for (when the result does not say). */
export function servicesReport(sv, runs) {
  const u = sv.updates;
  return [
    `Services: ${u.case} (${u.lab.pods} Pods, lab built in ${fmt(u.lab.buildSeconds)}${u.lab.rootless ? ', rootless' : ''})`,
    table([
      ['', 'median', 'max'],
      ['rule update on every node after the re-created Pod is Running', fmtMs(u.ruleUpdateAfterPodRunningMs.median), fmtMs(u.ruleUpdateAfterPodRunningMs.max)],
      ['rule update when the Pod starts terminating', fmtMs(u.ruleUpdateOnPodTerminatingMs.median), fmtMs(u.ruleUpdateOnPodTerminatingMs.max)],
      ['raw: one `nft -f` of the same delta, one node', fmtMs(u.rawNftDeltaOneNodeMs.median), fmtMs(u.rawNftDeltaOneNodeMs.max)],
      ['raw: the same delta on 3 nodes at once', fmtMs(u.rawNftDeltaThreeNodesAtOnceMs.median), fmtMs(u.rawNftDeltaThreeNodesAtOnceMs.max)],
      [`predictTrace Pod -> Service (${sv.predict.ms.count ?? runs} runs)`, fmtMs(sv.predict.ms.median, 3), fmtMs(sv.predict.ms.max, 3)],
    ]),
    '',
  ];
}

/** The services section's target rows: the rule update (≤ 100 ms) and prediction (≤ 5 ms) medians. */
export function servicesTargets(sv, targets) {
  const update = sv?.updates.ruleUpdateAfterPodRunningMs.median;
  const predict = sv?.predict.ms.median;
  return [
    ['100 Services: rule update after a Pod change, median', `≤ ${targets.serviceRuleUpdateMs} ms`, fmtMs(update), sv && update <= targets.serviceRuleUpdateMs],
    ['100 Services: predictTrace Pod -> Service median', `≤ ${targets.servicePredictMs} ms`, fmtMs(predict, 3), sv && predict <= targets.servicePredictMs],
  ];
}
