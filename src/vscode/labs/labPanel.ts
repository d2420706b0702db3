/** The lab panel: lists lab packs, walks the open one step by step, runs its actions in a terminal and grades its checks live (or runs it on kind). */
import * as vscode from 'vscode';
import type { LabRunState } from '../../labs/state';
import type { LabPack } from '../../labs/types';
import type { CheckResultView, HostToLabPanel, LabView } from '../../webview/labs/protocol';
import { isLabPanelToHost, type LabPanelToHost } from '../../webview/labs/protocol';
import { webviewHtml, webviewOptions } from '../diagram/webviewHtml';
import { guarded, requireTrust } from '../errors';
import type { LabSession } from '../labSession';
import { runActionInTerminal } from './actionTerminal';
import { type CatalogPaths, loadCatalog } from './labCatalog';
import { runPackOnKind } from './kindRunPanel';
import type { ProgressStore } from './progressStore';
import { stepRenderer } from './stepHtml';

/** The panel's view type. */
export const LAB_PANEL_VIEW_TYPE = 'podnet.labs';
/** Check types cheap enough to re-run on every lab event (no probe, no trace). */
const LIVE_CHECKS = new Set(['podExists', 'ipChangedAfterRecreate', 'uniquePodIps', 'podIpInCidr', 'actionOutput']);

interface OpenLab {
  pack: LabPack;
  labName: string;
  state?: LabRunState;
  step: string;
  checking: boolean;
}

