/** Export Snapshot... and Open Snapshot...: save the live lab's tables, or show a saved file read-only. */
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { guarded } from '../errors';
import type { LabSession } from '../labSession';

/** Registers podnet.exportSnapshot, podnet.openSnapshot, podnet.openSnapshotFile and podnet.closeSnapshot. */
export function registerSnapshotCommands(context: vscode.ExtensionContext, session: LabSession): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.exportSnapshot', (target?: vscode.Uri) => guarded('Could not export the snapshot', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = target ?? (await vscode.window.showSaveDialog({ title: 'Export PodNet Snapshot', filters: { 'PodNet snapshot': ['json'] }, defaultUri: folder && vscode.Uri.joinPath(folder, `${(session.status?.cluster?.context ?? session.lab).replace(/[^\w.-]+/g, '-')}.snapshot.json`) }));
      if (!uri) return;
      const { serializeSnapshot } = await import('../../snapshot/validate');
      const snapshot = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: session.mode === 'cluster' ? 'Reading every node and Pod namespace PodNet can reach' : 'Reading every namespace of the lab' }, () => session.snapshot());
      await writeFile(uri.fsPath, serializeSnapshot(snapshot));
      const pick = await vscode.window.showInformationMessage(`Snapshot of ${snapshot.namespaces.length} namespaces saved to ${vscode.workspace.asRelativePath(uri)}.`, 'Open File');
      if (pick) await vscode.window.showTextDocument(uri);
    })),
    vscode.commands.registerCommand('podnet.openSnapshot', (target?: vscode.Uri) => guarded('Could not open the snapshot', async () => {
      const uri = target ?? (await vscode.window.showOpenDialog({ title: 'Open PodNet Snapshot', filters: { 'PodNet snapshot': ['json'] }, canSelectMany: false }))?.[0];
      if (!uri) return;
      await session.openReplay(uri.fsPath);
      await vscode.commands.executeCommand('podnet.openDiagram');
    })),
    vscode.commands.registerCommand('podnet.openSnapshotFile', (target?: vscode.Uri) => guarded('Could not open the snapshot', async () => {
      const uri = target ?? vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') throw new Error('open a snapshot .json file in the editor first, or use Open Snapshot...');
      await session.openReplay(uri.fsPath);
      await vscode.commands.executeCommand('podnet.openDiagram');
    })),
    vscode.commands.registerCommand('podnet.closeSnapshot', () => guarded('Could not close the snapshot', () => session.closeReplay())),
  );
}
