/**
 * Finds a Pod's network namespace from its node: through the container runtime (crictl) when the node has it, else by
 * looking for the Pod's IP in the node's named network namespaces (/var/run/netns, where containerd and CRI-O put them).
 */
import type { ExecResult } from '../../embedded/control/protocol';
import type { KubePod } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';

/** Runs argv on the node (in its mount and network namespaces) and resolves with the result, whatever the exit code. */
export type RunOnNode = (argv: string[]) => Promise<ExecResult>;

/** Where named network namespaces live on a node (iproute2's and containerd's directory). */
export const NETNS_DIR = '/var/run/netns';
/** A namespace name as iproute2 lists it; anything else (a '/', '..') is refused before it becomes a path. */
const NETNS_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The network namespace path in a `crictl inspectp` JSON document, or undefined when it has none. */
export function netnsFromInspectp(json: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return undefined; // not JSON: the caller falls back to matching the Pod IP
  }
  const info = (doc as { info?: { runtimeSpec?: { linux?: { namespaces?: unknown } }; pid?: unknown } } | null)?.info;
  const namespaces = info?.runtimeSpec?.linux?.namespaces;
  if (Array.isArray(namespaces)) {
    for (const ns of namespaces as { type?: unknown; path?: unknown }[]) {
      if (ns?.type === 'network' && typeof ns.path === 'string' && ns.path.startsWith('/')) return ns.path;
    }
  }
  const pid = info?.pid;
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? `/proc/${pid}/ns/net` : undefined;
}

/** The first sandbox id `crictl pods -q` printed, or undefined. */
export function firstSandboxId(stdout: string): string | undefined {
  const id = stdout.split('\n').map((l) => l.trim()).find((l) => /^[0-9a-f]{12,64}$/.test(l));
  return id;
}

/** Namespace name -> the addresses in it, from `ip -all netns exec ip -j addr show` (a "netns: NAME" line before each). */
export function addressesByNetns(stdout: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const parts = stdout.split(/^netns: (.*)$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = parts[i].trim();
    if (!NETNS_NAME.test(name)) continue;
    found.set(name, addressesOf(parts[i + 1]));
  }
  return found;
}

/** The addresses in one `ip -j addr show` document. */
export function addressesOf(json: string): string[] {
  let links: unknown;
  try {
    links = JSON.parse(json.trim() || '[]');
  } catch {
    return []; // a namespace ip could not read (it was deleted meanwhile): no addresses
  }
  if (!Array.isArray(links)) return [];
  return links.flatMap((l: { addr_info?: { local?: unknown }[] }) =>
    (Array.isArray(l?.addr_info) ? l.addr_info : []).map((a) => a?.local).filter((a): a is string => typeof a === 'string'),
  );
}

/** Asks crictl for the Pod's ready sandbox (by uid label) and its namespace path; undefined when crictl cannot say. */
async function viaCrictl(run: RunOnNode, pod: KubePod): Promise<{ path?: string; note: string }> {
  const pods = await run(['crictl', 'pods', '--label', `io.kubernetes.pod.uid=${pod.uid}`, '--state', 'ready', '-q']);
  if (pods.code === 126 || pods.code === 127) return { note: 'the node has no crictl' };
  if (pods.code !== 0) return { note: `crictl pods failed: ${oneLine(pods.stderr)}` };
  const id = firstSandboxId(pods.stdout);
  if (!id) return { note: 'crictl lists no ready sandbox for it' };
  const inspect = await run(['crictl', 'inspectp', id]);
  if (inspect.code !== 0) return { note: `crictl inspectp failed: ${oneLine(inspect.stderr)}` };
  const path = netnsFromInspectp(inspect.stdout);
  return path ? { path, note: '' } : { note: 'crictl inspectp shows no network namespace' };
}

/** Looks for the Pod's IPs in every named namespace on the node, in one command. */
async function viaPodIp(run: RunOnNode, pod: KubePod): Promise<{ path?: string; note: string }> {
  const r = await run(['ip', '-all', 'netns', 'exec', 'ip', '-j', 'addr', 'show']);
  const byNetns = addressesByNetns(r.stdout);
  if (byNetns.size === 0 && r.code !== 0) return { note: `ip -all netns exec failed: ${oneLine(r.stderr)}` };
  for (const [name, addrs] of byNetns) {
    if (pod.podIPs.some((ip) => addrs.includes(ip))) return { path: `${NETNS_DIR}/${name}`, note: '' };
  }
  return { note: `none of the node's ${byNetns.size} network namespaces has ${pod.podIPs.join(', ')}` };
}

/** The path of the Pod's network namespace on its node (a /var/run/netns path or /proc/<pid>/ns/net). */
export async function findPodNetns(runOnNode: RunOnNode, pod: KubePod): Promise<string> {
  const what = `Pod ${pod.namespace}/${pod.name}`;
  if (pod.hostNetwork) {
    throw new KubeAccessError(`${what} uses its node's network namespace (hostNetwork); run the command on the node instead.`, 'FAILED');
  }
  const crictl = pod.uid ? await viaCrictl(runOnNode, pod) : { note: 'it has no uid' };
  if (crictl.path) return crictl.path;
  if (pod.podIPs.length === 0) {
    throw new KubeAccessError(`${what} has no IP yet (${crictl.note}), so its network namespace cannot be found; wait until it runs.`, 'FAILED');
  }
  const byIp = await viaPodIp(runOnNode, pod);
  if (byIp.path) return byIp.path;
  throw new KubeAccessError(
    `Could not find the network namespace of ${what} on node ${pod.node || '(unscheduled)'}: ${crictl.note}, and ${byIp.note}; ` +
      'the Pod may have just been re-created, so try again.',
    'FAILED',
  );
}

function oneLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '(no output)';
}
