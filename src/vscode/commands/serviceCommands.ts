/** Create Service…, Delete Service and Trace to this Service from…: Services of the embedded lab, through its LabProvider. */
import * as vscode from 'vscode';
import type { ServiceSelector } from '../../model/topology';
import { guarded, requireTrust } from '../errors';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { serviceKey, serviceNamed } from '../tree/serviceText';
import { portProblem, selectorChoices, selectorFrom, serviceNameProblem, serviceRequest, suggestedTargetPort, type SelectorChoice } from './servicePicks';

/** True (after saying why) when the shown lab cannot change Services: a cluster, a snapshot, or a lab without them. */
function readOnly(session: LabSession): boolean {
  const c = session.status?.cluster;
  if (c) {
    void vscode.window.showInformationMessage(`Services on a cluster are read-only in PodNet (${c.context}): create or delete them with kubectl; PodNet shows them and their endpoints.`);
    return true;
  }
  if (session.mode === 'replay') {
    void vscode.window.showInformationMessage('A snapshot is read-only: Services can be created and deleted only in a running lab.');
    return true;
  }
  if (!session.provider?.addService) {
    void vscode.window.showWarningMessage('No running PodNet lab can take Services: start a lab first.');
    return true;
  }
  return false;
}

async function pickSelector(session: LabSession, name: string): Promise<ServiceSelector | undefined> {
  const choices = selectorChoices(session.status?.pods ?? []);
  type Item = vscode.QuickPickItem & { choice?: SelectorChoice };
  const items: Item[] = [];
  const labels = choices.filter((c) => c.kind === 'label');
  if (labels.length) items.push({ label: 'By label (every picked label must match)', kind: vscode.QuickPickItemKind.Separator });
  for (const c of labels) items.push({ label: `$(tag) ${c.key}=${c.value}`, description: `matches ${c.pods.join(', ')}`, choice: c });
  items.push({ label: 'By Pod name', kind: vscode.QuickPickItemKind.Separator });
  for (const c of choices) if (c.kind === 'pod') items.push({ label: `$(package) ${c.pod}`, description: c.ip, choice: c });
  const picked = await vscode.window.showQuickPick(items, { title: `Create Service ${name}: which Pods?`, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  const sel = selectorFrom(picked.flatMap((p) => (p.choice ? [p.choice] : [])));
  if (typeof sel === 'string') {
    void vscode.window.showErrorMessage(`Create Service: ${sel}`);
    return undefined;
  }
  return sel;
}

/** Asks name, Pods, port, targetPort and type; each step stays open when focus moves (a redrawn diagram), as multi-step inputs should. */
async function createService(session: LabSession): Promise<void> {
  if (readOnly(session) || !(await requireTrust('Creating a Service'))) return;
  const title = 'Create Service';
  const name = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `${title}: name`, value: 'web', validateInput: (v) => serviceNameProblem(v, session.status) });
  if (!name) return;
  const selector = await pickSelector(session, name);
  if (!selector) return;
  const port = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `${title} ${name}: port (on the ClusterIP)`, value: '80', validateInput: portProblem });
  if (!port) return;
  const suggested = session.status ? suggestedTargetPort(session.status, selector) : undefined;
  const target = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `${title} ${name}: targetPort (on the Pods)`, value: String(suggested ?? port), validateInput: portProblem });
  if (!target) return;
  const type = await vscode.window.showQuickPick([
    { label: 'ClusterIP', description: 'a virtual IP reachable inside the cluster', type: 'ClusterIP' as const },
    { label: 'NodePort', description: 'also a port on every node\'s own IP, reachable from outside', type: 'NodePort' as const },
  ], { title: `${title} ${name}: type`, ignoreFocusOut: true });
  if (!type) return;
  const svc = await session.provider!.addService!(serviceRequest(name, selector, port, target, type.type));
  const ready = svc.endpoints.filter((e) => e.ready).length;
  const np = svc.ports.find((p) => p.nodePort)?.nodePort;
  void vscode.window.showInformationMessage(`Service ${svc.name} has ClusterIP ${svc.clusterIP}${np ? ` and NodePort ${np}` : ''}, with ${ready} ready endpoint${ready === 1 ? '' : 's'}.${ready ? '' : ' Until a Pod matches, traffic to it is rejected.'}`);
}

/** The Service a command was run on: the item's, or one picked from the list. */
async function serviceOf(session: LabSession, el: NetElement | undefined, title: string): Promise<string | undefined> {
  if (el?.kind === 'service' || el?.kind === 'endpoint') return el.service;
  const services = session.status?.services ?? [];
  if (!services.length) {
    void vscode.window.showInformationMessage('This lab has no Services. Create one with "PodNet: Create Service…".');
    return undefined;
  }
  return (await vscode.window.showQuickPick(services.map((s) => ({ label: serviceKey(s), description: s.clusterIP })), { title }))?.label;
}

/** Registers podnet.createService, podnet.deleteService and podnet.traceToService. */
export function registerServiceCommands(context: vscode.ExtensionContext, session: LabSession): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.createService', () => guarded('Could not create the Service', () => createService(session))),
    vscode.commands.registerCommand('podnet.deleteService', (el?: NetElement) => guarded('Could not delete the Service', async () => {
      if (readOnly(session) || !(await requireTrust('Deleting a Service'))) return;
      const name = await serviceOf(session, el, 'Delete which Service?');
      if (!name || !session.provider?.deleteService) return;
      const res = await session.provider.deleteService(name);
      vscode.window.setStatusBarMessage(`$(trash) Deleted Service ${res.name}; ClusterIP ${res.clusterIP} is free again`, 5000);
    })),
    vscode.commands.registerCommand('podnet.traceToService', (el?: NetElement) => guarded('Trace failed', async () => {
      const key = await serviceOf(session, el, 'Trace to which Service?');
      const svc = key && session.status ? serviceNamed(session.status, key) : undefined;
      if (!svc) return;
      const port = svc.ports[0];
      await vscode.commands.executeCommand('podnet.tracePacket', { to: `svc/${serviceKey(svc)}`, proto: port?.protocol ?? 'tcp', port: port?.port ?? 80 });
    })),
  );
}