/** Owns the lab panel and the open lab. */
export class LabPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private paths: CatalogPaths = new Map();
  private open?: OpenLab;
  private recheckTimer?: NodeJS.Timeout;
  private ready = false;
  private wanted?: string;
  private readonly disposables: vscode.Disposable[] = [];
  private kindLog?: vscode.OutputChannel;

  constructor(private readonly context: vscode.ExtensionContext, private readonly session: LabSession, private readonly progress: ProgressStore) {
    this.disposables.push(session.onDidChange((c) => {
      if (c.kind === 'pod' && this.open?.state && session.lab === this.open.labName) this.scheduleLiveRecheck();
    }));
  }

  /** Shows the panel (the list, or the lab `id` when given). */
  async show(id?: string): Promise<void> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(LAB_PANEL_VIEW_TYPE, 'PodNet Labs', vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri));
      this.panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'podnet.svg');
      this.panel.webview.html = webviewHtml(this.panel.webview, this.context.extensionUri, 'labs', 'PodNet Labs');
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m), undefined, this.disposables);
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      }, undefined, this.disposables);
    } else {
      this.panel.reveal();
    }
    if (!id) return;
    if (this.ready) await this.openLab(id);
    else this.wanted = id; // opened once the webview says it is ready
  }

  private post(m: HostToLabPanel): void {
    void this.panel?.webview.postMessage(m);
  }

  private async sendList(): Promise<void> {
    const catalog = await loadCatalog(this.progress);
    this.paths = catalog.paths;
    this.post({ type: 'list', labs: catalog.labs, problems: catalog.problems, trusted: vscode.workspace.isTrusted });
  }

  private async openLab(id: string): Promise<void> {
    if (!this.paths.has(id)) await loadCatalog(this.progress).then((c) => (this.paths = c.paths));
    const dir = this.paths.get(id);
    if (!dir) throw new Error(`no lab pack "${id}" was found`);
    const { parseLabPack } = await import('../../labs/parse');
    const { readPackFile } = await import('../../labs/packPaths');
    const pack = parseLabPack(dir);
    const render = stepRenderer(pack.dir);
    const saved = this.progress.get(pack.id);
    const step = saved.step && pack.steps.some((s) => s.id === saved.step) ? saved.step : pack.steps[0].id;
    const { describeCheck, actionArgv } = await import('../../labs/describe');
    const labName = `pack-${pack.id}`;
    const { kindIncompatibility } = await import('../../labs/kindCompat');
    const view: LabView = {
      id: pack.id, title: pack.title, minutes: pack.minutes, kindIncompatible: kindIncompatibility(pack),
      steps: pack.steps.map((s) => ({
        id: s.id, title: s.title, html: render(readPackFile(pack.dir, s.file).toString('utf8')), hints: s.hints,
        actions: s.actions.map((a) => ({ id: a.id, title: a.title ?? a.id, argv: actionArgv(a, labName), usesShell: !!a.usesShell })),
        checks: s.checks.map((c, index) => ({ index, title: describeCheck(c), type: c.type })),
      })),
    };
    this.open = { pack, labName, step, checking: false };
    this.post({ type: 'open', lab: view, step, passedSteps: saved.passed });
    await this.attachIfRunning();
  }

  /** Picks up the pack's lab if it already runs (a reopened panel or window). */
  private async attachIfRunning(): Promise<void> {
    const o = this.open;
    if (!o) return;
    const { connectLab } = await import('../../providers/embedded/launcher');
    const client = await connectLab(o.labName); // undefined when it does not run; other failures reach the caller's error report
    if (!client) return this.post({ type: 'labState', state: 'stopped' });
    const status = await client.call('status', {}).finally(() => client.close());
    const { createRunState } = await import('../../labs/state');
    o.state ??= createRunState(status);
    await this.session.useLab(o.labName);
    this.post({ type: 'labState', state: 'running' });
  }

  private async startLab(): Promise<void> {
    const o = this.open;
    if (!o || !(await requireTrust('Starting a lab'))) return;
    this.post({ type: 'labState', state: 'starting' });
    try {
      const { startLab } = await import('../../providers/embedded/launcher');
      this.session.starting = true;
      const status = await startLab({ lab: o.labName, topology: o.pack.topology, entry: this.context.asAbsolutePath('dist/cli.js') }).finally(() => (this.session.starting = false));
      const { createRunState } = await import('../../labs/state');
      o.state = createRunState(status);
      await this.session.useLab(o.labName);
      this.post({ type: 'labState', state: 'running', message: `${status.nodes.length} nodes, ${status.pods.length} Pods` });
    } catch (e) {
      this.post({ type: 'labState', state: 'stopped', message: (e as Error).message });
      throw e;
    }
  }

  private async stopLab(): Promise<void> {
    const o = this.open;
    if (!o || !(await requireTrust('Stopping a lab'))) return;
    this.post({ type: 'labState', state: 'stopping' });
    const { stopLab } = await import('../../providers/embedded/launcher');
    try {
      await stopLab(o.labName);
    } catch (e) {
      // The lab may still run: say so, and leave the panel showing it as running.
      this.post({ type: 'labState', state: 'running', message: `Stopping failed: ${(e as Error).message}` });
      throw new Error(`stopping the lab "${o.labName}" failed: ${(e as Error).message} (run \`podnet lab down --lab ${o.labName}\`)`, { cause: e });
    }
    o.state = undefined;
    await this.session.useLab(undefined);
    this.post({ type: 'labState', state: 'stopped' });
  }

  /** Runs the open pack's steps on a kind cluster (the embedded lab is left as it is). */
  private async runOnKind(): Promise<void> {
    const o = this.open;
    if (!o || !(await requireTrust('Running a lab on kind'))) return;
    this.kindLog ??= vscode.window.createOutputChannel('PodNet Lab on kind');
    await runPackOnKind(o.pack, {
      session: this.session, cliEntry: this.context.asAbsolutePath('dist/cli.js'), log: this.kindLog,
      post: (m) => this.post(m),
      markPassed: (step) => this.progress.markPassed(o.pack.id, step),
    });
  }

  private async runAction(stepId: string, actionId: string): Promise<void> {
    const o = this.open;
    const action = o?.pack.steps.find((s) => s.id === stepId)?.actions.find((a) => a.id === actionId);
    if (!o || !action || !(await requireTrust('Running a lab action'))) return;
    if (!o.state) {
      const pick = await vscode.window.showWarningMessage(`The lab for "${o.pack.title}" is not running yet.`, 'Start Lab');
      if (pick) await this.startLab();
      if (!o.state) return;
    }
    const { DEFAULT_ACTION_TIMEOUT_MS } = await import('../../labs/actionRun');
    const res = await runActionInTerminal(action, {
      lab: o.labName, provider: this.session.provider!, state: o.state, cliEntry: this.context.asAbsolutePath('dist/cli.js'), cwd: o.pack.dir,
      timeoutMs: DEFAULT_ACTION_TIMEOUT_MS,
    });
    this.post({ type: 'actionDone', step: stepId, action: actionId, code: res.code });
    await this.checkStep(stepId);
  }

  private async checkStep(stepId: string, only?: (type: string) => boolean): Promise<void> {
    const o = this.open;
    const step = o?.pack.steps.find((s) => s.id === stepId);
    if (!o || !step || o.checking) return;
    if (!o.state || !this.session.provider) {
      this.post({ type: 'checks', step: stepId, stepPassed: false, results: step.checks.map((_, index) => ({ index, passed: false, message: 'The lab is not running: start it first.' })) });
      return;
    }
    if (only && !step.checks.every((c) => only(c.type))) return;
    o.checking = true;
    this.post({ type: 'checking', step: stepId });
    try {
      const { gradeChecks } = await import('../../labs/gradeChecks');
      const graded = await gradeChecks(step.checks, { lab: this.session.provider, state: o.state });
      const results: CheckResultView[] = graded.map(({ index, passed, message }) => ({ index, passed, message }));
      const stepPassed = results.every((r) => r.passed);
      if (stepPassed) {
        await this.progress.markPassed(o.pack.id, stepId);
        void vscode.commands.executeCommand('setContext', 'podnet.firstCheckPassed', true);
      }
      this.post({ type: 'checks', step: stepId, results, stepPassed });
    } finally {
      o.checking = false;
    }
  }

  private scheduleLiveRecheck(): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      if (this.open) void this.checkStep(this.open.step, (t) => LIVE_CHECKS.has(t));
    }, 400);
  }

  private receive(m: unknown): void {
    if (!isLabPanelToHost(m)) return; // only the declared protocol is accepted
    void guarded('PodNet Labs', () => this.handle(m));
  }

  private async handle(m: LabPanelToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        await this.sendList();
        const id = this.wanted ?? this.open?.pack.id;
        this.wanted = undefined;
        if (id) await this.openLab(id);
        return;
      }
      case 'openLab':
        return this.openLab(m.id);
      case 'backToList':
        return this.sendList();
      case 'startLab':
        return this.startLab();
      case 'stopLab':
        return this.stopLab();
      case 'resetLab': {
        const o = this.open;
        if (!o) return;
        await this.stopLab();
        await this.progress.reset(o.pack.id);
        await this.openLab(o.pack.id);
        return this.startLab();
      }
      case 'gotoStep':
        if (this.open) {
          this.open.step = m.step;
          await this.progress.setStep(this.open.pack.id, m.step);
        }
        return;
      case 'runAction':
        return this.runAction(m.step, m.action);
      case 'checkStep':
        return this.checkStep(m.step);
      case 'openDiagram':
        await vscode.commands.executeCommand('podnet.openDiagram');
        return;
      case 'runOnKind':
        return this.runOnKind();
    }
  }

  dispose(): void {
    clearTimeout(this.recheckTimer);
    this.panel?.dispose();
    this.kindLog?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
