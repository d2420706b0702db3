/** `podnet get pods|nodes`: list what the lab runs, like kubectl get. */
import type { NodeInfo, PodInfo } from '../../providers/embedded/control/protocol';
import { requireLab } from '../../providers/embedded/launcher';
import { labName, outputFormat, parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { connectCluster } from '../clusterProvider';
import { table } from '../table';
import { printClusterItems } from './getCluster';

/** Help text of `podnet get`. */
export const GET_HELP = `Usage:
  podnet get pods  [-o wide|json]   NAME READY STATUS IP NODE (wide adds containers, host veth, MAC, age)
  podnet get nodes [-o wide|json]   NAME IP POD-CIDR BRIDGE (wide adds the wire port)

On a cluster (--context CTX), the columns are kubectl's:
  podnet get pods  [-o wide|json] [-n NS | -A] --context CTX   [NAMESPACE] NAME READY STATUS RESTARTS AGE (wide: IP NODE)
  podnet get nodes [-o wide|json] --context CTX                NAME STATUS ROLES AGE (wide: INTERNAL-IP POD-CIDR ACCESS)
json prints a plain array of the Pods or Nodes as PodNet read them from the API.

${CLUSTER_OPTIONS_HELP}`;

function age(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** The Pods as a kubectl-style table. */
export function podsTable(pods: PodInfo[], wide: boolean): string {
  const headers = ['NAME', 'READY', 'STATUS', 'IP', 'NODE', ...(wide ? ['AGE', 'CONTAINERS', 'HOST-VETH', 'MAC'] : [])];
  const rows = pods.map((p) => {
    const ready = `${p.containers.filter((c) => c.state === 'running').length}/${p.containers.length}`;
    const base = [p.name, ready, p.status, p.ip || '<none>', p.node];
    return wide ? [...base, age(p.createdAt), p.containers.map((c) => (c.port ? `${c.name}:${c.port}` : c.name)).join(','), p.hostVeth, p.mac] : base;
  });
  return table(headers, rows);
}

/** The nodes as a table. */
export function nodesTable(nodes: NodeInfo[], wide: boolean): string {
  const headers = ['NAME', 'IP', 'POD-CIDR', 'BRIDGE', ...(wide ? ['WIRE-PORT'] : [])];
  return table(headers, nodes.map((n) => [n.name, n.ip, n.podCIDR, `${n.bridge} ${n.bridgeIP}`, ...(wide ? [n.wirePort] : [])]));
}

/** Options of `podnet get` (the lab-pack action policy reads them too). */
export const GET_OPTIONS = { output: { type: 'string', short: 'o' } } as const;

/** Runs `podnet get ...`. */
export async function getCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, GET_OPTIONS, GET_HELP);
  if (values.help) return void console.log(GET_HELP), 0;
  const [what, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, GET_HELP);
  const format = outputFormat(values.output, ['text', 'wide', 'json'] as const, 'text');
  const kind = what === 'pod' || what === 'pods' || what === 'po' ? 'pods' : what === 'node' || what === 'nodes' || what === 'no' ? 'nodes' : undefined;
  if (!kind) throw new UsageError(what ? `cannot get "${what}" (use pods or nodes)` : 'missing what to get (pods or nodes)', GET_HELP);
  if (cluster) {
    if (values.lab !== undefined) throw new UsageError('--lab names an embedded lab; --context/--kubeconfig a cluster: use one of them', GET_HELP);
    const kube = await connectCluster(cluster, { quiet: true });
    try {
      printClusterItems(kube, kind, format, cluster.allNamespaces);
    } finally {
      await kube.closeAndWait();
    }
    return 0;
  }
  const client = await requireLab(labName(values.lab));
  const st = await client.call('status', {}).finally(() => client.close());
  const items = kind === 'pods' ? st.pods : st.nodes;
  if (format === 'json') console.log(JSON.stringify(items, null, 2));
  else console.log(kind === 'pods' ? podsTable(st.pods, format === 'wide') : nodesTable(st.nodes, format === 'wide'));
  return 0;
}
