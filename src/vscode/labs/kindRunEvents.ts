/** A lab run's events (src/labs/runner.ts RunEvent) as the lab panel's messages, so a run on kind shows the same live marks as the panel's own checks. */
import type { LabRunResult, RunEvent } from '../../labs/runner';
import type { HostToLabPanel } from '../../webview/labs/protocol';

/** The panel messages for one run event: a step's checks start, an action's exit code, a step's results. */
export function kindRunMessages(e: RunEvent): HostToLabPanel[] {
  switch (e.kind) {
    case 'step':
      return [{ type: 'checking', step: e.step.id }];
    case 'action':
      return [{ type: 'actionDone', step: e.step, action: e.result.id, code: e.result.code }];
    case 'step-done':
      return [{ type: 'checks', step: e.result.id, stepPassed: e.result.passed, results: e.result.checks.map((c, index) => ({ index, passed: c.passed, message: c.message })) }];
    default:
      return [];
  }
}

/** The progress line for a run event, or undefined for events that need none. */
export function kindRunProgress(e: RunEvent, cluster: string): string | undefined {
  switch (e.kind) {
    case 'lab-up':
      return `kind-${cluster}: ${e.nodes} nodes, ${e.pods} Pods ready`;
    case 'step':
      return `step ${e.index + 1} of ${e.total}: ${e.step.title}`;
    case 'action-start':
      return `${e.step}: ${e.argv.join(' ')}`;
    case 'teardown':
      return e.kept ? 'keeping the pack\'s Pods' : 'deleting the pack\'s Pods';
    default:
      return undefined;
  }
}

/** The run's result in one sentence: passed, which steps failed, or why it stopped. */
export function kindRunSentence(r: LabRunResult, cluster: string): string {
  const passed = r.steps.filter((s) => s.passed).length;
  const where = `on the kind cluster "${cluster}"`;
  if (r.passed) return `"${r.pack.title}" passed ${where}: ${passed} of ${r.steps.length} steps, every check passed.`;
  const failed = r.steps.filter((s) => !s.passed).map((s) => `${s.title} (${s.checks.filter((c) => !c.passed).map((c) => c.message).join('; ') || 'an action failed'})`);
  const stopped = r.error ? ` ${r.error.charAt(0).toUpperCase()}${r.error.slice(1).replace(/\.$/, '')}.` : '';
  return `"${r.pack.title}" did not pass ${where}: ${passed} of ${r.steps.length} steps passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}.${stopped}`;
}
