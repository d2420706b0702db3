/** `podnet kind create`: preflight, kind itself, then the article's wiring and Pods, as small steps; a failed create is deleted unless retained. */
import type { Topology } from '../../model/topology';
import type { KubePod } from '../kube/clusterTypes';
import { KubeProvider } from '../kube/kubeProvider';
import { BRIDGE_CONFLIST_PATH, bridgeConflist, peerRouteCommands } from './bridgeCni';
import { kindConfigYaml, serviceSubnetOf, type KindCni } from './kindConfig';
import { gatherKindFacts, KindError, runKindCreate, runKindDelete, type KindCreateHooks, type KindTools } from './kindCli';
import { kindPreflightProblems } from './kindPreflight';
import { DEFAULT_WORKLOAD_IMAGE, imagePullAdvice, workloadManifests } from './workloads';
import { waitFor } from './waitFor';
import { ensureTopologyServices, serviceOps, waitForServiceEndpoints } from './clusterServices';
import { kindContext } from './kindContext';

/** What to create. */
export interface KindCreateRequest {
  name: string;
  topology: Topology;
  cni: KindCni;
  /** Node image (kind's default when unset). */
  image?: string;
  /** Workload image for the topology's Pods. */
  workloadImage?: string;
  /** The host's CNI bridge plugin, for `bridge` mode. */
  bridgePlugin?: string;
  /** Keep a half-made cluster for debugging instead of deleting it. */
  retain?: boolean;
  /** How long nodes and Pods may take to become ready. */
  readyTimeoutMs?: number;
}

/** What a create reports: PodNet's own steps, plus kind's stage lines and output through the hooks. */
export interface KindProgress extends KindCreateHooks {
  onStep?: (step: string) => void;
}

/** The kubeconfig context kind writes for a cluster (defined in ./kindContext.ts, which the extension loads at activation). */
export { kindContext };

/** Creates the cluster and its workloads; resolves with the context name. */
export async function createKindCluster(tools: KindTools, req: KindCreateRequest, progress: KindProgress = {}): Promise<string> {
  const step = progress.onStep ?? (() => undefined);
  step('checking kind, the container runtime and the address ranges');
  const problems = kindPreflightProblems(
    await gatherKindFacts(tools), { name: req.name, podSubnet: req.topology.clusterCIDR, serviceSubnet: serviceSubnetOf(req.topology) },
  );
  if (problems.length) throw new KindError(problems.join(' '), '');
  const config = kindConfigYaml(req.topology, { name: req.name, cni: req.cni, image: req.image, bridgePlugin: req.bridgePlugin });
  try {
    await runKindCreate(tools, req.name, config, progress);
    await finishCluster(tools, req, step, progress.signal);
  } catch (e) {
    if (req.retain) throw new KindError(`${(e as Error).message} The half-made cluster was kept (--retain); delete it with \`podnet kind delete --name ${req.name}\`.`, '', { cause: e });
    step(`deleting the half-made cluster "${req.name}"`);
    await runKindDelete(tools, req.name).catch((de: unknown) => {
      throw new KindError(`${(e as Error).message} Deleting the half-made cluster failed too (${(de as Error).message}); run \`kind delete cluster --name ${req.name}\`.`, '', { cause: e });
    });
    throw e;
  }
  return kindContext(req.name);
}

/** After kind: connect, wire cbr0 in bridge mode, start the topology's Pods and wait until each has an IP, then its Services and their endpoints. */
async function finishCluster(tools: KindTools, req: KindCreateRequest, step: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const timeoutMs = req.readyTimeoutMs ?? 180_000;
  step(`connecting to ${kindContext(req.name)}`);
  const lab = await KubeProvider.connect({ context: kindContext(req.name), namespace: 'all', env: tools.env });
  try {
    const expected = req.topology.nodes.length + 1;
    step(`waiting for ${expected} nodes to register`);
    await waitFor(lab, () => lab.nodes().length >= expected && lab.nodes().every((n) => n.internalIP), timeoutMs, signal, () => `only ${lab.nodes().length} of ${expected} nodes registered`);
    if (req.cni === 'bridge') await wireBridges(lab, step, timeoutMs, signal);
    step(`creating ${req.topology.pods.length} Pods`);
    const image = req.workloadImage ?? DEFAULT_WORKLOAD_IMAGE;
    for (const m of workloadManifests(req.topology, image)) await lab.api.createPod(m);
    const names = new Set(req.topology.pods.map((p) => `default/${p.name}`));
    const mine = (): KubePod[] => lab.pods().filter((p) => names.has(`${p.namespace}/${p.name}`));
    step('waiting for every Pod to run and get its IP');
    await waitFor(lab, () => mine().length === names.size && mine().every((p) => p.phase === 'Running' && p.podIPs.length > 0), timeoutMs, signal, () => {
      const stuck = mine().filter((p) => p.phase !== 'Running').map((p) => `${p.name} (${p.phase})`);
      return `Pods not running: ${stuck.join(', ') || 'not created yet'}; if ${image} could not be pulled, ${imagePullAdvice(image, req.name)}`;
    });
    if (req.topology.services?.length) {
      step(`creating ${req.topology.services.length} Services and waiting for their endpoints`);
      await ensureTopologyServices(serviceOps(lab.api), req.topology);
      await waitForServiceEndpoints(lab, req.topology, timeoutMs);
    }
  } finally {
    await lab.closeAndWait();
  }
}

/** Bridge mode: each node gets its cbr0 conflist (its own podCIDR) and a route to every other node's podCIDR. */
async function wireBridges(lab: KubeProvider, step: (s: string) => void, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  step('waiting for every node to get its podCIDR');
  await waitFor(lab, () => lab.nodes().every((n) => n.podCIDRs.length > 0), timeoutMs, signal, () => 'some nodes have no podCIDR yet');
  const nodes = lab.nodes().map((n) => ({ name: n.name, internalIP: n.internalIP, podCIDR: n.podCIDRs[0] }));
  step(`writing the cbr0 conflist and the Pod CIDR routes on ${nodes.length} nodes`);
  for (const n of nodes) {
    const target = { kind: 'node' as const, node: n.name };
    const res = await lab.exec(target, ['tee', BRIDGE_CONFLIST_PATH], { input: bridgeConflist(n.podCIDR) });
    if (res.code !== 0) throw new KindError(`writing ${BRIDGE_CONFLIST_PATH} on ${n.name} failed: ${res.stderr.trim()}`, res.stderr);
    for (const argv of peerRouteCommands(n.name, nodes)) {
      const r = await lab.exec(target, argv);
      if (r.code !== 0) throw new KindError(`adding the route ${argv.slice(3).join(' ')} on ${n.name} failed: ${r.stderr.trim()}`, r.stderr);
    }
  }
}

/** Deletes a cluster PodNet (or anyone) made with kind. */
export function deleteKindCluster(tools: KindTools, name: string): Promise<void> {
  return runKindDelete(tools, name);
}
