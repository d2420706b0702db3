/** `podnet exec`: run a command inside a Pod (optionally one container), a node, the wire or the Docker host and its containers, with the terminal attached. */
import type { ExecRoute, ExecTarget } from '../../providers/embedded/control/protocol';
import { requireLab } from '../../providers/embedded/launcher';
import { findExecutable } from '../../providers/embedded/tools';
import { runAttached, ToolMissingError } from '../../util/exec';
import { labName, parse, splitAtDoubleDash } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { homeNamespace, withProvider } from '../clusterProvider';

/** Help text of `podnet exec`. */
export const EXEC_HELP = `Usage:
  podnet exec POD [-c CONTAINER] -- COMMAND [ARG...]   run in a Pod's network namespace (as its container)
  podnet exec --node NODE -- COMMAND [ARG...]          run in a node's network namespace
  podnet exec --wire -- COMMAND [ARG...]               run on the physical network between the nodes
  podnet exec --client -- COMMAND [ARG...]             run on the outside client: a machine on the node network
                                                       that is no node (topology \`client:\`), like your laptop
  podnet exec --router -- COMMAND [ARG...]             run on the router between the node subnets (network.subnets)
  podnet exec --docker-host -- COMMAND [ARG...]        run on the Docker host (lab up --with-docker-host)
  podnet exec --docker-container NAME -- COMMAND...    run in a container behind the Docker host's NAT

Options:
  --timeout SECONDS   kill the command after this long (default: none on a terminal, 600 otherwise)

Examples:
  podnet exec pod-a -- ip addr
  podnet exec pod-a -c sidecar -- busybox wget -qO- http://127.0.0.1:8080/
  podnet exec --node node1 -- ip route
  podnet exec --docker-host -- nft list ruleset
  podnet exec --docker-container web-a -- busybox ping -c1 192.168.1.100
  podnet exec --client -- busybox wget -qO- http://192.168.1.100:30080/

On a cluster (--context CTX), POD is NAMESPACE/POD or POD (in the context's namespace, or -n NS), and
the command runs in the Pod's (or node's) network namespace, entered from its node through the node
access (kind node containers, or --debug-pods), with the node's tools: Pods without a shell work too.
Output is collected, then printed (no terminal is attached); -i/--stdin passes stdin on, like kubectl exec -i.
  podnet exec default/pod-a --context kind-lab -- ip -br addr
  podnet exec --node kind-worker --context kind-lab -- ip route

${CLUSTER_OPTIONS_HELP}`;

/** argv that joins the lab's sandbox, then the target's namespaces, then runs `argv`. */
export function joinArgv(nsenter: string, route: ExecRoute, argv: string[]): string[] {
  const sandbox = route.rootless ? ['--user', '--preserve-credentials'] : [];
  const mounts = route.mntns ? [`--mount=${route.mntns}`] : [];
  return [nsenter, '-t', String(route.sandboxPid), ...sandbox, '--mount', '--pid', '--', nsenter, `--net=${route.netns}`, `--uts=${route.utsns}`, ...mounts, '--', ...(route.confine ?? []), ...argv];
}

type TargetOptions = { node?: string; wire?: boolean; container?: string; 'docker-host'?: boolean; 'docker-container'?: string; client?: boolean; router?: boolean };

/** The sentence naming every exec target, for the error when none or several are given. */
export const EXEC_TARGETS = 'a POD, --node NODE, --wire, --client, --router, --docker-host or --docker-container NAME';

