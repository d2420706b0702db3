/**
 * A "cluster" for tests: the kube-apiserver stand-in seeded with the Nodes and Pods of a real Docker test bed (kind-shaped node
 * containers with real Pods in them), and a kubeconfig whose context is `kind-<cluster>`. PodNet then reads the API from the
 * stand-in and enters the real node containers with `docker exec` (DOCKER_HOST points at the test engine).
 *
 *   const bed = await createTestbed(engine, spec);           // H1: real node containers and Pods
 *   const cluster = await startTestbedCluster(engine, bed);  // the API for them
 *   ... podnet get pods --kubeconfig cluster.kubeconfig --context cluster.context
 *   await cluster.close();                                   // stops the stand-in (the test bed is the caller's)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeProvider } from '../../src/providers/kube/kubeProvider';
import { dockerEngineForTest, type DockerEngine } from './docker/engine';
import { createTestbed, destroyTestbed, type Testbed, type TestbedSpec } from './testbed/testbed';
import { writeKubeconfig } from './kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from './kubeApiStandIn/server';
import type { StoredObject } from './kubeApiStandIn/store';

/** One node of a test bed, as the test bed describes it. */
export interface TestbedNodeFacts {
  name: string;
  ip: string;
  podCIDR: string;
  /** `kind://docker/<cluster>/<node container>`. */
  providerID: string;
  role?: 'control-plane' | 'worker';
}

/** One Pod of a test bed, as the test bed describes it. */
export interface TestbedPodFacts {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  ip: string;
  containers: { name: string; port?: number }[];
  /** Runs in its node's namespace: the API reports the node's IP as its podIP. */
  hostNetwork?: boolean;
  /** Labels besides `app: <name>` (what Service selectors match). */
  labels?: Record<string, string>;
}

/** What {@link startTestbedCluster} needs from a test bed (H1's `createTestbed` result satisfies it). */
export interface TestbedFacts {
  /** The kind cluster name the node containers belong to. */
  cluster?: string;
  nodes: TestbedNodeFacts[];
  pods: TestbedPodFacts[];
}

/** A running stand-in API for a test bed. */
export interface TestbedCluster {
  standIn: KubeApiStandIn;
  /** Path of the kubeconfig (mode 0600) in a temporary folder. */
  kubeconfig: string;
  /** `kind-<cluster>`. */
  context: string;
  /** The environment for a CLI run: DOCKER_HOST of the test engine, KUBECONFIG unset. */
  env: NodeJS.ProcessEnv;
  /** CLI arguments that select this cluster: `--kubeconfig FILE --context CTX`. */
  args: string[];
  /** Stops the stand-in and removes the kubeconfig folder; restores DOCKER_HOST. */
  close(): Promise<void>;
}

const CREATED = '2026-01-01T00:00:00Z';

/** The kind cluster name from a node's providerID (`kind://docker/<cluster>/<node>`). */
export function clusterNameOf(facts: TestbedFacts): string {
  const fromId = facts.nodes.map((n) => /^kind:\/\/[^/]+\/([^/]+)\//.exec(n.providerID)?.[1]).find(Boolean);
  return facts.cluster ?? fromId ?? 'testbed';
}

/** A V1Node as kube-apiserver returns it for a test bed node: InternalIP, podCIDR(s), kind providerID, Ready, role label. */
export function nodeObject(n: TestbedNodeFacts, controlPlane = n.role === 'control-plane'): StoredObject & { kind: 'Node' } {
  return {
    kind: 'Node', apiVersion: 'v1',
    metadata: { name: n.name, uid: `node-${n.name}`, creationTimestamp: CREATED, labels: { 'kubernetes.io/hostname': n.name, ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], providerID: n.providerID },
    status: {
      addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: CREATED }],
    },
  };
}

