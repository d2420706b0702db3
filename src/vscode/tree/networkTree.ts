/** The "Network" view: lab -> nodes -> eth0 and cbr0 -> veth ports -> Pods -> containers, refreshed per node on lab events. */
import * as vscode from 'vscode';
import type { LabChange, LabSession } from '../labSession';
import { ElementCache, type NetElement, networkChildren } from './elements';
import { serviceKey } from './serviceText';
import { namespaceOf, tooltipFor, treeItemFor } from './treeItems';

/** Label of the root row: the lab's name, or the snapshot file being replayed. */
export function labLabel(session: LabSession): string {
  if (session.mode === 'replay') return `snapshot ${vscode.workspace.asRelativePath(session.replayFile ?? '')}`;
  if (session.status?.cluster) return `cluster ${session.status.cluster.context}`;
  return `lab "${session.status?.lab ?? session.lab}"`;
}

/** Tree data for the Network view. */
export class NetworkTreeProvider implements vscode.TreeDataProvider<NetElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new ElementCache();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: LabSession) {
    this.subscription = session.onDidChange((c) => this.onChange(c));
  }

  private onChange(c: LabChange): void {
    const st = this.session.status;
    if (c.kind === 'all' || !st) {
      this.cache.clear();
      this.changed.fire(undefined);
      return;
    }
    if (c.kind === 'service') {
      // A Service added or removed changes the group's children; an updated one (its endpoints) its own row and children.
      const key = serviceKey(c.service);
      if (c.change === 'updated') this.changed.fire(this.cache.get({ id: `svc:${key}`, kind: 'service', service: key }));
      else this.changed.fire(st.services?.length === 1 && c.change === 'added' ? undefined : this.cache.get({ id: 'services', kind: 'services' }));
      return;
    }
    if (c.kind === 'node') {
      // A node added or removed changes the root's children; an updated node only its own row.
      this.changed.fire(c.change === 'updated' ? this.cache.get({ id: `node:${c.node}`, kind: 'node', node: c.node }) : undefined);
      return;
    }
    if (st.cluster && c.change === 'updated' && c.moved === false) {
      // A cluster Pod that stays where it was (a new IP, phase or readiness): only its own row changes.
      this.changed.fire(this.cache.get({ id: `pod:${c.pod.name}`, kind: 'pod', pod: c.pod.name }));
      return;
    }
    // Only the Pod's node (and the root's counts) change: refresh those rows, not the whole lab.
    const node = st.nodes.find((n) => n.name === c.pod.node);
    if (node) this.changed.fire(this.cache.get({ id: `node:${node.name}`, kind: 'node', node: node.name }));
    // A cluster's root shows no Pod count, so it needs no refresh (which would redraw every expanded node).
    if (!st.cluster || !node) this.changed.fire(this.cache.get({ id: 'lab', kind: 'lab' }));
  }

  getTreeItem(el: NetElement): vscode.TreeItem {
    const st = this.session.status;
    if (!st) return new vscode.TreeItem('');
    return treeItemFor(el, st, { live: this.session.mode === 'live', labLabel: labLabel(this.session) });
  }

  getChildren(el?: NetElement): NetElement[] {
    const st = this.session.status;
    return st ? networkChildren(st, el, this.cache) : [];
  }

  getParent(el: NetElement): NetElement | undefined {
    const st = this.session.status;
    if (!st || el.kind === 'lab') return undefined;
    const search = (parent: NetElement | undefined): NetElement | undefined => {
      for (const child of networkChildren(st, parent, this.cache)) {
        if (child.id === el.id) return parent;
        const leaf = child.kind === 'container' || child.kind === 'iface' || child.kind === 'dockerContainer' || child.kind === 'endpoint';
        const found = leaf ? undefined : search(child);
        if (found) return found;
      }
      return undefined;
    };
    return search(undefined);
  }

  /** Fills the tooltip lazily with the element's namespace tables (MAC, MTU, ifindex, peer, routes). */
  async resolveTreeItem(item: vscode.TreeItem, el: NetElement): Promise<vscode.TreeItem> {
    const st = this.session.status;
    const id = st && namespaceOf(el, st);
    if (!st || !id) return item;
    const ns = await this.session.namespace(id).catch(() => undefined);
    item.tooltip = tooltipFor(el, ns, st);
    return item;
  }

  /** The tree element for a Pod (for reveal). */
  podElement(pod: string): NetElement {
    return this.cache.get({ id: `pod:${pod}`, kind: 'pod', pod });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
