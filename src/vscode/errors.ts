/** Shows engine errors in VS Code as one clear message with the action that fixes them (never a stack trace). */
import * as vscode from 'vscode';
import { SpecError } from '../model/topology';
import { LabError } from '../providers/embedded/control/labError';
import { PreflightError } from '../providers/embedded/preflight';
import { KubeAccessError } from '../providers/kube/kubeAccessError';

/** Shows a cluster access error with the action that helps: pick another context, or open the kubeconfig setting. */
async function showKubeError(what: string, e: KubeAccessError): Promise<void> {
  const actions = e.code === 'NO_KUBECONFIG' ? ['Open Settings'] : ['UNKNOWN_CONTEXT', 'UNREACHABLE', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'].includes(e.code) ? ['Select Another Context'] : [];
  const pick = await vscode.window.showErrorMessage(`${what}: ${e.message}`, ...actions);
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'podnet.kubeconfig');
  if (pick === 'Select Another Context') await vscode.commands.executeCommand('podnet.connectCluster');
}

/** Shows `e` as an error notification; buttons run the fix (copy a command, open the file, stop the lab...). */
export async function showError(what: string, e: unknown): Promise<void> {
  if (e instanceof KubeAccessError) return showKubeError(what, e);
  if (e instanceof PreflightError) {
    const fixes = e.problems.map((p) => p.fix);
    const pick = await vscode.window.showErrorMessage(`${what}: ${e.problems.map((p) => p.message).join(' ')}`, { modal: false, detail: fixes.join('\n') }, 'Copy Fix', 'Open Settings');
    if (pick === 'Copy Fix') await vscode.env.clipboard.writeText(fixes.join('\n'));
    if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'podnet');
    return;
  }
  if (e instanceof SpecError) {
    const pick = await vscode.window.showErrorMessage(`${what}: ${e.format()}`, ...(e.location.file && !e.location.file.startsWith('<') ? ['Open Topology File'] : []));
    if (pick && e.location.file) {
      const doc = await vscode.workspace.openTextDocument(e.location.file);
      const line = Math.max(0, (e.location.line ?? 1) - 1);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, Math.max(0, (e.location.column ?? 1) - 1), line, 200) });
    }
    return;
  }
  if (e instanceof LabError && e.code === 'CONFLICT' && e.field === 'lab') {
    const pick = await vscode.window.showErrorMessage(`${what}: ${e.message}`, 'Stop Lab');
    if (pick) await vscode.commands.executeCommand('podnet.stopLab');
    return;
  }
  if (e instanceof LabError && e.code === 'NOT_FOUND' && e.field === 'lab') {
    const pick = await vscode.window.showErrorMessage(`${what}: ${e.message}`, 'Start Lab', 'Open Snapshot...');
    if (pick === 'Start Lab') await vscode.commands.executeCommand('podnet.startLab');
    if (pick === 'Open Snapshot...') await vscode.commands.executeCommand('podnet.openSnapshot');
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  await vscode.window.showErrorMessage(`${what}: ${message}`);
}

/** Runs `fn`, showing any error with {@link showError}; resolves undefined on error. */
export async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    await showError(what, e);
    return undefined;
  }
}

/** True when the workspace is trusted; otherwise says why the action is blocked and offers to manage trust. */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const pick = await vscode.window.showWarningMessage(`${action} runs programs on this machine, which needs a trusted workspace. Snapshots can still be opened in Restricted Mode.`, 'Manage Workspace Trust');
  if (pick) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
