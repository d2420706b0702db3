/**
 * Entry of the lab panel webview: receives typed messages from the host, shows the list of labs or one open lab,
 * keeps {view, labId} with get/setState, and posts what the learner does (open, start, run, check...) back.
 */
import { codicon, html } from '../diagram/dom';
import { createAnnouncer } from './announce';
import { LabScreen } from './labView';
import { renderList, type ListData } from './listView';
import { isHostToLabPanel, type HostToLabPanel, type LabPanelState, type LabPanelToHost, type LabRunStateView } from './protocol';

interface VsCodeApi {
  postMessage(message: LabPanelToHost): void;
  getState(): LabPanelState | undefined;
  setState(state: LabPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: LabPanelToHost) => vscode.postMessage(m);
let state: LabPanelState = vscode.getState() ?? { view: 'list' };
let list: ListData | undefined;
let screen: LabScreen | undefined;
let run: { state: LabRunStateView; message?: string } = { state: 'stopped' };
// After a reload in the lab view: the lab we asked the host to open again, until it arrives (or turns out to be gone).
let restoring = state.view === 'lab' && state.labId ? state.labId : undefined;

/** vscode-button finds the codicon stylesheet by this id; the host page sets it, an older page may not. */
function tagCodiconLink(): void {
  if (document.getElementById('vscode-codicon-stylesheet')) return;
  const link = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).find((l) => /codicon/.test(l.href));
  if (link) link.id = 'vscode-codicon-stylesheet';
}

function save(next: LabPanelState): void {
  state = next;
  vscode.setState(state);
}

function placeholder(text: string): void {
  const p = html('p', { class: 'loading' });
  codicon('loading', p).classList.add('codicon-modifier-spin');
  p.append(text);
  root.replaceChildren(p);
}

function showList(): void {
  screen = undefined;
  if (!list) return placeholder('Loading labs…');
  const focusHeading = root.contains(document.activeElement);
  renderList(root, list, (id) => post({ type: 'openLab', id }));
  if (focusHeading) root.querySelector<HTMLElement>('.page-title')?.focus();
}

function backToList(): void {
  save({ view: 'list' });
  showList();
}

function handle(m: HostToLabPanel): void {
  switch (m.type) {
    case 'list':
      list = { labs: m.labs, problems: m.problems, trusted: m.trusted };
      if (restoring && !m.labs.some((l) => l.id === restoring)) restoring = undefined;
      screen?.setTrusted(m.trusted);
      if (state.view === 'list' || (!screen && !restoring)) {
        save({ view: 'list' });
        showList();
      }
      return;
    case 'open': {
      restoring = undefined;
      if (screen && state.view === 'lab' && screen.canReopen(m.lab)) screen.reopen(m.lab, m.step, m.passedSteps);
      else {
        const hadFocus = root.contains(document.activeElement);
        screen = new LabScreen(root, m.lab, m.step, m.passedSteps, { trusted: list?.trusted ?? true, post, announce, onBack: backToList });
        screen.setState(run.state, run.message);
        window.scrollTo({ top: 0 });
        if (hadFocus) root.querySelector<HTMLElement>('.lab-title')?.focus();
      }
      save({ view: 'lab', labId: m.lab.id });
      return;
    }
    case 'labState':
      if (m.state !== run.state) announce(`Lab ${m.state}.${m.message ? ` ${m.message}` : ''}`);
      run = { state: m.state, message: m.message };
      screen?.setState(m.state, m.message);
      return;
    case 'checking':
      screen?.checking(m.step);
      return;
    case 'checks':
      screen?.checks(m.step, m.results, m.stepPassed);
      return;
    case 'actionDone':
      screen?.actionDone(m.step, m.action, m.code);
      return;
    case 'kindRun':
      if (m.state === 'finished' && m.message) announce(m.message);
      screen?.setKindRun(m);
      return;
  }
}

tagCodiconLink();
const root = document.getElementById('app') ?? document.body;
const announce = createAnnouncer(document.body);
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostToLabPanel(e.data)) handle(e.data);
});
placeholder(restoring ? 'Opening the lab…' : 'Loading labs…');
post({ type: 'ready' });
if (restoring) post({ type: 'openLab', id: restoring });
