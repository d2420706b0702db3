/** The packet-path diagram: one webview panel fed with the lab's snapshot and the latest trace, restorable after reload. */
import * as vscode from 'vscode';
import type { TraceResult } from '../../tracer/types';
import { type DiagramToHost, type HostToDiagram, isDiagramToHost } from '../../webview/diagram/protocol';
import { showError } from '../errors';
import type { LabSession } from '../labSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The panel's view type (also the serializer's key). */
export const DIAGRAM_VIEW_TYPE = 'podnet.diagram';

/** Timings the webview reported for its last drawing. */
export type RenderStats = Extract<DiagramToHost, { type: 'rendered' }>;

/** Owns the diagram panel: creates, revives, feeds and listens to it. */
export class DiagramPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private ready = false;
  private queue: HostToDiagram[] = [];
  private refreshTimer?: NodeJS.Timeout;
  /** The lab changed since the drawing was last sent. */
  private stale = false;
  /** The snapshot being read and sent, if any. */
  private drawing?: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The webview's last `rendered` report (read by tests and the benchmark). */
  lastRender?: RenderStats;

  constructor(private readonly extensionUri: vscode.Uri, private readonly session: LabSession, private readonly onSelect: (namespace: string) => void) {
    this.disposables.push(session.onDidChange(() => {
      this.stale = true;
      this.scheduleRefresh();
    }));
  }

  /** Opens (or reveals) the panel and draws the current lab. */
  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, 'PodNet Diagram', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    this.attach(panel);
  }

  /** Takes over a panel VS Code restored after a reload. */
  revive(panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel);
  }

  /** Shows a trace on the diagram (opening it if needed). */
  async showTrace(trace: TraceResult): Promise<void> {
    await this.show();
    this.post({ type: 'trace', trace });
  }

  /** Scrolls the diagram to one namespace ("Show in Diagram"). */
  async focus(namespace: string): Promise<void> {
    await this.show();
    this.post({ type: 'focus', namespace });
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'podnet.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'diagram', 'PodNet Diagram');
    panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m), undefined, this.disposables);
    panel.onDidChangeViewState((e) => {
      // Focus moving in and out fires this too: redraw only when the lab changed while the panel was hidden.
      if (e.webviewPanel.visible && this.stale) this.scheduleRefresh();
    }, undefined, this.disposables);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.queue = [];
    }, undefined, this.disposables);
  }

  private post(message: HostToDiagram): void {
    if (!this.panel) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async sendSnapshot(): Promise<void> {
    if (!this.session.status) return;
    this.stale = false;
    const mode = this.session.mode;
    const source = mode === 'replay'
      ? { label: `snapshot ${vscode.workspace.asRelativePath(this.session.replayFile ?? '')}`, live: false }
      : { label: this.session.status?.cluster ? `cluster ${this.session.status.cluster.context}` : `lab "${this.session.lab}"`, live: true };
    const snapshot = await this.session.snapshot();
    // What is shown changed while the snapshot was read (e.g. a cluster was disconnected): never draw it under a wrong name.
    if (this.session.mode !== mode) return;
    this.post({ type: 'snapshot', snapshot, source });
  }

  private scheduleRefresh(): void {
    if (!this.panel?.visible || !this.ready) return;
    clearTimeout(this.refreshTimer);
    // A cluster's snapshot enters every node and Pod namespace, and a busy cluster changes all the time: redraw after a
    // longer quiet spell there, and never start a snapshot while one is still being read.
    const delay = this.session.mode === 'cluster' ? 2000 : 250;
    this.refreshTimer = setTimeout(() => {
      if (this.drawing) return void this.drawing.finally(() => this.stale && this.scheduleRefresh());
      this.drawing = this.sendSnapshot().catch((e) => showError('Could not redraw the diagram', e)).finally(() => (this.drawing = undefined));
    }, delay);
  }

  private receive(m: unknown): void {
    if (!isDiagramToHost(m)) return; // only the declared protocol is accepted
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        void this.sendSnapshot().then(() => {
          for (const q of queued) this.post(q);
        }).catch((e) => showError('Could not draw the diagram', e));
        break;
      }
      case 'rendered':
        this.lastRender = m;
        break;
      case 'select':
        this.onSelect(m.namespace);
        break;
      case 'traceRequest':
        void vscode.commands.executeCommand('podnet.tracePacket', { from: m.from.replace(/^\w+\//, ''), to: m.to.replace(/^\w+\//, '') });
        break;
      case 'error':
        void vscode.window.showErrorMessage(`PodNet diagram: ${m.message}`);
        break;
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
