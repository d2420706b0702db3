/** Inspect Pod Network...: one read-only page with a Pod's IP, node, veth pair, bridge, routes and neighbours. */
import * as vscode from 'vscode';
import type { LabStatus } from '../../providers/embedded/control/protocol';
import type { NamespaceSnapshot } from '../../snapshot/types';
import { guarded } from '../errors';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { pickEndpoint } from './pickers';

/** URI scheme of the generated inspection pages. */
export const INSPECT_SCHEME = 'podnet-inspect';

function table(headers: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** The inspection page for one Pod as Markdown. */
export function inspectMarkdown(st: LabStatus, podName: string, podNs: NamespaceSnapshot | undefined, nodeNs: NamespaceSnapshot | undefined): string {
  const pod = st.pods.find((p) => p.name === podName);
  if (!pod) return `# ${podName}\n\nThis Pod is not in the lab any more.`;
  const node = st.nodes.find((n) => n.name === pod.node);
  const veth = nodeNs?.links.find((l) => l.name === pod.hostVeth);
  const eth0 = podNs?.links.find((l) => l.name === 'eth0');
  const lines = [
    `# Pod ${pod.name}`,
    '',
    `**${pod.ip}/${pod.prefixLength}** on node **${pod.node}** (${node?.ip ?? '?'}), status ${pod.status}. Gateway ${pod.gateway || node?.bridgeIP || '?'}.`,
    '',
    '## The veth pair',
    '',
    table(['end', 'namespace', 'interface', 'ifindex', 'MAC', 'MTU', 'state', 'bridge'], [
      ['Pod side', `pod/${pod.name}`, 'eth0', String(eth0?.ifindex ?? ''), eth0?.mac ?? pod.mac, String(eth0?.mtu ?? ''), eth0?.state ?? '', ''],
      ['node side', `node/${pod.node}`, pod.hostVeth || '(none)', String(veth?.ifindex ?? ''), veth?.mac ?? '', String(veth?.mtu ?? ''), veth?.state ?? '', veth?.master ?? (node?.bridge || 'none: routed (ptp)')],
    ]),
    '',
    '## Containers (one network namespace, one IP)',
    '',
    table(['container', 'workload', 'port', 'state'], pod.containers.map((c) => [c.name, c.workload, c.port ? String(c.port) : '', c.state])),
    '',
    `## Routes in ${pod.name}`,
    '',
    table(['destination', 'via', 'dev', 'table'], (podNs?.routes ?? []).filter((r) => r.table === 'main').map((r) => [r.dst === '0.0.0.0/0' ? 'default' : r.dst, r.gateway ?? '', r.dev ?? '', r.table])),
    '',
    `## Neighbours of ${pod.name}`,
    '',
    table(['IP', 'MAC', 'dev', 'state'], (podNs?.neighbors ?? []).map((n) => [n.ip, n.mac ?? '', n.dev, n.state.join(',')])),
    '',
    `## Routes on ${pod.node}`,
    '',
    table(['destination', 'via', 'dev'], (nodeNs?.routes ?? []).filter((r) => r.table === 'main').map((r) => [r.dst === '0.0.0.0/0' ? 'default' : r.dst, r.gateway ?? '', r.dev ?? ''])),
  ];
  return `${lines.join('\n')}\n`;
}

/** Serves the inspection pages (regenerated each time they are opened). */
class InspectProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: LabSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const st = this.session.status;
    const pod = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    if (!st) return '# No lab\n\nStart a lab or open a snapshot first.';
    const info = st.pods.find((p) => p.name === pod);
    const [podNs, nodeNs] = await Promise.all([this.session.namespace(`pod/${pod}`), info ? this.session.namespace(`node/${info.node}`) : undefined]);
    return inspectMarkdown(st, pod, podNs, nodeNs);
  }
}

/** Registers podnet.inspectPod and its page provider. */
export function registerInspectCommand(context: vscode.ExtensionContext, session: LabSession): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectProvider(session)),
    vscode.commands.registerCommand('podnet.inspectPod', (el?: NetElement) => guarded('Could not inspect the Pod', async () => {
      const pod = el?.kind === 'pod' || el?.kind === 'container' ? el.pod : (await pickEndpoint(session, 'Inspect Pod Network: which Pod?', ['pod']))?.name;
      if (!pod) return;
      const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${encodeURIComponent(pod)}.md`, query: String(Date.now()) });
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    })),
  );
}
