/** What a lab run (or a learner's lab session) remembers: each Pod's IP when it started, and the output of every action run so far. */
import type { LabStatus } from '../providers/embedded/control/protocol';

/** The output of one action, as the learner saw it. */
export interface ActionOutput {
  /** The argv that ran (with --lab). */
  argv: string[];
  title?: string;
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A Pod as it was when the run started. */
export interface InitialPod {
  ip: string;
  node: string;
  createdAt: string;
}

/** State the checks read: `ipChangedAfterRecreate` compares with `initialPods`, `serviceIpStable` with `initialServices`, `actionOutput` reads `outputs`. */
export interface LabRunState {
  initialPods: Map<string, InitialPod>;
  /** Each Service's ClusterIP when the run started (absent in states made before Services existed). */
  initialServices?: Map<string, string>;
  outputs: Map<string, ActionOutput>;
}

/** A fresh state from the lab's status at the start of a run or session. */
export function createRunState(status: LabStatus): LabRunState {
  return {
    initialPods: new Map(status.pods.map((p) => [p.name, { ip: p.ip, node: p.node, createdAt: p.createdAt }])),
    initialServices: new Map((status.services ?? []).map((s) => [s.namespace ? `${s.namespace}/${s.name}` : s.name, s.clusterIP])),
    outputs: new Map(),
  };
}

/** Records (or replaces) the output of the action `id`. */
export function recordActionOutput(state: LabRunState, id: string, output: ActionOutput): void {
  state.outputs.set(id, output);
}
