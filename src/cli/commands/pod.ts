/** `podnet pod create|delete`: add a Pod to the running lab or remove one (its IP is released). */
import type { PodRequest } from '../../providers/embedded/control/protocol';
import { requireLab } from '../../providers/embedded/launcher';
import { labName, parse } from '../args';
import { UsageError } from '../cliError';
import type { ClusterSelection } from '../clusterArgs';
import { withProvider } from '../clusterProvider';
import { formatLabels, parseLabels } from '../labelArgs';

/** Help text of `podnet pod`. */
export const POD_HELP = `Usage:
  podnet pod create NAME --node NODE [--container NAME[:WORKLOAD[:PORT]]]... [--label KEY=VALUE]...
  podnet pod delete NAME

--label KEY=VALUE (repeatable, or several joined by commas) gives the Pod Kubernetes labels: a Service
whose --selector they match sends traffic to it (podnet get pods --show-labels lists them).

On a cluster (--context CTX): only Pods PodNet makes (label app.kubernetes.io/managed-by=podnet-lab, namespace
default, agnhost like \`podnet kind create\`); NODE may be a topology node (node1) of a PodNet kind cluster.
Any other Pod stays read-only.

Workloads: web (HTTP on 8080 by default, answers with its Pod name, IP and the source it saw),
sidecar (asks its Pod's web container over localhost), sleep.

Examples:
  podnet pod create web-2 --node node2 --label app=web
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
export const POD_OPTIONS = {
  node: { type: 'string' }, container: { type: 'string', multiple: true }, output: { type: 'string', short: 'o' }, label: { type: 'string', multiple: true },
} as const;

/** The labels of every `--label K=V[,K=V]` given (a key given twice is an error), or undefined without any. */
export function labelsFrom(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const labels: Record<string, string> = {};
  for (const v of values) parseLabels(v, '--label', POD_HELP, labels);
  return labels;
}

/** Runs `podnet pod ...` on the embedded lab, or (with a cluster selection) on PodNet's own Pods of a cluster. */
export async function podCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, POD_OPTIONS, POD_HELP);
  if (values.help) return void console.log(POD_HELP), 0;
  const [sub, name, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, POD_HELP);
  if (sub !== 'create' && sub !== 'delete') throw new UsageError(sub ? `unknown pod command "${sub}"` : 'missing pod command (create or delete)', POD_HELP);
  if (!name) throw new UsageError(`missing the Pod NAME to ${sub}`, POD_HELP);
  if (sub === 'create' && !values.node) throw new UsageError('pod create needs --node NODE', POD_HELP);
  if (sub === 'delete' && values.label) throw new UsageError('--label is for pod create', POD_HELP);
  const labels = labelsFrom(values.label);
  const req: PodRequest = { name, node: values.node ?? '', containers: values.container?.map(parseContainerFlag), ...(labels ? { labels } : {}) };
  if (cluster) return onCluster(cluster, sub, req, values.output === 'json');
  const client = await requireLab(labName(values.lab));
  try {
    if (sub === 'create') {
      const pod = await client.call('addPod', req);
      if (values.output === 'json') console.log(JSON.stringify(pod, null, 2));
      else {
        // Where the host end of the veth sits depends on the node's CNI: a bridge port, or a routed ptp end.
        const node = (await client.call('status', {})).nodes.find((n) => n.name === pod.node);
        const where = node?.bridge ? `on ${node.bridge}` : `routed by a /32 route on ${pod.node}, no bridge (ptp)`;
        const labelled = pod.labels && Object.keys(pod.labels).length ? `, labels ${formatLabels(pod.labels)}` : '';
        console.log(`pod/${pod.name} created on ${pod.node} with IP ${pod.ip} (veth ${pod.hostVeth} ${where})${labelled}`);
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
