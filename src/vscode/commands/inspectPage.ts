/** The Inspect Pod Network page as Markdown: IP, node, the veth pair, containers, routes and neighbours. */
import type { LabStatus } from '../../providers/embedded/control/protocol';
import type { NamespaceSnapshot } from '../../snapshot/types';

/** A Markdown table. */
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
