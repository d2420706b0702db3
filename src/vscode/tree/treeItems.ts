/** How each tree element looks: label, description, codicon, context value for menus, and its detailed tooltip. */
import * as vscode from 'vscode';
import type { LabStatus, PodInfo } from '../../providers/embedded/control/protocol';
import type { NamespaceSnapshot, SnapshotLink } from '../../snapshot/types';
import { clusterNodeDescription, clusterNodeTooltip, clusterPodDescription, clusterRootText, hostNetworkNote } from './clusterText';
import type { NetElement } from './elements';
import { nodeNamed, podNamed, podsOn } from './elements';
import { serviceItem } from './serviceItems';

const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;

function ready(p: PodInfo): string {
  return `${p.containers.filter((c) => c.state === 'running').length}/${p.containers.length}`;
}

/** The context value menus match on; live items allow actions that run something, cluster items only read-only ones. */
function ctx(kind: string, live: boolean, cluster = false): string {
  return cluster ? `${kind}.cluster` : live ? `${kind}.live` : kind;
}

/** The rows that read differently for a cluster (root, node, eth0, Pod); false for the others. */
function clusterItem(item: vscode.TreeItem, el: NetElement, st: LabStatus): boolean {
  const c = st.cluster;
  if (!c) return false;
  if (el.kind === 'lab') {
    Object.assign(item, clusterRootText(st, c));
    item.iconPath = new vscode.ThemeIcon('cloud');
  } else if (el.kind === 'node') {
    item.label = el.node;
    item.description = clusterNodeDescription(st, el.node);
    item.tooltip = clusterNodeTooltip(st, el.node);
    item.iconPath = new vscode.ThemeIcon('server');
  } else if (el.kind === 'iface' && el.role === 'eth0') {
    item.label = el.ifname;
    item.description = `${el.ip ?? ''} · the node's InternalIP`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'interface';
    return true;
  } else if (el.kind === 'pod') {
    const p = podNamed(st, el.pod);
    item.label = el.pod;
    item.description = p ? clusterPodDescription(p) : '';
    if (p?.hostNetwork) item.tooltip = hostNetworkNote(p);
    item.iconPath = new vscode.ThemeIcon(p?.hostNetwork ? 'home' : 'package', p?.status === 'Running' ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.collapsibleState = Collapsed;
  } else {
    return false;
  }
  if (el.kind !== 'pod') item.collapsibleState = Expanded;
  item.contextValue = ctx(el.kind, false, true);
  return true;
}

/** The rows of links: eth0 or a wire port, a bridge, a veth. */
function linkItem(item: vscode.TreeItem, el: NetElement): void {
  switch (el.kind) {
    case 'iface':
      item.label = el.ifname;
      item.description = el.role === 'eth0' ? `${el.ip ?? ''} · on the physical network` : 'port of wire0';
      item.iconPath = new vscode.ThemeIcon(el.role === 'eth0' ? 'plug' : 'debug-disconnect');
      item.contextValue = 'interface';
      break;
    case 'bridge':
      item.label = el.bridge;
      item.description = `${el.ip} · bridge (the Pods' gateway)`;
      item.iconPath = new vscode.ThemeIcon('type-hierarchy');
      item.collapsibleState = Expanded;
      item.contextValue = 'bridge';
      break;
    case 'veth':
      item.label = el.ifname;
      item.description = `veth ↔ ${el.pod} eth0`;
      item.iconPath = new vscode.ThemeIcon('arrow-swap');
      item.collapsibleState = Expanded;
      item.contextValue = 'veth';
      break;
    default:
      break;
  }
}

/** The rows of the wire and the Docker-style host with its containers. */
function hostItem(item: vscode.TreeItem, el: NetElement, st: LabStatus, live: boolean): void {
  switch (el.kind) {
    case 'wire':
      item.label = st.wireBridge;
      item.description = `physical network ${st.topology.network.cidr}`;
      item.iconPath = new vscode.ThemeIcon('radio-tower');
      item.collapsibleState = Collapsed;
      item.contextValue = 'wire';
      break;
    case 'dockerHost':
      item.label = st.dockerHost?.name ?? 'docker-host';
      item.description = `${st.dockerHost?.ip ?? ''} · Docker-style host (NAT)`;
      item.iconPath = new vscode.ThemeIcon('vm');
      item.collapsibleState = Collapsed;
      item.contextValue = ctx('dockerHost', live);
      break;
    case 'dockerContainer': {
      const c = st.dockerHost?.containers.find((x) => x.name === el.container);
      item.label = el.container;
      item.description = `${c?.ip ?? ''}${c?.publish ? ` · published ${st.dockerHost?.ip}:${c.publish} → :${c.port}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('symbol-method');
      item.contextValue = ctx('dockerContainer', live);
      break;
    }
    default:
      break;
  }
}

/** The tree row for an element of the shown lab. */
export function treeItemFor(el: NetElement, st: LabStatus, opts: { live: boolean; labLabel: string }): vscode.TreeItem {
  const item = new vscode.TreeItem('', None);
  item.id = el.id;
  if (clusterItem(item, el, st) || serviceItem(item, el, st, opts.live)) return item;
  const cluster = !!st.cluster;
  switch (el.kind) {
    case 'lab':
      item.label = opts.labLabel;
      item.description = `${st.nodes.length} nodes · ${st.pods.length} Pods${opts.live ? (st.rootless ? ' · rootless' : ' · as root') : ' · read-only'}`;
      item.iconPath = new vscode.ThemeIcon(opts.live ? 'server-environment' : 'archive');
      item.collapsibleState = Expanded;
      item.contextValue = ctx('lab', opts.live);
      break;
    case 'node': {
      const n = nodeNamed(st, el.node);
      item.label = el.node;
      item.description = n ? `${n.ip} · Pods ${n.podCIDR} · ${podsOn(st, el.node).length} Pods${n.cni === 'bridge' ? '' : ` · ${n.cni}`}${n.subnet ? ` · subnet ${n.subnet}` : ''}` : '';
      item.iconPath = new vscode.ThemeIcon('server');
      item.collapsibleState = Expanded;
      item.contextValue = ctx('node', opts.live);
      break;
    }
    case 'iface':
    case 'bridge':
    case 'veth':
      linkItem(item, el);
      break;
    case 'pod': {
      const p = podNamed(st, el.pod);
      item.label = el.pod;
      item.description = p ? `${p.ip || '<none>'} · ${p.status} ${ready(p)}` : '';
      item.iconPath = new vscode.ThemeIcon('package', p?.status === 'Running' ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.collapsibleState = Collapsed;
      item.contextValue = ctx('pod', opts.live);
      break;
    }
    case 'container': {
      const c = podNamed(st, el.pod)?.containers.find((x) => x.name === el.container);
      item.label = el.container;
      item.description = `${c?.workload ?? ''}${c?.port ? ` · :${c.port}` : ''}${c?.state === 'exited' ? ' · exited' : ''}`;
      item.iconPath = new vscode.ThemeIcon('symbol-method');
      item.contextValue = ctx('container', opts.live, cluster);
      break;
    }
    case 'wire':
    case 'dockerHost':
    case 'dockerContainer':
      hostItem(item, el, st, opts.live);
      break;
  }
  return item;
}

/** The namespace whose tables explain an element (for its tooltip). */
export function namespaceOf(el: NetElement, st: LabStatus): string | undefined {
  switch (el.kind) {
    case 'node':
      return `node/${el.node}`;
    case 'iface':
    case 'bridge':
    case 'veth':
      return el.namespace;
    case 'pod':
    case 'container':
      return `pod/${el.pod}`;
    case 'wire':
      return 'wire';
    case 'dockerHost':
      return st.dockerHost ? `host/${st.dockerHost.name}` : undefined;
    case 'dockerContainer':
      return `container/${el.container}`;
    case 'client':
      return st.client ? `client/${st.client.name}` : undefined;
    case 'router':
      return st.router ? `router/${st.router.name}` : undefined;
    default:
      return undefined;
  }
}

function linkLine(l: SnapshotLink): string {
  const peer = l.peer ? `, peer ${l.peer.namespace} ${l.peer.ifname}` : l.peerIfindex ? `, peer ifindex ${l.peerIfindex}` : '';
  return `\`${l.name}\` ${l.kind}, ifindex ${l.ifindex}, MAC ${l.mac}, MTU ${l.mtu}, ${l.state}${l.master ? `, port of ${l.master}` : ''}${peer}`;
}

/** A Markdown tooltip with the full detail of an element, from its namespace's tables. */
export function tooltipFor(el: NetElement, ns: NamespaceSnapshot | undefined, st: LabStatus): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.supportThemeIcons = true;
  const pod = el.kind === 'pod' ? st.pods.find((p) => p.name === el.pod) : undefined;
  if (st.cluster && el.kind === 'node') md.appendText(clusterNodeTooltip(st, el.node)).appendMarkdown('\n\n');
  if (st.cluster && pod?.hostNetwork) md.appendText(hostNetworkNote(pod)).appendMarkdown('\n\n');
  if (st.cluster?.access === 'none') return md.appendMarkdown('$(info) Without node access PodNet reads only the API: links, routes and neighbours are not shown.');
  if (!ns) return md.appendMarkdown('$(warning) The namespace could not be read.');
  const name = 'ifname' in el ? el.ifname : el.kind === 'bridge' ? el.bridge : undefined;
  const links = name ? ns.links.filter((l) => l.name === name) : ns.links.filter((l) => l.kind !== 'loopback');
  md.appendMarkdown(`**${ns.name}** (${ns.kind} namespace, forwarding ${ns.forwarding ? 'on' : 'off'})\n\n`);
  for (const l of links) {
    const vethPod = el.kind === 'veth' ? st.pods.find((p) => p.name === el.pod) : undefined;
    md.appendMarkdown(`- ${linkLine(vethPod && !l.peer ? { ...l, peer: { namespace: `pod/${vethPod.name}`, ifname: 'eth0' } } : l)}\n`);
    for (const a of ns.addresses.filter((x) => x.ifname === l.name && x.family === 'inet')) md.appendMarkdown(`  - inet ${a.address}/${a.prefixLength}\n`);
  }
  const main = ns.routes.filter((r) => r.table === 'main');
  if (main.length && (el.kind === 'node' || el.kind === 'pod' || el.kind === 'container' || el.kind === 'dockerHost' || el.kind === 'dockerContainer' || el.kind === 'lab'
    || el.kind === 'client' || el.kind === 'router')) {
    md.appendMarkdown('\n**Routes** (table main)\n\n');
    for (const r of main) md.appendMarkdown(`- \`${r.dst === '0.0.0.0/0' ? 'default' : r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}\`\n`);
  }
  return md;
}
