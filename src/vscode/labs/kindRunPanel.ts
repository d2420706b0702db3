/** "Run on kind" in the lab panel: pick a kind cluster (or create one), run the pack's steps there with H9's kind runner, report each step live. */
import * as vscode from 'vscode';
import { kindClusterOf } from '../../providers/kind/kindContext';
import { kubeconfigSetting } from '../settings';
import type { LabPack } from '../../labs/types';
import type { HostToLabPanel } from '../../webview/labs/protocol';
import { loadKind } from '../cluster/kubeModules';
import type { LabSession } from '../labSession';
import { kindClusters } from '../kind/kindCommands';
import { clusterPickItems } from '../kind/kindPicks';
import { kindRunMessages, kindRunProgress, kindRunSentence } from './kindRunEvents';

/** What the run needs from the panel. */
export interface KindRunHost {
  session: LabSession;
  cliEntry: string;
  post(m: HostToLabPanel): void;
  /** Records a step passed (saved progress). */
  markPassed(step: string): Promise<void>;
  log: vscode.OutputChannel;
}

/** An existing kind cluster, or one created now; undefined when the learner cancelled. */
async function pickCluster(session: LabSession, pack: LabPack): Promise<string | undefined> {
  const clusters = await kindClusters();
  const create = { label: '$(add) Create a kind cluster…', description: 'PodNet: Create kind Cluster...', name: '' };
  const picked = clusters.length
    ? await vscode.window.showQuickPick([...clusterPickItems(clusters, session.clusterLink?.provider.source.context), create], { title: `Run "${pack.title}" on kind`, placeHolder: 'A kind cluster made by PodNet: Create kind Cluster (one worker per topology node)' })
    : await vscode.window.showInformationMessage(`No kind cluster exists yet: create one to run "${pack.title}" on it.`, 'Create kind Cluster...').then((b) => (b ? create : undefined));
  if (!picked) return undefined;
  if (picked.name) return picked.name;
  const ctx = await vscode.commands.executeCommand<string | undefined>('podnet.createKindCluster');
  return ctx === undefined ? undefined : (kindClusterOf(ctx) ?? ctx);
}

/** Runs `pack` on a kind cluster the learner picks; the panel shows each step's marks as they come and the result sentence at the end. */
export async function runPackOnKind(pack: LabPack, host: KindRunHost): Promise<void> {
  const cluster = await pickCluster(host.session, pack);
  if (!cluster) return;
  const { runLabPackOnKind } = await loadKind();
  host.post({ type: 'kindRun', state: 'running', cluster });
  host.log.appendLine(`--- ${new Date().toISOString()} running "${pack.id}" on the kind cluster "${cluster}"`);
  let sentence = `"${pack.title}" could not run on the kind cluster "${cluster}".`;
  let passed = false;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Running "${pack.title}" on kind-${cluster}`, cancellable: true }, (progress, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort(new Error('stopped from VS Code')));
      return runLabPackOnKind(pack, {
        kind: cluster, cliEntry: host.cliEntry, signal: ctl.signal, ...(kubeconfigSetting() ? { kubeconfig: kubeconfigSetting() } : {}),
        onEvent: (e) => {
          const line = kindRunProgress(e, cluster);
          if (line) {
            host.log.appendLine(line);
            progress.report({ message: line });
          }
          if (e.kind === 'action') host.log.append(`${e.result.stdout}${e.result.stderr}`.replace(/\n?$/, '\n'));
          if (e.kind === 'check') host.log.appendLine(`  ${e.result.passed ? '✓' : '✗'} ${e.result.title}: ${e.result.message}`);
          if (e.kind === 'step-done' && e.result.passed) void host.markPassed(e.result.id);
          for (const m of kindRunMessages(e)) host.post(m);
        },
      });
    });
    sentence = kindRunSentence(result, cluster);
    passed = result.passed;
  } finally {
    host.log.appendLine(sentence);
    host.post({ type: 'kindRun', state: 'finished', cluster, message: sentence, passed });
  }
  const show = passed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  if ((await show(sentence, 'Show Log')) === 'Show Log') host.log.show(true);
}
