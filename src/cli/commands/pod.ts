/** `podnet pod create|delete`: add a Pod to the running lab or remove one (its IP is released). */
import type { PodRequest } from '../../providers/embedded/control/protocol';
import { requireLab } from '../../providers/embedded/launcher';
import { labName, parse } from '../args';
import { UsageError } from '../cliError';
import type { ClusterSelection } from '../clusterArgs';
import { withProvider } from '../clusterProvider';

/** Help text of `podnet pod`. */
export const POD_HELP = `Usage:
  podnet pod create NAME --node NODE [--container NAME[:WORKLOAD[:PORT]]]...
  podnet pod delete NAME

On a cluster (--context CTX): only Pods PodNet makes (label app.kubernetes.io/managed-by=podnet-lab, namespace
default, agnhost like \`podnet kind create\`); NODE may be a topology node (node1) of a PodNet kind cluster.
Any other Pod stays read-only.

Workloads: web (HTTP on 8080 by default, answers with its Pod name, IP and the source it saw),
sidecar (asks its Pod's web container over localhost), sleep.

Examples:
  podnet pod create web-2 --node node2
  podnet pod create duo --node node1 --container web --container helper:sidecar
  podnet pod delete pod-c`;

/** Parses `NAME[:WORKLOAD[:PORT]]`. */
export function parseContainerFlag(value: string): NonNullable<PodRequest['containers']>[number] {
  const [name, workload, port, ...rest] = value.split(':');
  if (rest.length || !name) throw new UsageError(`--container "${value}" should look like NAME[:WORKLOAD[:PORT]]`, POD_HELP);
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError(`--container "${value}": port "${port}" is not a number`, POD_HELP);
  const p = port === undefined ? undefined : Number(port);
  return { name, ...(workload ? { workload: workload as 'web' } : {}), ...(p !== undefined ? { port: p } : {}) };
}

/** Creates or deletes a PodNet Pod on a cluster through the kube provider and says what happened. */
async function onCluster(sel: ClusterSelection, sub: 'create' | 'delete', req: PodRequest, json: boolean): Promise<number> {
  return withProvider(sel, undefined, async (p) => {
    if (sub === 'delete') {
      const res = await p.deletePod(req.name);
      console.log(`pod/${res.name} deleted; its IP ${res.ip} is free again`);
      return 0;
    }
    const pod = await p.addPod(req);
    if (json) console.log(JSON.stringify(pod, null, 2));
    else console.log(`pod/${pod.name} created on ${pod.node} with IP ${pod.ip}`);
    return 0;
  }, { watchAll: true });
}

/** Options of `podnet pod` (the lab-pack action policy reads them too). */
export const POD_OPTIONS = { node: { type: 'string' }, container: { type: 'string', multiple: true }, output: { type: 'string', short: 'o' } } as const;

/** Runs `podnet pod ...` on the embedded lab, or (with a cluster selection) on PodNet's own Pods of a cluster. */
export async function podCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, POD_OPTIONS, POD_HELP);
  if (values.help) return void console.log(POD_HELP), 0;
  const [sub, name, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, POD_HELP);
  if (sub !== 'create' && sub !== 'delete') throw new UsageError(sub ? `unknown pod command "${sub}"` : 'missing pod command (create or delete)', POD_HELP);
  if (!name) throw new UsageError(`missing the Pod NAME to ${sub}`, POD_HELP);
  if (sub === 'create' && !values.node) throw new UsageError('pod create needs --node NODE', POD_HELP);
  if (cluster) return onCluster(cluster, sub, { name, node: values.node ?? '', containers: values.container?.map(parseContainerFlag) }, values.output === 'json');
  const client = await requireLab(labName(values.lab));
  try {
    if (sub === 'create') {
      const pod = await client.call('addPod', { name, node: values.node as string, containers: values.container?.map(parseContainerFlag) });
      if (values.output === 'json') console.log(JSON.stringify(pod, null, 2));
      else {
        // Where the host end of the veth sits depends on the node's CNI: a bridge port, or a routed ptp end.
        const node = (await client.call('status', {})).nodes.find((n) => n.name === pod.node);
        const where = node?.bridge ? `on ${node.bridge}` : `routed by a /32 route on ${pod.node}, no bridge (ptp)`;
        console.log(`pod/${pod.name} created on ${pod.node} with IP ${pod.ip} (veth ${pod.hostVeth} ${where})`);
      }
    } else {
      const res = await client.call('deletePod', { name });
      console.log(`pod/${res.name} deleted; its IP ${res.ip} went back to the node's pool`);
    }
  } finally {
    client.close();
  }
  return 0;
}
