/** Quick picks for choosing a Pod, node, host or container (and, for a destination, any IP). */
import * as vscode from 'vscode';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { serviceKey } from '../tree/serviceText';

/** What the user picked. */
export interface PickedEndpoint {
  /** The name `podnet trace` understands (Pod, node, host, container) or an IP[:port]. */
  name: string;
  element?: NetElement;
}

/** What can be picked: the trace endpoints the lab has. */
export type Kind = 'pod' | 'node' | 'dockerHost' | 'dockerContainer' | 'client' | 'router' | 'service';
interface EndpointItem extends vscode.QuickPickItem {
  endpoint?: PickedEndpoint;
  custom?: boolean;
}

/** Every endpoint of the shown lab as quick-pick items, grouped by kind. */
function endpointItems(session: LabSession, kinds: readonly Kind[]): EndpointItem[] {
  const st = session.status;
  if (!st) return [];
  const items: EndpointItem[] = [];
  if (kinds.includes('pod')) {
    items.push({ label: 'Pods', kind: vscode.QuickPickItemKind.Separator });
    for (const p of st.pods) items.push({ label: `$(package) ${p.name}`, description: `${p.ip} · ${p.node}`, endpoint: { name: p.name, element: { id: `pod:${p.name}`, kind: 'pod', pod: p.name } } });
  }
  if (kinds.includes('node')) {
    items.push({ label: 'Nodes', kind: vscode.QuickPickItemKind.Separator });
    for (const n of st.nodes) items.push({ label: `$(server) ${n.name}`, description: `${n.ip} · Pods ${n.podCIDR}`, endpoint: { name: n.name, element: { id: `node:${n.name}`, kind: 'node', node: n.name } } });
  }
  const h = st.dockerHost;
  if (h && kinds.includes('dockerHost')) {
    items.push({ label: 'Docker-style host', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: `$(vm) ${h.name}`, description: `${h.ip} · NAT`, endpoint: { name: h.name, element: { id: 'docker-host', kind: 'dockerHost' } } });
    if (kinds.includes('dockerContainer')) {
      for (const c of h.containers) items.push({ label: `$(symbol-method) ${c.name}`, description: `${c.ip}${c.publish ? ` · published on ${h.ip}:${c.publish}` : ''}`, endpoint: { name: c.name, element: { id: `docker-host/ctr:${c.name}`, kind: 'dockerContainer', container: c.name } } });
    }
  }
  return [...items, ...otherItems(session, kinds)];
}

/** The outside client, the router and the Services (a Service as `svc/NAME`, as `podnet trace` takes it). */
function otherItems(session: LabSession, kinds: readonly Kind[]): EndpointItem[] {
  const st = session.status;
  const items: EndpointItem[] = [];
  if (!st) return items;
  if (st.client && kinds.includes('client')) {
    items.push({ label: 'Outside the cluster', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: `$(device-desktop) ${st.client.name}`, description: `${st.client.ip} · outside client`, endpoint: { name: st.client.name, element: { id: 'client', kind: 'client' } } });
  }
  if (st.router && kinds.includes('router')) {
    const ips = st.router.interfaces.map((i) => i.ip).join(', ');
    items.push({ label: `$(git-compare) ${st.router.name}`, description: `${ips} · router`, endpoint: { name: st.router.name, element: { id: 'router', kind: 'router' } } });
  }
  if (st.services?.length && kinds.includes('service')) {
    items.push({ label: 'Services', kind: vscode.QuickPickItemKind.Separator });
    for (const s of st.services) {
      const key = serviceKey(s);
      const port = s.ports[0];
      const element: NetElement = { id: `svc:${key}`, kind: 'service', service: key };
      items.push({ label: `$(symbol-interface) ${key}`, description: `${s.clusterIP}${port ? `:${port.port}/${port.protocol.toUpperCase()}` : ''} · ${s.type}`, endpoint: { name: `svc/${key}`, element } });
    }
  }
  return items;
}

/** Asks for one endpoint; resolves undefined when cancelled. */
export async function pickEndpoint(session: LabSession, title: string, kinds: readonly Kind[] = ['pod', 'node', 'dockerHost', 'dockerContainer', 'client', 'router'], allowIp = false): Promise<PickedEndpoint | undefined> {
  if (!session.status) {
    const pick = await vscode.window.showWarningMessage('No PodNet lab is shown: start one or open a snapshot first.', 'Start Lab', 'Open Snapshot...');
    if (pick === 'Start Lab') await vscode.commands.executeCommand('podnet.startLab');
    if (pick === 'Open Snapshot...') await vscode.commands.executeCommand('podnet.openSnapshot');
    return undefined;
  }
  const items = endpointItems(session, kinds);
  if (allowIp) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(edit) Enter an IP or IP:port...', custom: true });
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, placeHolder: 'Type a name or an IP to filter' });
  if (!picked) return undefined;
  if (!picked.custom) return picked.endpoint;
  const typed = await vscode.window.showInputBox({
    title, prompt: 'An address in the lab, optionally with a port', placeHolder: '10.244.2.5 or 10.244.2.5:8080',
    validateInput: (v) => (/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/.test(v.trim()) ? undefined : 'Write an IPv4 address such as 10.244.2.5, optionally :port'),
  });
  return typed ? { name: typed.trim() } : undefined;
}
