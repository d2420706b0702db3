/**
 * A kind-shaped cluster's data plane on the test Docker engine: node containers named and labelled as kind does, a Pod
 * CIDR per node, Pods as network namespaces inside their node wired by the real CNI plugin, routes between nodes.
 * No kubelet or API server: the description returned is what a stand-in API server serves as Nodes and Pods.
 */
import type { DockerEngine } from '../docker/engine';
import { ensureNodeImage } from './nodeImage';
import {
  addPeerRoutes, clusterContainers, ensureKindNetwork, removeKindNetworkIfUnused, startNodes, writeCniConfig,
} from './testbedNodes';
import { cniConflist } from './testbedCni';
import { createPodsOnNode, deletePodOnNode, inPool } from './testbedPods';
import { KIND_NETWORK, checkName, nodeNames, podSpecsOf, type Testbed, type TestbedPod, type TestbedPodSpec, type TestbedSpec } from './testbedTypes';

export type { Testbed, TestbedNode, TestbedPod, TestbedPodSpec, TestbedSpec } from './testbedTypes';

/** Checks the spec before anything is created: names end up in argv and paths, Pods must name existing nodes. */
function checkSpec(spec: TestbedSpec, nodes: string[]): TestbedPodSpec[] {
  checkName('cluster', spec.cluster);
  if (!Number.isInteger(spec.workers) || spec.workers < 0 || spec.workers > 8) throw new Error('test bed workers must be 0 to 8');
  if (spec.cni !== 'ptp' && spec.cni !== 'bridge') throw new Error(`test bed cni must be 'ptp' or 'bridge', not ${JSON.stringify(spec.cni)}`);
  const pods = podSpecsOf(spec);
  const seen = new Set<string>();
  for (const p of pods) {
    checkName('Pod namespace', p.namespace);
    checkName('Pod name', p.name);
    if (!nodes.includes(p.node)) throw new Error(`test bed Pod ${p.namespace}/${p.name} names node ${p.node}, which is not one of ${nodes.join(', ')}`);
    if (seen.has(`${p.namespace}/${p.name}`)) throw new Error(`test bed Pod ${p.namespace}/${p.name} is listed twice`);
    seen.add(`${p.namespace}/${p.name}`);
    for (const c of p.containers ?? []) {
      checkName('container name', c.name);
      if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new Error(`test bed container ${c.name} has port ${c.port}, not 1-65535`);
    }
  }
  return pods;
}

/** Builds the test bed (node image, network, nodes, routes, Pods); a half-made one is removed before the error is thrown. */
export async function createTestbed(engine: DockerEngine, spec: TestbedSpec, onProgress?: (step: string) => void): Promise<Testbed> {
  const podSpecs = checkSpec(spec, nodeNames(spec.cluster, spec.workers).map((n) => n.name));
  if ((await clusterContainers(engine, spec.cluster)).length > 0) {
    throw new Error(`a test bed named ${spec.cluster} already exists in the test Docker engine; destroy it first or pick another name`);
  }
  let step = 'building the node image';
  try {
    onProgress?.(step);
    const image = (await ensureNodeImage(engine)).tag;
    step = 'creating the kind network';
    onProgress?.(step);
    await ensureKindNetwork(engine);
    step = 'starting the node containers';
    onProgress?.(step);
    const nodes = await startNodes(engine, spec, image);
    step = 'adding routes between Pod CIDRs';
    onProgress?.(step);
    await addPeerRoutes(engine, nodes);
    step = 'creating Pods';
    onProgress?.(`${step} (${podSpecs.length})`);
    const bed: Testbed = { cluster: spec.cluster, cni: spec.cni, image, network: { ...KIND_NETWORK }, nodes, pods: [] };
    const perNode = await Promise.all(
      nodes.map(async (node) => {
        const conf = cniConflist(spec.cni, node.podCIDR);
        await writeCniConfig(engine, node, conf.text, conf.file);
        return createPodsOnNode(engine, node, spec.cni, podSpecs.filter((p) => p.node === node.name));
      }),
    );
    const order = new Map(podSpecs.map((p, i) => [`${p.namespace}/${p.name}`, i]));
    bed.pods = perNode.flat().sort((a, b) => (order.get(`${a.namespace}/${a.name}`) ?? 0) - (order.get(`${b.namespace}/${b.name}`) ?? 0));
    return bed;
  } catch (e) {
    await destroyTestbed(engine, spec.cluster).catch((cleanup: unknown) => {
      // The creation error matters more; the failed cleanup is still reported beside it.
      console.error(`removing the half-made test bed ${spec.cluster} failed too: ${(cleanup as Error).message}`);
    });
    throw new Error(`creating test bed ${spec.cluster} failed while ${step}: ${(e as Error).message}`, { cause: e });
  }
}

/** Removes a test bed's node containers (and with them every Pod namespace), then the kind network if nothing else uses it. */
export async function destroyTestbed(engine: DockerEngine, cluster: string | Testbed): Promise<void> {
  const name = typeof cluster === 'string' ? cluster : cluster.cluster;
  const ids = await clusterContainers(engine, name);
  if (ids.length > 0) await engine.dockerOk(['rm', '-f', ...ids], { timeoutMs: 120_000 }, `removing test bed ${name}'s node containers`);
  await removeKindNetworkIfUnused(engine);
}

/** Adds Pods to a running test bed (new namespaces, new IPs), appends them to `bed.pods` and returns them. */
export async function addTestbedPods(engine: DockerEngine, bed: Testbed, specs: TestbedPodSpec[]): Promise<TestbedPod[]> {
  checkSpec({ cluster: bed.cluster, workers: 0, cni: bed.cni, pods: specs }, bed.nodes.map((n) => n.name));
  const taken = specs.find((s) => bed.pods.some((p) => p.namespace === s.namespace && p.name === s.name));
  if (taken) throw new Error(`test bed ${bed.cluster} already has Pod ${taken.namespace}/${taken.name}; remove it first`);
  const made = await inPool(bed.nodes, 3, (node) => createPodsOnNode(engine, node, bed.cni, specs.filter((s) => s.node === node.name)));
  const pods = made.flat();
  bed.pods.push(...pods);
  return pods;
}

/** Deletes a Pod from a running test bed (its IP goes back to the node's pool) and drops it from `bed.pods`. */
export async function removeTestbedPod(engine: DockerEngine, bed: Testbed, ref: { namespace: string; name: string }): Promise<TestbedPod> {
  const pod = bed.pods.find((p) => p.namespace === ref.namespace && p.name === ref.name);
  if (!pod) throw new Error(`test bed ${bed.cluster} has no Pod ${ref.namespace}/${ref.name}`);
  const node = bed.nodes.find((n) => n.name === pod.node);
  if (!node) throw new Error(`test bed ${bed.cluster} has no node ${pod.node} for Pod ${ref.namespace}/${ref.name}`);
  await deletePodOnNode(engine, node, bed.cni, pod);
  bed.pods = bed.pods.filter((p) => p !== pod);
  return pod;
}
