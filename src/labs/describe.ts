/** Words for UIs and the CLI: what a check looks at, and the plan of every command a pack will run, shown before anything runs. */
import { prettyCommand } from '../util/exec';
import type { LabAction, LabCheck, LabPack } from './types';

/** Where a pack's actions run: an embedded lab (`--lab NAME`) or a cluster's kubeconfig context (`--context kind-NAME`). */
export type ActionTarget = string | { context: string; kubeconfig?: string };

/** The exact argv an action runs with (before `{{ip:NAME}}` is filled): `--lab NAME` (or `--context CTX`) goes before the first `--`, or at the end. */
export function actionArgv(action: LabAction, lab: ActionTarget): string[] {
  const cut = action.run.indexOf('--');
  const at = cut < 0 ? action.run.length : cut;
  const flag = typeof lab === 'string' ? ['--lab', lab] : ['--context', lab.context, ...(lab.kubeconfig ? ['--kubeconfig', lab.kubeconfig] : [])];
  return [...action.run.slice(0, at), ...flag, ...action.run.slice(at)];
}

/** A short label for a check without a title: "trace pod-a → pod-c", "podExists web-2 on node2". */
export function describeCheck(c: LabCheck & { title?: string }): string {
  if (c.title) return c.title;
  switch (c.type) {
    case 'podIpInCidr': return `${c.pod}'s IP is inside ${c.cidr ?? "its node's Pod CIDR"}`;
    case 'uniquePodIps': return 'every Pod has its own IP';
    case 'sharedNetns': return `${c.containers[0]} and ${c.containers[1]} of ${c.pod} share a network namespace`;
    case 'trace': return `trace ${c.from} → ${c.to}${c.expect.disposition ? ` is ${c.expect.disposition}` : ''}${c.expect.service ? ` via ${c.expect.service}` : ''}${c.expect.nat ? `, NAT: ${c.expect.nat}` : ''}`;
    case 'receiverSawSender': return `${c.to} sees ${c.from}'s own IP`;
    case 'ipChangedAfterRecreate': return `${c.pod} has a new IP after it was re-created`;
    case 'actionOutput': return `the output of '${c.action}' matches /${c.matches}/`;
    case 'podExists': return `a Pod ${c.pod} exists${c.node ? ` on ${c.node}` : ''}`;
    case 'reachable': return `${c.from} ${c.expect === false ? 'cannot reach' : 'reaches'} ${c.to}`;
    case 'serviceEndpoints': return `the endpoints of ${c.service} are ${c.pods.join(', ')}`;
    case 'serviceIpStable': return `${c.service} keeps its ClusterIP`;
    case 'httpAnswer': return `an HTTP GET from ${c.from} to ${c.to}${c.port ? `:${c.port}` : ''} is ${c.expect === false ? 'not ' : ''}answered${c.sawSource ? `, seeing ${c.sawSource}` : ''}`;
  }
}

/** One command the pack will run, exactly as it will run. */
export interface PlannedAction {
  step: string;
  id: string;
  title?: string;
  argv: string[];
  /** The argv quoted for a POSIX shell, for display and copy-paste. */
  display: string;
  usesShell: boolean;
}

/** Every action of the pack in run order, with `--lab` as the runner will add it. */
export function planOf(pack: LabPack, lab: ActionTarget): PlannedAction[] {
  return pack.steps.flatMap((s) => s.actions.map((a) => {
    const argv = actionArgv(a, lab);
    return { step: s.id, id: a.id, ...(a.title ? { title: a.title } : {}), argv, display: prettyCommand(argv), usesShell: !!a.usesShell };
  }));
}
