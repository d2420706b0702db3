/** `podnet trace FROM TO`: predict a packet's path from the tables, then prove it with a real probe. */
import { readFileSync } from 'node:fs';
import { KubeProvider } from '../../providers/kube/kubeProvider';
import { nodeAliases } from '../../providers/kube/toLabStatus';
import { parseSnapshot } from '../../snapshot/validate';
import { traceExitCode } from '../../tracer/exitCode';
import { formatTrace } from '../../tracer/format';
import { predictTrace } from '../../tracer/predict';
import { traceLive } from '../../tracer/runTrace';
import type { TraceProto, TraceRequest, TraceResult } from '../../tracer/types';
import { parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { homeNamespace, requireNodeAccess, withProvider } from '../clusterProvider';

/** Help text of `podnet trace`. */
export const TRACE_HELP = `Usage:
  podnet trace FROM TO [--proto icmp|tcp|udp] [--port N] [--json] [--no-verify] [--snapshot FILE]

FROM is a Pod or node (or the outside client, the router, the Docker-style host or one of its
containers); TO is any of those, a Service (NAME, svc/NAME or its CLUSTER-IP) or an IP, optionally
with :PORT (pod-c:8080 is the same as pod-c --port 8080; a Service's own port is the default).
The path is predicted hop by hop from each namespace's own routes, rules, neighbours, bridge FDB
and nftables rules (kube-proxy's Service rules too: the hop that DNATs names the Service, the rule
and every candidate endpoint), every routing decision is checked against the kernel's
\`ip route get\`, then a real probe (ICMP echo, an HTTP GET for tcp, a datagram for udp) is sent and observed in
every namespace on the path with nftables tracing, which shows the endpoint the probe got.

Options:
  --proto      icmp (default), tcp or udp; a port implies tcp, or udp for a UDP Service or NodePort
  --port N     destination port (default 8080 for tcp/udp)
  --no-verify  predict only; send nothing
  --snapshot   predict on a snapshot file (podnet snapshot -o FILE) instead of the running lab
  --json       the whole result as JSON

Exit codes: 0 delivered and answered (as observed; with --no-verify: as predicted, there and
back), 4 not delivered or not answered (refused, reset, unreachable, no reply, the reply cannot
return), 5 observation differs from the prediction, 1 error, 2 usage.

Examples:
  podnet trace pod-a pod-c
  podnet trace pod-a pod-c --proto tcp --port 8080
  podnet trace pod-a pod-c:8080
  podnet trace pod-a 10.244.9.9 --no-verify
  podnet trace pod-a web                      a Service: DNAT to one of its endpoints, source kept
  podnet trace outside 192.168.1.100:30080    a NodePort from the outside client

On a cluster (--context CTX), FROM and TO are NAMESPACE/POD, POD (in the context's namespace, or -n NS),
a node name or an IP. The probe and the nft tracing run in the node and Pod namespaces through the node
access (kind node containers, or --debug-pods); where nft cannot run, the trace says it is predicted only.
  podnet trace default/pod-a default/pod-c --context kind-lab
  podnet trace pod-a kind-worker2 --context kind-lab

${CLUSTER_OPTIONS_HELP}`;

function protoOf(value: string | undefined, port: number | undefined): TraceProto | undefined {
  // No --proto: the tracer picks it (a UDP Service's or NodePort's protocol, else TCP with a port, ICMP without).
  if (value === undefined) return undefined;
  if (value === 'icmp' || value === 'tcp' || value === 'udp') {
    if (value === 'icmp' && port !== undefined) throw new UsageError('--port makes no sense with --proto icmp', TRACE_HELP);
    return value;
  }
  throw new UsageError(`--proto ${value} is not supported (use icmp, tcp or udp)`, TRACE_HELP);
}

/**
 * On a cluster, a bare Pod name means that Pod in the chosen namespace (nodes and IPs stay as typed; a topology node alias
 * becomes its worker's name), and a hostNetwork
 * Pod means its node: it has no network namespace of its own.
 */
function qualify(kube: KubeProvider, req: TraceRequest, ns: string | undefined): TraceRequest {
  const nodes = new Set(kube.nodes().map((n) => n.name));
  const one = (typed: string): string => {
    const [, text, port = ''] = /^(.*?)(:\d+)?$/.exec(typed)!; // NAME:PORT keeps its port on the qualified name
    if (nodes.has(text) || /^\d+\.\d+\.\d+\.\d+$/.test(text)) return typed;
    // A topology node (node1 on a PodNet kind cluster) is the worker labelled for it, unless a Pod has that name.
    const aliased = kube.nodes().find((n) => nodeAliases(n).includes(text));
    if (aliased && !kube.pods().some((p) => p.name === text)) return `${aliased.name}${port}`;
    const name = ns && !text.includes('/') ? `${ns}/${text}` : text;
    const hostPod = kube.pods().find((p) => p.hostNetwork && p.node && (`${p.namespace}/${p.name}` === name || (!name.includes('/') && p.name === name)));
    return `${hostPod ? hostPod.node : name}${port}`;
  };
  return { ...req, from: one(req.from), to: one(req.to) };
}


/** Options of `podnet trace` (the lab-pack action policy reads them too). */
export const TRACE_OPTIONS = {
  proto: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' }, 'no-verify': { type: 'boolean' }, snapshot: { type: 'string' },
} as const;

/** Runs `podnet trace ...`. */
export async function traceCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, TRACE_OPTIONS, TRACE_HELP);
  if (values.help) return void console.log(TRACE_HELP), 0;
  const [from, to, ...extra] = positionals;
  if (!from || !to) throw new UsageError('trace needs FROM and TO', TRACE_HELP);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, TRACE_HELP);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || port! < 1 || port! > 65535)) throw new UsageError(`--port ${values.port} must be a number from 1 to 65535`, TRACE_HELP);
  const typedPort = /:(\d+)$/.exec(to)?.[1];
  if (port !== undefined && typedPort !== undefined && Number(typedPort) !== port) throw new UsageError(`${to} and --port ${port} name different ports: give one`, TRACE_HELP);
  const req = { from, to, proto: protoOf(values.proto, port ?? (typedPort === undefined ? undefined : Number(typedPort))), port };
  let result: TraceResult;
  let note = '';
  if (values.snapshot && cluster) throw new UsageError('--snapshot predicts on a file: drop --context/--kubeconfig', TRACE_HELP);
  if (values.snapshot) {
    let text: string;
    try {
      text = readFileSync(values.snapshot, 'utf8');
    } catch (e) {
      throw new UsageError(`--snapshot ${values.snapshot}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    result = predictTrace(parseSnapshot(text, values.snapshot), req);
    note = `(prediction from the snapshot ${values.snapshot}; nothing was sent)`;
  } else {
    ({ result, note } = await withProvider(cluster, values.lab, async (lab) => {
      requireNodeAccess(lab, 'a trace');
      const live = await traceLive(lab, lab instanceof KubeProvider && cluster ? qualify(lab, req, homeNamespace(cluster)) : req, { verify: !values['no-verify'] });
      const t = live.timings;
      const predictedOnly = live.result.warnings.some((w) => w.startsWith('predicted only'));
      const probe = t.verifyMs === undefined ? '; --no-verify: nothing was sent' : predictedOnly ? `, probe not observed: predicted only` : `, probe ${t.verifyMs} ms`;
      return { result: live.result, note: `(snapshot ${t.snapshotMs} ms, prediction ${t.predictMs} ms, kernel check ${t.kernelMs} ms${probe})` };
    }, { watchAll: true }));
  }
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`${formatTrace(result)}\n${note}`);
  return traceExitCode(result);
}
