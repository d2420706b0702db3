/** Inspect Pod Network...: one read-only page with a Pod's IP, node, veth pair, bridge, routes and neighbours. */
import * as vscode from 'vscode';
import { guarded } from '../errors';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { inspectMarkdown } from './inspectPage';
import { pickEndpoint } from './pickers';

/** URI scheme of the generated inspection pages. */
export const INSPECT_SCHEME = 'podnet-inspect';

/** Serves the inspection pages (regenerated each time they are opened). */
class InspectProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: LabSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const st = this.session.status;
    const pod = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    if (!st) return '# No lab\n\nStart a lab or open a snapshot first.';
    const info = st.pods.find((p) => p.name === pod);
    const [podNs, nodeNs] = await Promise.all([this.session.namespace(`pod/${pod}`), info ? this.session.namespace(`node/${info.node}`) : undefined]);
    return inspectMarkdown(st, pod, podNs, nodeNs);
  }
}

/** Registers podnet.inspectPod and its page provider. */
export function registerInspectCommand(context: vscode.ExtensionContext, session: LabSession): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectProvider(session)),
    vscode.commands.registerCommand('podnet.inspectPod', (el?: NetElement) => guarded('Could not inspect the Pod', async () => {
      const pod = el?.kind === 'pod' || el?.kind === 'container' ? el.pod : (await pickEndpoint(session, 'Inspect Pod Network: which Pod?', ['pod']))?.name;
      if (!pod) return;
      const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${encodeURIComponent(pod)}.md`, query: String(Date.now()) });
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    })),
  );
}
