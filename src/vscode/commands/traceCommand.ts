/** Trace Packet...: pick from, to, protocol and port; predict, cross-check and verify; show the path in the diagram. */
import * as vscode from 'vscode';
import type { TraceProto, TraceResult } from '../../tracer/types';
import { traceVerdict } from '../../webview/diagram/outcomeText';
import type { DiagramPanel } from '../diagram/diagramPanel';
import { guarded, requireTrust } from '../errors';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { ipOf } from './podCommands';
import { pickEndpoint } from './pickers';
import { serviceNamed } from '../tree/serviceText';
import { traceSummary } from './traceSummary';

/** Arguments the command accepts (from menus, other commands or tests). */
export interface TraceArgs {
  from?: string;
  to?: string;
  proto?: TraceProto;
  port?: number;
}

/** The name `podnet trace` understands for a tree element. */
export function traceName(el: NetElement, session: LabSession): string | undefined {
  switch (el.kind) {
    case 'pod':
    case 'container':
      return el.pod;
    case 'node':
      return el.node;
    case 'dockerHost':
      return session.status?.dockerHost?.name;
    case 'dockerContainer':
      return el.container;
    case 'client':
      return session.status?.client?.name;
    case 'router':
      return session.status?.router?.name;
    case 'service':
      return `svc/${el.service}`;
    case 'endpoint':
      return el.pod ?? el.ip;
    default:
      return ipOf(el, session);
  }
}

async function pickProto(to: string, session: LabSession): Promise<{ proto: TraceProto; port?: number } | undefined> {
  if (/:\d+$/.test(to)) return { proto: 'tcp', port: Number(to.split(':')[1]) };
  // A Service: its own (first) port and protocol; nothing else reaches its rules.
  const svc = to.startsWith('svc/') && session.status ? serviceNamed(session.status, to.slice(4)) : undefined;
  if (svc?.ports[0]) return { proto: svc.ports[0].protocol, port: svc.ports[0].port };
  const items: (vscode.QuickPickItem & { proto: TraceProto })[] = [
    { label: '$(pulse) ICMP echo', description: 'one ping', proto: 'icmp' },
    { label: '$(globe) TCP', description: 'an HTTP GET; the web server reports the source it saw', proto: 'tcp' },
    { label: '$(radio-tower) UDP', description: 'one datagram', proto: 'udp' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Trace Packet: protocol' });
  if (!picked) return undefined;
  if (picked.proto === 'icmp') return { proto: 'icmp' };
  const port = await vscode.window.showInputBox({ title: 'Trace Packet: destination port', value: '8080', validateInput: (v) => (/^\d{1,5}$/.test(v) && +v >= 1 && +v <= 65535 ? undefined : 'A port from 1 to 65535') });
  return port ? { proto: picked.proto, port: Number(port) } : undefined;
}

/** Registers podnet.tracePacket, podnet.traceFrom and podnet.traceTo. */
export function registerTraceCommands(context: vscode.ExtensionContext, session: LabSession, diagram: DiagramPanel, output: vscode.OutputChannel): void {
  const trace = (args: TraceArgs = {}) => guarded('Trace failed', async () => {
    const from = args.from ?? (await pickEndpoint(session, 'Trace Packet: from'))?.name;
    if (!from) return;
    const to = args.to ?? (await pickEndpoint(session, `Trace Packet: from ${from} to`, ['pod', 'service', 'node', 'dockerHost', 'dockerContainer', 'client', 'router'], true))?.name;
    if (!to) return;
    const p = args.proto ? { proto: args.proto, port: args.port } : await pickProto(to, session);
    if (!p) return;
    const req = { from, to: to.replace(/:\d+$/, ''), ...p };
    const [{ predictTrace }, { traceLive }, { formatTrace }] = [await import('../../tracer/predict'), await import('../../tracer/runTrace'), await import('../../tracer/format')];
    let result: TraceResult;
    if (session.mode === 'replay') {
      result = predictTrace(await session.snapshot(), req);
    } else {
      if (!(await requireTrust('Tracing sends a real probe and'))) return;
      const lab = session.provider;
      if (!lab) throw new Error(`no lab named "${session.lab}" is running`);
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tracing ${from} → ${req.to}` }, async (progress) => {
        progress.report({ message: 'reading the tables, predicting, then sending a probe' });
        return (await traceLive(lab, req, { verify: true })).result;
      });
    }
    output.appendLine(formatTrace(result));
    output.appendLine('');
    await diagram.showTrace(result);
    const show = traceVerdict(result).tone === 'bad' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const pick = await show(traceSummary(result), 'Show Details');
    if (pick) output.show(true);
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.tracePacket', (args?: TraceArgs) => trace(args)),
    vscode.commands.registerCommand('podnet.traceFrom', (el: NetElement) => trace({ from: traceName(el, session) })),
    vscode.commands.registerCommand('podnet.traceTo', (el: NetElement) => trace({ to: traceName(el, session) })),
  );
}
