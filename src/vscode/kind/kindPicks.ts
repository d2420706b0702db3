/** The pure parts of Create/Delete kind Cluster (no VS Code here, so they are tested alone): pick items, their order, progress text. */
import { kindContext } from '../../providers/kind/kindContext';
import type { KindStage } from '../../providers/kind/kindStages';

/** kind's default cluster name for PodNet. */
export const DEFAULT_KIND_NAME = 'podnet';
/** Where kind documents installing it. */
/** kind's install guide, the page the "kind is not installed" notification opens (the same one the CLI names). */
export { KIND_INSTALL_URL as KIND_INSTALL_GUIDE } from '../../providers/kind/kindPreflight';
/** The button offered when kind is missing. */
export const OPEN_INSTALL_GUIDE = 'Open kind Install Guide';

/** Why a cluster name cannot be used (kind's own rule: lowercase letters, digits and "-", at most 32), or undefined when it can. */
export function clusterNameProblem(name: string, existing: readonly string[] = []): string | undefined {
  if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(name)) return 'Lowercase letters, digits and "-", at most 32, starting and ending with a letter or digit';
  if (existing.includes(name)) return `A kind cluster named "${name}" already exists: pick another name, or delete it first (PodNet: Delete kind Cluster...)`;
  return undefined;
}

/** A network mode offered in the picker, with one line on what it means. */
export interface CniItem {
  label: string;
  description: string;
  detail: string;
  cni: 'kindnet' | 'bridge';
}

/** The two network modes, kind's default first. */
export function cniPickItems(bridgePluginFound: boolean): CniItem[] {
  return [
    { label: 'kindnet', description: "kind's default", detail: 'A ptp veth and a /32 route per Pod on each node, no bridge: the same Pod-to-Pod story without the article\'s cbr0.', cni: 'kindnet' },
    {
      label: 'bridge', description: "the article's cbr0",
      detail: bridgePluginFound
        ? "The CNI bridge plugin on every node (cbr0 with the node's podCIDR) and a route to each other node's Pod CIDR: the article's drawing."
        : 'Needs the CNI bridge plugin on this machine (/usr/lib/cni/bridge or /opt/cni/bin/bridge): apt-get install containernetworking-plugins.',
      cni: 'bridge',
    },
  ];
}

/** A topology offered in the picker: the article's (file undefined) or a file of the workspace. */
export interface TopologyItem {
  label: string;
  description?: string;
  file?: string;
}

/** The article's topology first, then the file of the podnet.defaultTopology setting, then the workspace's other topology files by path. */
export function topologyPickItems(files: readonly string[], relative: (file: string) => string, settingFile?: string): TopologyItem[] {
  const article: TopologyItem = { label: "$(book) The article's cluster", description: '2 workers, pod-a and pod-b on node1, pod-c on node2' };
  const rest = [...new Set(files)].filter((f) => f !== settingFile).sort((a, b) => relative(a).localeCompare(relative(b)));
  const setting = settingFile ? [{ label: `$(file) ${relative(settingFile)}`, description: 'podnet.defaultTopology setting', file: settingFile }] : [];
  return [article, ...setting, ...rest.map((f) => ({ label: `$(file) ${relative(f)}`, file: f }))];
}

/** A kind cluster offered for deletion or for running a lab. */
export interface ClusterItem {
  label: string;
  description?: string;
  name: string;
}

/** The clusters: the one the views show first, then PodNet's default name, then the rest by name. */
export function clusterPickItems(clusters: readonly string[], shownContext?: string): ClusterItem[] {
  const rank = (n: string) => (kindContext(n) === shownContext ? 0 : n === DEFAULT_KIND_NAME ? 1 : 2);
  return [...clusters].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((name) => ({
    label: name,
    description: `${kindContext(name)}${kindContext(name) === shownContext ? ' · shown in the PodNet views' : ''}`,
    name,
  }));
}

/** Turns kind's stage lines and PodNet's steps into the progress notification's messages and increments (out of 100). */
export class CreateProgressText {
  private stagesDone = 0;
  private steps = 0;

  /** kind's own stage line: its name while it runs, a check mark when done. */
  stage(s: KindStage): { message: string; increment: number } {
    if (s.state === 'started') return { message: `kind: ${s.stage}…`, increment: 0 };
    if (s.state === 'failed') return { message: `kind: ✗ ${s.stage} failed`, increment: 0 };
    // kind reports 6-7 stages; together they are about 60% of the work.
    this.stagesDone++;
    return { message: `kind: ✓ ${s.stage}`, increment: this.stagesDone <= 7 ? 60 / 7 : 0 };
  }

  /** One of PodNet's own steps after kind (connect, wire cbr0, start the Pods). */
  step(text: string): { message: string; increment: number } {
    this.steps++;
    return { message: `PodNet: ${text}`, increment: this.steps > 1 && this.steps <= 7 ? 5 : 0 };
  }
}

/** The button that helps with a kind error, if any: kind not installed -> its install guide. */
export function kindErrorAction(message: string): string | undefined {
  return /kind is not installed/.test(message) ? OPEN_INSTALL_GUIDE : undefined;
}
