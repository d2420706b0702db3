/** Find IP...: "who has 10.244.2.5?" answered from the lab: a Pod, a node, a bridge, a gateway, or nobody. */
import * as vscode from 'vscode';
import { guarded } from '../errors';
import type { LabSession } from '../labSession';
import { whoHas } from './whoHas';

/** Registers podnet.findIp. */
export function registerFindIpCommand(context: vscode.ExtensionContext, session: LabSession, reveal: (pod: string) => Promise<void>): void {
  context.subscriptions.push(vscode.commands.registerCommand('podnet.findIp', (value?: string) => guarded('Find IP failed', async () => {
    const st = session.status;
    if (!st) throw new Error('no lab is shown: start one or open a snapshot');
    const ip = value ?? (await vscode.window.showInputBox({ title: 'Find IP', prompt: 'Who has this address?', placeHolder: '10.244.2.5', validateInput: (v) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(v.trim()) ? undefined : 'An IPv4 address such as 10.244.2.5') }))?.trim();
    if (!ip) return;
    const found = whoHas(st, ip);
    const actions = [...(found.pod ? ['Reveal in Tree'] : []), 'Trace to It'];
    const pick = await vscode.window.showInformationMessage(found.answer, ...actions);
    if (pick === 'Reveal in Tree' && found.pod) await reveal(found.pod);
    if (pick === 'Trace to It') await vscode.commands.executeCommand('podnet.tracePacket', { to: found.pod ?? ip });
  })));
}
