/** The "Pods" view: every Pod with its IP and node, like `kubectl get pods -o wide`. */
import * as vscode from 'vscode';
import type { LabChange, LabSession } from '../labSession';
import { clusterPodDescription } from './clusterText';
import { ElementCache, type NetElement, podNamed } from './elements';
import { namespaceOf, tooltipFor, treeItemFor } from './treeItems';
import { labLabel } from './networkTree';

/** Tree data for the Pods view. */
export class PodsTreeProvider implements vscode.TreeDataProvider<NetElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new ElementCache();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: LabSession) {
    this.subscription = session.onDidChange((c) => this.onChange(c));
  }

  private onChange(c: LabChange): void {
    // A cluster Pod updated in place changes its own row only; anything else changes the list (a flat list: one refresh).
    if (c.kind === 'service') return; // Services are not in this view
    if (c.kind === 'pod' && c.change === 'updated' && c.moved === false) {
      this.changed.fire(this.cache.get({ id: `pods:${c.pod.name}`, kind: 'pod', pod: c.pod.name }));
    } else {
      this.changed.fire(undefined);
    }
  }

  getTreeItem(el: NetElement): vscode.TreeItem {
    const st = this.session.status;
    if (!st) return new vscode.TreeItem('');
    const item = treeItemFor(el, st, { live: this.session.mode === 'live', labLabel: labLabel(this.session) });
    if (el.kind === 'pod') {
      const p = podNamed(st, el.pod);
      if (p && st.cluster) item.description = `${clusterPodDescription(p)} · ${p.node || 'not scheduled'}`;
      else if (p) item.description = `${p.ip || '<none>'} · ${p.node} · ${p.status} ${p.containers.filter((c) => c.state === 'running').length}/${p.containers.length}`;
    }
    return item;
  }

  getChildren(el?: NetElement): NetElement[] {
    const st = this.session.status;
    if (!st) return [];
    if (!el) return st.pods.map((p) => this.cache.get({ id: `pods:${p.name}`, kind: 'pod', pod: p.name }));
    if (el.kind === 'pod') {
      const p = podNamed(st, el.pod);
      return (p?.containers ?? []).map((c) => this.cache.get({ id: `pods:${el.pod}/ctr:${c.name}`, kind: 'container', pod: el.pod, container: c.name }));
    }
    return [];
  }

  async resolveTreeItem(item: vscode.TreeItem, el: NetElement): Promise<vscode.TreeItem> {
    const st = this.session.status;
    const id = st && namespaceOf(el, st);
    if (st && id) item.tooltip = tooltipFor(el, await this.session.namespace(id).catch(() => undefined), st);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
