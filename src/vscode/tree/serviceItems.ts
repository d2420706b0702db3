/** How the rows of Services, endpoints, the outside client and the router look (label, description, icon, menus). */
import * as vscode from 'vscode';
import type { LabStatus } from '../../providers/embedded/control/protocol';
import type { NetElement } from './elements';
import { endpointDescription, endpointLabel, serviceDescription, serviceNamed, servicesGroupDescription, serviceTooltip } from './serviceText';

const { Collapsed, Expanded } = vscode.TreeItemCollapsibleState;

/** The context value menus match on: `.live` where the lab can be changed, `.cluster` on a cluster, bare in a snapshot. */
const ctx = (kind: string, st: LabStatus, live: boolean): string => (st.cluster ? `${kind}.cluster` : live ? `${kind}.live` : kind);

function serviceRow(item: vscode.TreeItem, el: Extract<NetElement, { kind: 'service' }>, st: LabStatus, live: boolean): void {
  const s = serviceNamed(st, el.service);
  item.label = el.service;
  item.description = s ? serviceDescription(s) : '';
  item.tooltip = s ? serviceTooltip(s) : undefined;
  const empty = !!s && !s.endpoints.some((e) => e.ready);
  item.iconPath = new vscode.ThemeIcon('symbol-interface', empty ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
  item.collapsibleState = Expanded;
  item.contextValue = ctx('service', st, live);
}

function endpointRow(item: vscode.TreeItem, el: Extract<NetElement, { kind: 'endpoint' }>, st: LabStatus, live: boolean): void {
  const s = serviceNamed(st, el.service);
  const e = s?.endpoints.find((x) => x.ip === el.ip);
  item.label = s && e ? endpointLabel(s, e) : el.ip;
  item.description = e ? endpointDescription(e) : '';
  item.tooltip = e?.pod ? `Endpoint of ${el.service}: Pod ${e.pod}${e.node ? ` on ${e.node}` : ''}. Click to show the Pod.` : `Endpoint of ${el.service}`;
  item.iconPath = new vscode.ThemeIcon(e?.ready === false ? 'circle-slash' : 'debug-stackframe-dot');
  item.contextValue = ctx('endpoint', st, live);
  if (e?.pod) item.command = { command: 'podnet.revealPod', title: 'Show the Pod', arguments: [e.pod] };
}

/** A namespace on the wire that is no node (the outside client, the router): collapsed, its interfaces below. */
function machineRow(item: vscode.TreeItem, t: { label: string; description: string; tooltip: string; icon: string }, contextValue: string): true {
  Object.assign(item, { label: t.label, description: t.description, tooltip: t.tooltip, contextValue });
  item.iconPath = new vscode.ThemeIcon(t.icon);
  item.collapsibleState = Collapsed;
  return true;
}

/** Fills the row for a Service, an endpoint, the Services group, the outside client or the router; false for other rows. */
export function serviceItem(item: vscode.TreeItem, el: NetElement, st: LabStatus, live: boolean): boolean {
  switch (el.kind) {
    case 'services':
      item.label = 'Services';
      item.description = servicesGroupDescription(st);
      item.tooltip = 'Stable virtual addresses: kube-proxy-style nftables rules on every node DNAT a Service\'s ClusterIP (or NodePort) to one of its ready Pods.';
      item.iconPath = new vscode.ThemeIcon('symbol-interface');
      item.collapsibleState = Expanded;
      item.contextValue = ctx('services', st, live);
      return true;
    case 'service':
      serviceRow(item, el, st, live);
      return true;
    case 'endpoint':
      endpointRow(item, el, st, live);
      return true;
    case 'client':
      return machineRow(item, {
        label: st.client?.name ?? 'outside', description: `${st.client?.ip ?? ''} · outside client (not in the cluster)`, icon: 'device-desktop',
        tooltip: 'A machine on the node network that is no node: it has no route to Pod or Service ranges, so only NodePorts reach the cluster from here.',
      }, ctx('client', st, live));
    case 'router':
      return machineRow(item, {
        label: st.router?.name ?? 'router', description: `router · ${(st.router?.interfaces ?? []).map((i) => `${i.subnet} ${i.ip}`).join(' · ')}`, icon: 'git-compare',
        tooltip: 'Joins the node subnets. It knows only the subnets, no Pod CIDR: a packet for a Pod IP from another subnet dies here unless it is tunnelled.',
      }, ctx('router', st, live));
    default:
      return false;
  }
}
