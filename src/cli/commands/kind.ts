/** `podnet kind create|delete|list`: provision a kind cluster shaped like the topology (the article's by default), or remove it. */
import { BRIDGE_PLUGIN_PATHS, findBridgePlugin } from '../../providers/kind/bridgeCni';
import { createKindCluster, deleteKindCluster } from '../../providers/kind/createCluster';
import { defaultKindTools, KindError, listKindClusters } from '../../providers/kind/kindCli';
import type { KindCni } from '../../providers/kind/kindConfig';
import { parse } from '../args';
import { UsageError } from '../cliError';
import { loadTopology } from '../loadTopology';

/** Help text of `podnet kind`. */
export const KIND_HELP = `Usage:
  podnet kind create [--name NAME] [--topology FILE] [--cni kindnet|bridge] [--image NODE_IMAGE]
                     [--workload-image IMAGE] [--retain]
        a kind cluster with one control plane and one worker per topology node (the article's: 2), its
        podSubnet the topology's clusterCIDR, and the topology's Pods pinned to their workers.
        --cni kindnet (default): kind's own ptp veths and /32 routes, no bridge.
        --cni bridge: the article's cbr0 (the host's CNI bridge plugin is mounted into every node,
        and every node routes the other nodes' Pod CIDRs via their InternalIP).
        A failed create deletes the half-made cluster unless --retain.
  podnet kind delete [--name NAME]
  podnet kind list
Then use it like any cluster: podnet get pods -o wide --context kind-NAME`;

const DEFAULT_NAME = 'podnet';
const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

function clusterName(value: string | undefined): string {
  const name = value ?? DEFAULT_NAME;
  if (!NAME_RE.test(name)) throw new UsageError(`--name "${name}" is not a valid cluster name (lowercase letters, digits and "-", at most 32)`);
  return name;
}

function cniMode(value: string | undefined): KindCni {
  if (value === undefined) return 'kindnet';
  if (value !== 'kindnet' && value !== 'bridge') throw new UsageError(`--cni ${value} is not supported (use kindnet or bridge)`);
  return value;
}

/** How long nodes and Pods may take to become ready; PODNET_KIND_READY_TIMEOUT_MS overrides the 3 minutes. */
function readyTimeout(): number {
  const v = Number(process.env.PODNET_KIND_READY_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 180_000;
}

async function create(values: Record<string, string | boolean | undefined>): Promise<number> {
  const name = clusterName(values.name as string | undefined);
  const cni = cniMode(values.cni as string | undefined);
  const topology = loadTopology(values.topology as string | undefined);
  const bridgePlugin = cni === 'bridge' ? findBridgePlugin() : undefined;
  if (cni === 'bridge' && !bridgePlugin) throw new UsageError(`--cni bridge needs the CNI bridge plugin on this machine (${BRIDGE_PLUGIN_PATHS.join(' or ')}): apt-get install containernetworking-plugins`);
  const ctl = new AbortController();
  const cancel = () => ctl.abort();
  process.once('SIGINT', cancel);
  try {
    const context = await createKindCluster(defaultKindTools(), {
      name, topology, cni, bridgePlugin, retain: values.retain === true, readyTimeoutMs: readyTimeout(),
      ...(values.image ? { image: values.image as string } : {}),
      ...(values['workload-image'] ? { workloadImage: values['workload-image'] as string } : {}),
    }, {
      signal: ctl.signal,
      onLine: (line) => line.trim() && process.stderr.write(`${line}\n`),
      onStep: (s) => process.stderr.write(` • ${s}\n`),
    });
    console.log(`kind cluster "${name}" is ready (${cni}); context ${context}\n  podnet get pods -o wide --context ${context}\n  podnet trace pod-a pod-c --context ${context}`);
    return 0;
  } finally {
    process.removeListener('SIGINT', cancel);
  }
}

/** Runs `podnet kind ...`. */
export async function kindCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    name: { type: 'string' }, topology: { type: 'string' }, cni: { type: 'string' }, image: { type: 'string' },
    'workload-image': { type: 'string' }, retain: { type: 'boolean' },
  }, KIND_HELP);
  if (values.help) return void console.log(KIND_HELP), 0;
  const [sub, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, KIND_HELP);
  try {
    switch (sub) {
      case 'create':
        return await create(values);
      case 'delete':
        await deleteKindCluster(defaultKindTools(), clusterName(values.name));
        console.log(`kind cluster "${clusterName(values.name)}" deleted`);
        return 0;
      case 'list': {
        const clusters = await listKindClusters(defaultKindTools());
        console.log(clusters.length ? clusters.join('\n') : 'no kind clusters');
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown kind command "${sub}"` : 'missing kind command (create, delete or list)', KIND_HELP);
    }
  } catch (e) {
    if (e instanceof KindError) return console.error(`podnet: ${e.message}`), 1;
    throw e;
  }
}
