/** `podnet get pods|nodes`: list what the lab runs, like kubectl get. */
import type { LabStatus, NodeInfo, PodInfo, ServiceInfo } from '../../providers/embedded/control/protocol';
import { requireLab } from '../../providers/embedded/launcher';
import { labName, outputFormat, parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { connectCluster } from '../clusterProvider';
import { formatLabels } from '../labelArgs';
import { table } from '../table';
import { printClusterItems } from './getCluster';
import { printServices, selectServices, type ServiceListKind } from './getServices';

/** Help text of `podnet get`. */
export const GET_HELP = `Usage:
  podnet get pods  [-o wide|json] [--show-labels]  NAME READY STATUS IP NODE (wide adds containers, host veth, MAC, age)
  podnet get nodes [-o wide|json]   NAME IP POD-CIDR BRIDGE (wide adds CNI, SUBNET, VTEP, the wire port)
  podnet get svc [NAME] [-o wide|json]        NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (wide adds SELECTOR)
  podnet get endpoints [NAME] [-o wide|json]  NAME ENDPOINTS AGE: the ready Pods' IP:PORT (wide adds PODS, NOT-READY)

--show-labels adds a LABELS column (what a Service's --selector matches). svc is short for services,
ep for endpoints; -o json prints the Services with their endpoints.

On a cluster (--context CTX), the columns are kubectl's:
  podnet get pods  [-o wide|json] [-n NS | -A] --context CTX   [NAMESPACE] NAME READY STATUS RESTARTS AGE (wide: IP NODE)
  podnet get nodes [-o wide|json] --context CTX                NAME STATUS ROLES AGE (wide: INTERNAL-IP POD-CIDR ACCESS)
  podnet get svc|endpoints [-n NS | -A] --context CTX          [NAMESPACE] and the columns above
json prints a plain array of the Pods, Nodes or Services as PodNet read them from the API.

${CLUSTER_OPTIONS_HELP}`;

function age(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** The Pods as a kubectl-style table; `showLabels` adds LABELS (`k=v` sorted by key, or `<none>`) like kubectl's --show-labels. */
export function podsTable(pods: PodInfo[], wide: boolean, showLabels = false): string {
  const headers = ['NAME', 'READY', 'STATUS', 'IP', 'NODE', ...(wide ? ['AGE', 'CONTAINERS', 'HOST-VETH', 'MAC'] : []), ...(showLabels ? ['LABELS'] : [])];
  const rows = pods.map((p) => {
    const ready = `${p.containers.filter((c) => c.state === 'running').length}/${p.containers.length}`;
    const base = [p.name, ready, p.status, p.ip || '<none>', p.node];
    const more = wide ? [age(p.createdAt), p.containers.map((c) => (c.port ? `${c.name}:${c.port}` : c.name)).join(','), p.hostVeth, p.mac] : [];
    return [...base, ...more, ...(showLabels ? [formatLabels(p.labels)] : [])];
  });
  return table(headers, rows);
}

/** The nodes as a table; wide adds how each wires its Pods (CNI), its subnet, its VXLAN tunnel end (VTEP) and its wire port. */
export function nodesTable(nodes: NodeInfo[], wide: boolean): string {
  const headers = ['NAME', 'IP', 'POD-CIDR', 'BRIDGE', ...(wide ? ['CNI', 'SUBNET', 'VTEP', 'WIRE-PORT'] : [])];
  return table(headers, nodes.map((n) => {
    const bridge = n.bridge ? `${n.bridge} ${n.bridgeIP}` : `none (gateway ${n.bridgeIP})`;
    const vtep = n.vtep ? `${n.vtep.dev} ${n.vtep.mac} VNI ${n.vtep.vni} UDP ${n.vtep.port}` : '<none>';
    return [n.name, n.ip, n.podCIDR, bridge, ...(wide ? [n.cni, n.subnet ?? '<none>', vtep, n.wirePort] : [])];
  }));
}

/** Lines about the machines on the node network that are no nodes (the outside client, the router), for below the nodes table. */
export function otherMachinesLines(st: Pick<LabStatus, 'client' | 'router'>): string[] {
  const lines: string[] = [];
  if (st.client) lines.push(`outside client ${st.client.name}: eth0 ${st.client.ip}, not a node (no route to any Pod or Service range); podnet exec --client`);
  if (st.router) {
    const ifs = st.router.interfaces.map((i) => `${i.ifname} ${i.ip} (${i.subnet})`).join(', ');
    lines.push(`router ${st.router.name}: ${ifs}, forwards between the node subnets and knows no Pod CIDR; podnet exec --router`);
  }
  return lines;
}

/** Options of `podnet get` (the lab-pack action policy reads them too). */
export const GET_OPTIONS = { output: { type: 'string', short: 'o' }, 'show-labels': { type: 'boolean' } } as const;

const KINDS: Record<string, GetKind> = {
  pod: 'pods', pods: 'pods', po: 'pods', node: 'nodes', nodes: 'nodes', no: 'nodes',
  svc: 'services', service: 'services', services: 'services', ep: 'endpoints', endpoint: 'endpoints', endpoints: 'endpoints',
};

/** What `podnet get` lists. */
export type GetKind = 'pods' | 'nodes' | ServiceListKind;

/** The kind `what` names (kubectl's names and short names: po, no, svc, ep), or undefined for anything else. */
export const getKindNamed = (what: string | undefined): GetKind | undefined => (what === undefined || !Object.hasOwn(KINDS, what) ? undefined : KINDS[what]);

/** The kind `what` names, or a UsageError saying what can be listed. */
export function getKindOf(what: string | undefined): GetKind {
  const kind = getKindNamed(what);
  if (!kind) throw new UsageError(what ? `cannot get "${what}" (use pods, nodes, svc or endpoints)` : 'missing what to get (pods, nodes, svc or endpoints)', GET_HELP);
  return kind;
}

/** A backend that reports no Services list (an older lab, or a cluster whose Services could not be read) says so on stderr. */
function servicesOf(st: LabStatus): ServiceInfo[] {
  if (!st.services) console.error('podnet: this backend reported no Services list (a lab started by an older podnet, or a cluster whose Services could not be read)');
  return st.services ?? [];
}

async function getOnCluster(cluster: ClusterSelection, kind: GetKind, name: string | undefined, format: Format, showLabels: boolean): Promise<void> {
  const kube = await connectCluster(cluster, { quiet: true });
  try {
    if (kind === 'pods' || kind === 'nodes') return printClusterItems(kube, kind, format, cluster.allNamespaces, showLabels);
    const list = selectServices(servicesOf(await kube.status()), name);
    printServices(list, kind, format, { allNamespaces: cluster.allNamespaces, onCluster: true, namespace: kube.source.namespace });
  } finally {
    await kube.closeAndWait();
  }
}

type Format = 'text' | 'wide' | 'json';

function printLab(st: LabStatus, kind: GetKind, name: string | undefined, format: Format, showLabels: boolean): void {
  if (kind === 'services' || kind === 'endpoints') {
    return printServices(selectServices(servicesOf(st), name), kind, format, { allNamespaces: false, onCluster: false });
  }
  if (format === 'json') return void console.log(JSON.stringify(kind === 'pods' ? st.pods : st.nodes, null, 2));
  if (kind === 'pods') return void console.log(podsTable(st.pods, format === 'wide', showLabels));
  console.log([nodesTable(st.nodes, format === 'wide'), ...otherMachinesLines(st)].join('\n'));
}

/** Runs `podnet get ...`. */
export async function getCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, GET_OPTIONS, GET_HELP);
  if (values.help) return void console.log(GET_HELP), 0;
  const [what, name, ...extra] = positionals;
  const kind = getKindOf(what);
  const named = kind === 'services' || kind === 'endpoints';
  if (extra.length || (name !== undefined && !named)) throw new UsageError(`unexpected argument "${named ? extra[0] : name}"`, GET_HELP);
  const format = outputFormat(values.output, ['text', 'wide', 'json'] as const, 'text');
  const showLabels = values['show-labels'] === true;
  if (showLabels && kind !== 'pods') throw new UsageError('--show-labels is for podnet get pods', GET_HELP);
  if (cluster) {
    if (values.lab !== undefined) throw new UsageError('--lab names an embedded lab; --context/--kubeconfig a cluster: use one of them', GET_HELP);
    await getOnCluster(cluster, kind, name, format, showLabels);
    return 0;
  }
  const client = await requireLab(labName(values.lab));
  const st = await client.call('status', {}).finally(() => client.close());
  printLab(st, kind, name, format, showLabels);
  return 0;
}
