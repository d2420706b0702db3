/**
 * The one typed message protocol between the extension host and the lab panel webview.
 * Imported by both sides; plain data only (no vscode, no Node modules).
 */

/** A lab pack in the list. */
export interface LabListItem {
  id: string;
  title: string;
  minutes: number;
  description?: string;
  source: 'built-in' | 'workspace';
  /** Steps passed so far / all steps (saved progress). */
  passed: number;
  steps: number;
}

/** A pack that could not be read (shown in the list with its first error). */
export interface LabListProblem {
  path: string;
  message: string;
}

/** One action as the learner sees it before running it: the exact argv. */
export interface ActionView {
  id: string;
  title: string;
  /** The argv that will run (placeholders like {{ip:pod-c}} still unfilled). */
  argv: string[];
  /** True when the action starts a shell (sh -c ...): the panel says so prominently. */
  usesShell: boolean;
}

/** One check as listed under a step. */
export interface CheckView {
  index: number;
  title: string;
  type: string;
}

/** One step: its page already rendered from Markdown to safe HTML by the host. */
export interface StepView {
  id: string;
  title: string;
  /** HTML from the step's Markdown with raw HTML disabled (escaped) and only http(s) links. */
  html: string;
  actions: ActionView[];
  checks: CheckView[];
  hints: string[];
}

/** The open lab. */
export interface LabView {
  id: string;
  title: string;
  minutes: number;
  steps: StepView[];
  /** Why the pack cannot run on a kind cluster (shown instead of "Run on kind"); undefined when it can. */
  kindIncompatible?: string;
}

/** Result of one check. */
export interface CheckResultView {
  index: number;
  passed: boolean;
  message: string;
}

/** Where the open lab's sandbox is. */
export type LabRunStateView = 'stopped' | 'starting' | 'running' | 'stopping';

/** A run of the whole pack on a kind cluster: running (the button is busy), or finished with its result sentence. */
export interface KindRunView {
  state: 'running' | 'finished';
  /** The kind cluster's name. */
  cluster: string;
  message?: string;
  passed?: boolean;
}

/** Messages the host sends to the panel. */
export type HostToLabPanel =
  | { type: 'list'; labs: LabListItem[]; problems: LabListProblem[]; trusted: boolean }
  | { type: 'open'; lab: LabView; step: string; passedSteps: string[] }
  | { type: 'labState'; state: LabRunStateView; message?: string }
  | { type: 'checking'; step: string }
  | { type: 'checks'; step: string; results: CheckResultView[]; stepPassed: boolean }
  | { type: 'actionDone'; step: string; action: string; code: number }
  | ({ type: 'kindRun' } & KindRunView);

/** Messages the panel sends to the host. */
export type LabPanelToHost =
  | { type: 'ready' }
  | { type: 'openLab'; id: string }
  | { type: 'backToList' }
  | { type: 'startLab' }
  | { type: 'stopLab' }
  | { type: 'resetLab' }
  | { type: 'gotoStep'; step: string }
  | { type: 'runAction'; step: string; action: string }
  | { type: 'checkStep'; step: string }
  | { type: 'openDiagram' }
  | { type: 'runOnKind' };

/** What the panel keeps with setState to survive being hidden. */
export interface LabPanelState {
  view: 'list' | 'lab';
  labId?: string;
}

const HOST_TYPES = new Set(['list', 'open', 'labState', 'checking', 'checks', 'actionDone', 'kindRun']);
const PANEL_TYPES = new Set(['ready', 'openLab', 'backToList', 'startLab', 'stopLab', 'resetLab', 'gotoStep', 'runAction', 'checkStep', 'openDiagram', 'runOnKind']);

/** Type guard for messages arriving in the panel. */
export function isHostToLabPanel(m: unknown): m is HostToLabPanel {
  return HOST_TYPES.has((m as { type?: string } | null)?.type ?? '');
}

/** Type guard for messages arriving in the host. */
export function isLabPanelToHost(m: unknown): m is LabPanelToHost {
  return PANEL_TYPES.has((m as { type?: string } | null)?.type ?? '');
}