/** The namespace the exec options name; exactly one target must be given. */
export function targetFrom(values: TargetOptions, positionals: string[]): ExecTarget {
  const dockerContainer = values['docker-container'];
  const flags = [values.wire, values['docker-host'], values.client, values.router].filter((f) => f === true).length;
  const chosen = flags + [values.node !== undefined, dockerContainer !== undefined, positionals.length > 0].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError(`name exactly one target: ${EXEC_TARGETS}`, EXEC_HELP);
  if (values.container !== undefined && positionals.length === 0) throw new UsageError('-c/--container needs a POD', EXEC_HELP);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" (put the command after --)`, EXEC_HELP);
  if (values.node !== undefined) return { kind: 'node', node: values.node };
  if (values.wire) return { kind: 'wire' };
  if (values.client) return { kind: 'client' };
  if (values.router) return { kind: 'router' };
  if (values['docker-host']) return { kind: 'dockerHost' };
  if (dockerContainer !== undefined) return { kind: 'dockerContainer', container: dockerContainer };
  return { kind: 'pod', pod: positionals[0], container: values.container };
}

/** A bare Pod name on a cluster means that Pod in the -n namespace or the context's (with -A: its one namespace). */
function qualifyPod(target: ExecTarget, cluster: ClusterSelection): ExecTarget {
  if (target.kind !== 'pod' || target.pod.includes('/')) return target;
  const ns = homeNamespace(cluster);
  return ns === undefined ? target : { ...target, pod: `${ns}/${target.pod}` };
}

/** Reads stdin to the end (for -i). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs argv in a cluster Pod or node through the provider and prints what it printed; resolves with its exit code. */
async function execOnCluster(
  cluster: ClusterSelection, lab: string | undefined, target: ExecTarget, argv: string[], timeoutSec: number, withStdin: boolean,
): Promise<number> {
  if (target.kind === 'pod' && target.container !== undefined) {
    // Every container of a Pod shares one network namespace; say so instead of pretending to enter one container.
    process.stderr.write(`podnet: on a cluster the command runs in the Pod's network namespace with the node's tools; -c ${target.container} changes nothing\n`);
  }
  const input = withStdin ? await readStdin() : undefined;
  const res = await withProvider(cluster, lab, (p) => p.exec(target, argv, { timeoutMs: (timeoutSec || 600) * 1000, input }), { watchAll: true });
  process.stdout.write(res.stdout);
  process.stderr.write(res.stderr);
  return res.timedOut ? 124 : res.code;
}

/** Options of `podnet exec` (the lab-pack action policy reads them too). */
export const EXEC_OPTIONS = {
  container: { type: 'string', short: 'c' }, node: { type: 'string' }, wire: { type: 'boolean' }, 'docker-host': { type: 'boolean' },
  'docker-container': { type: 'string' }, timeout: { type: 'string' }, stdin: { type: 'boolean', short: 'i' },
  client: { type: 'boolean' }, router: { type: 'boolean' },
} as const;

/** Runs `podnet exec ...` and returns the command's own exit code. */
export async function execCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { before, after } = splitAtDoubleDash(argv);
  const { values, positionals } = parse(before, EXEC_OPTIONS, EXEC_HELP);
  if (values.help) return void console.log(EXEC_HELP), 0;
  if (!after || after.length === 0) throw new UsageError('missing the command to run after --', EXEC_HELP);
  const target = targetFrom(values, positionals);
  const timeoutSec = values.timeout === undefined ? (process.stdin.isTTY ? 0 : 600) : Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec < 0) throw new UsageError(`--timeout ${values.timeout} is not a number of seconds`);
  if (cluster) return execOnCluster(cluster, values.lab, qualifyPod(target, cluster), after, timeoutSec, values.stdin === true);
  if (values.stdin) throw new UsageError('-i is for a cluster; on the embedded lab the terminal is attached already', EXEC_HELP);
  const client = await requireLab(labName(values.lab));
  const route = await client.call('route', { target }).finally(() => client.close());
  const nsenter = findExecutable('nsenter');
  if (!nsenter) throw new ToolMissingError('nsenter', 'Install it with: sudo apt-get install -y util-linux');
  const full = joinArgv(nsenter, route, after);
  // Our own --timeout reports 124, a signal 128 + its number, like a shell.
  return runAttached(full, { env: route.env, timeoutMs: timeoutSec * 1000 });
}
