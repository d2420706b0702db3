/** VS Code entry point. Activation does nothing heavy; views and commands arrive with the extension issue. */
import * as vscode from 'vscode';

/** Registers the extension's commands. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.showLabStatus', async () => {
      const { connectLab } = await import('../providers/embedded/launcher');
      const client = await connectLab(vscode.workspace.getConfiguration('podnet').get<string>('lab') ?? 'default');
      if (!client) return void vscode.window.showInformationMessage('No PodNet lab is running. Start one with `podnet lab up`.');
      const st = await client.call('status', {}).finally(() => client.close());
      void vscode.window.showInformationMessage(`PodNet lab "${st.lab}": ${st.nodes.length} nodes, ${st.pods.length} Pods (${st.pods.map((p) => `${p.name} ${p.ip}`).join(', ')})`);
    }),
  );
}

/** Nothing to release: every disposable is in context.subscriptions. */
export function deactivate(): void {}