/** A V1Pod as kube-apiserver returns it for a Running test bed Pod: nodeName, podIP(s), containers with ports, all ready. */
export function podObject(p: TestbedPodFacts): StoredObject & { kind: 'Pod' } {
  return {
    kind: 'Pod', apiVersion: 'v1',
    metadata: { name: p.name, namespace: p.namespace, uid: p.uid, creationTimestamp: CREATED, labels: { app: p.name, ...p.labels } },
    spec: {
      nodeName: p.node, ...(p.hostNetwork ? { hostNetwork: true } : {}),
      containers: p.containers.map((c) => ({ name: c.name, image: 'podnet-testbed', ...(c.port !== undefined ? { ports: [{ containerPort: c.port, protocol: 'TCP' }] } : {}) })),
    },
    status: {
      phase: 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }], startTime: CREATED,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: p.containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, image: 'podnet-testbed', imageID: '', state: { running: { startedAt: CREATED } } })),
    },
  };
}

/** Options of {@link startTestbedCluster}. */
export interface TestbedClusterOptions {
  /**
   * The providerID the API reports for a node (default: the test bed's `kind://docker/...`). Give a non-kind one, e.g.
   * `gce://project/zone/<name>`, to make the nodes look remote, so PodNet needs debug Pods to reach them.
   */
  providerID?: (node: TestbedNodeFacts) => string;
  /** Extra labels of a Pod in the API (e.g. a shared `tier: web` for a Service to select). */
  podLabels?: (pod: TestbedPodFacts) => Record<string, string> | undefined;
}

/** Starts the stand-in (HTTPS on 127.0.0.1) seeded with the test bed's Nodes and Pods and writes a `kind-<cluster>` kubeconfig. */
export async function startTestbedCluster(engine: DockerEngine, facts: TestbedFacts, opts: TestbedClusterOptions = {}): Promise<TestbedCluster> {
  const standIn = await KubeApiStandIn.start();
  const name = clusterNameOf(facts);
  facts.nodes.forEach((n, i) => standIn.upsert(nodeObject({ ...n, providerID: opts.providerID?.(n) ?? n.providerID }, n.role ? n.role === 'control-plane' : i === 0)));
  for (const p of facts.pods) standIn.upsert(podObject({ ...p, labels: { ...p.labels, ...opts.podLabels?.(p) } }));
  const dir = mkdtempSync(join(tmpdir(), 'podnet-testbed-cluster-'));
  const context = `kind-${name}`;
  const kubeconfig = writeKubeconfig(dir, { target: standIn, context, cluster: context });
  const previousDockerHost = process.env.DOCKER_HOST;
  // In-process providers read DOCKER_HOST from process.env, like a user's shell would have it.
  process.env.DOCKER_HOST = engine.host;
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: engine.host };
  delete env.KUBECONFIG;
  return {
    standIn, kubeconfig, context, env, args: ['--kubeconfig', kubeconfig, '--context', context],
    async close() {
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
      if (previousDockerHost === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previousDockerHost;
    },
  };
}

/** A test bed, its stand-in API and a KubeProvider connected to it (all namespaces), for integration tests. */
export interface TestbedKube {
  engine: DockerEngine;
  bed: Testbed;
  cluster: TestbedCluster;
  kube: KubeProvider;
}

/**
 * Builds a test bed (after removing one of the same name an interrupted run left), starts its stand-in API and connects
 * a KubeProvider to it; `prepare` runs before the connection (e.g. to store Services). Skips the test when Docker is missing.
 */
export async function startTestbedKube(
  ctx: Mocha.Context, spec: TestbedSpec, opts: TestbedClusterOptions & { prepare?: (t: Omit<TestbedKube, 'kube'>) => Promise<void> } = {},
): Promise<TestbedKube> {
  const engine = await dockerEngineForTest(ctx);
  await destroyTestbed(engine, spec.cluster);
  const bed = await createTestbed(engine, spec);
  const cluster = await startTestbedCluster(engine, bed, opts);
  await opts.prepare?.({ engine, bed, cluster });
  const kube = await KubeProvider.connect({ kubeconfig: cluster.kubeconfig, context: cluster.context, namespace: 'all', env: cluster.env });
  return { engine, bed, cluster, kube };
}

/** Undoes {@link startTestbedKube}: closes the provider and the stand-in and removes the test bed. */
export async function stopTestbedKube(t: TestbedKube | undefined): Promise<void> {
  await t?.kube.closeAndWait();
  await t?.cluster.close();
  if (t) await destroyTestbed(t.engine, t.bed);
}
