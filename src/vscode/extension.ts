/** VS Code entry point: registers views and commands; the engine loads lazily, so activation stays light. */
import * as vscode from 'vscode';
import { registerClusterCommands } from './cluster/clusterCommands';
import { registerFindIpCommand } from './commands/findIpCommand';
import { registerInspectCommand } from './commands/inspectCommand';
import { registerLabCommands } from './commands/labCommands';
import { registerPodCommands } from './commands/podCommands';
import { registerServiceCommands } from './commands/serviceCommands';
import { registerSnapshotCommands } from './commands/snapshotCommands';
import { registerTraceCommands, traceName } from './commands/traceCommand';
import { DIAGRAM_VIEW_TYPE, DiagramPanel } from './diagram/diagramPanel';
import { showError } from './errors';
import { registerKindCommands } from './kind/kindCommands';
import { LabSession } from './labSession';
import { registerLabDiagnostics } from './labs/labDiagnostics';
import { LabPanel } from './labs/labPanel';
import { ProgressStore } from './labs/progressStore';
import { labSetting } from './settings';
import { createStatusBar } from './statusBar';
import type { NetElement } from './tree/elements';
import { NetworkTreeProvider } from './tree/networkTree';
import { PodsTreeProvider } from './tree/podsTree';

/** Milliseconds `activate` took (reported by the "Show Lab Status" command and read by tests). */
export let activationMs = 0;

/** Wires the PodNet views, commands, status bar and diagram. */
export function activate(context: vscode.ExtensionContext): { activationMs: () => number; diagramStats: () => unknown } {
  const t0 = performance.now();
  const session = new LabSession(labSetting);
  const network = new NetworkTreeProvider(session);
  const pods = new PodsTreeProvider(session);
  const networkView = vscode.window.createTreeView('podnet.network', { treeDataProvider: network, showCollapseAll: true });
  const podsView = vscode.window.createTreeView('podnet.pods', { treeDataProvider: pods });
  const reveal = async (pod: string) => {
    await networkView.reveal(network.podElement(pod), { select: true, focus: true, expand: true });
  };
  const diagram = new DiagramPanel(context.extensionUri, session, (namespace) => {
    if (namespace.startsWith('pod/')) void reveal(namespace.slice(4));
  });
  const output = vscode.window.createOutputChannel('PodNet Trace');
  context.subscriptions.push(session, network, pods, networkView, podsView, diagram, output, createStatusBar(session));
  registerLabCommands(context, session);
  registerTraceCommands(context, session, diagram, output);
  registerPodCommands(context, session);
  registerServiceCommands(context, session);
  registerInspectCommand(context, session);
  registerFindIpCommand(context, session, reveal);
  registerSnapshotCommands(context, session);
  registerClusterCommands(context, session);
  registerKindCommands(context, session);
  registerLabDiagnostics(context);
  const labs = new LabPanel(context, session, new ProgressStore(context.globalState));
  context.subscriptions.push(
    labs,
    vscode.commands.registerCommand('podnet.openLabs', (id?: string) => labs.show(typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('podnet.focusView', () => vscode.commands.executeCommand('podnet.network.focus')),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.openDiagram', () => diagram.show()),
    vscode.commands.registerCommand('podnet.revealPod', (pod: unknown) => (typeof pod === 'string' ? reveal(pod) : undefined)),
    vscode.commands.registerCommand('podnet.showInDiagram', (el: NetElement) => diagram.focus(diagramNamespace(el, session))),
    vscode.commands.registerCommand('podnet.showLabStatus', () => {
      const st = session.status;
      const what = session.mode === 'replay' ? 'snapshot' : st?.cluster ? `cluster ${st.cluster.context}` : `lab "${st?.lab}"`;
      const text = st ? `PodNet ${what}: ${st.nodes.length} nodes, ${st.pods.length} Pods (${st.pods.map((p) => `${p.name} ${p.ip}`).join(', ')})` : `No PodNet lab named "${session.lab}" is running. Start one with PodNet: Start Lab or \`podnet lab up\`.`;
      void vscode.window.showInformationMessage(text);
      const services = st?.services?.map((s) => ({ name: s.name, clusterIP: s.clusterIP, endpoints: s.endpoints.map((e) => e.ip) })) ?? [];
      return { activationMs, mode: session.mode, pods: st?.pods.map((p) => ({ name: p.name, ip: p.ip, node: p.node })) ?? [], services };
    }),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => diagram.revive(panel),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('podnet.lab')) {
        session.disconnect();
        void session.connect().catch((e: unknown) => showError('Could not connect to the PodNet lab', e));
      }
    }),
  );
  setContextKeys(session);
  context.subscriptions.push(session.onDidChange(() => setContextKeys(session)));
  // Find a lab started from a terminal; never blocks activation. No lab is not an error; a lab we cannot reach is.
  void session.connect().catch((e: unknown) => showError('Could not connect to the PodNet lab', e));
  activationMs = Math.round((performance.now() - t0) * 10) / 10;
  return { activationMs: () => activationMs, diagramStats: () => diagram.lastRender };
}

/** The diagram namespace an element of the tree is drawn in. */
function diagramNamespace(el: NetElement, session: LabSession): string {
  const name = traceName(el, session);
  switch (el.kind) {
    case 'node': return `node/${el.node}`;
    case 'pod': case 'container': return `pod/${el.pod}`;
    case 'dockerContainer': return `container/${el.container}`;
    case 'dockerHost': return `host/${name}`;
    case 'client': case 'router': return `${el.kind}/${name}`;
    default: return 'wire';
  }
}

/** The context keys menus use: which of live lab, cluster or snapshot is shown. */
function setContextKeys(session: LabSession): void {
  for (const mode of ['live', 'replay', 'cluster'] as const) void vscode.commands.executeCommand('setContext', `podnet.${mode}`, session.mode === mode);
}

/** Nothing to release by hand: every disposable is in context.subscriptions. */
export function deactivate(): void {}
