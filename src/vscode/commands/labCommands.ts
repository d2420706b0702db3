/** Start Lab, Stop Lab and Refresh: the lab's lifecycle from VS Code, with progress and actionable errors. */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { guarded, requireTrust } from '../errors';
import type { LabSession } from '../labSession';
import { cniPathSetting, topologySetting } from '../settings';

async function topologyToBuild() {
  const { ARTICLE_TOPOLOGY_YAML, parseTopology } = await import('../../model/topologySpec');
  const file = topologySetting();
  if (!file) return parseTopology(ARTICLE_TOPOLOGY_YAML, '<built-in article topology>');
  return parseTopology(await readFile(file, 'utf8'), file);
}

/** Why lab lifecycle commands do nothing while a cluster is shown. */
function clusterShown(session: LabSession): string {
  return `PodNet shows the cluster ${session.status?.cluster?.context ?? ''}, which it only reads: run PodNet: Disconnect from Cluster first to start or stop the embedded lab.`;
}

/** Registers podnet.startLab, podnet.stopLab and podnet.refresh. */
export function registerLabCommands(context: vscode.ExtensionContext, session: LabSession): void {
  const entry = context.asAbsolutePath('dist/cli.js');
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.startLab', () => guarded('Could not start the lab', async () => {
      if (!(await requireTrust('Starting a lab'))) return;
      if (session.mode === 'cluster') return void vscode.window.showInformationMessage(clusterShown(session));
      if (session.mode === 'live') {
        void vscode.window.showInformationMessage(`Lab "${session.lab}" is already running.`);
        return;
      }
      const topology = await topologyToBuild();
      const { startLab } = await import('../../providers/embedded/launcher');
      const t0 = Date.now();
      session.starting = true;
      const status = await Promise.resolve(vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Starting PodNet lab "${session.lab}"` },
        (progress) => startLab({
          lab: session.lab, topology, cniPath: cniPathSetting(), entry,
          onProgress: (p) => progress.report({ message: p.detail, increment: 100 / p.total }),
        }),
      )).finally(() => (session.starting = false));
      await session.connect();
      const pick = await vscode.window.showInformationMessage(
        `Lab "${status.lab}" is up in ${((Date.now() - t0) / 1000).toFixed(2)} s: ${status.nodes.length} nodes, ${status.pods.length} Pods.`,
        'Trace Packet...', 'Open Diagram',
      );
      if (pick === 'Trace Packet...') await vscode.commands.executeCommand('podnet.tracePacket');
      if (pick === 'Open Diagram') await vscode.commands.executeCommand('podnet.openDiagram');
    })),
    vscode.commands.registerCommand('podnet.stopLab', () => guarded('Could not stop the lab', async () => {
      if (!(await requireTrust('Stopping a lab'))) return;
      if (session.mode === 'cluster') return void vscode.window.showInformationMessage(clusterShown(session));
      const { stopLab } = await import('../../providers/embedded/launcher');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping PodNet lab "${session.lab}"` }, () => stopLab(session.lab));
      session.disconnect();
      void vscode.window.showInformationMessage(`Lab "${session.lab}" stopped: its namespaces, veths, bridges and IP leases are gone.`);
    })),
    vscode.commands.registerCommand('podnet.refresh', () => guarded('Could not refresh', () => session.refresh())),
  );
}
