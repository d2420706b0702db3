/**
 * The cluster the VS Code e2e test connects to: a real Docker test bed (kind-shaped node containers, Pods wired by the
 * CNI bridge plugin, H1's test/support/testbed) described by the kube-apiserver stand-in, plus a hostNetwork Pod, and a
 * kubeconfig with two contexts (the test bed's, current, and one more) so the quick pick has an order to show. A
 * Deployment's re-creation is played by {@link E2eCluster.recreate}: a new Pod in the test bed (new netns, new IP from
 * host-local), the old one deleted, then the API events.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dockerEngineForTest, type DockerEngine } from './docker/engine';
import { STAND_IN_TOKEN, KubeApiStandIn } from './kubeApiStandIn/server';
import { addTestbedPods, createTestbed, destroyTestbed, removeTestbedPod, type Testbed, type TestbedPod } from './testbed/testbed';
import { nodeObject, podObject } from './testbedCluster';

/** A running cluster for the e2e test. */
export interface E2eCluster {
  standIn: KubeApiStandIn;
  bed: Testbed;
  kubeconfig: string;
  context: string;
  /** Environment for code-server (and so the extension host): DOCKER_HOST of the test engine. */
  env: Record<string, string>;
  /** The Pods as the API lists them now (hostNetwork ones included), sorted by NAMESPACE/NAME. */
  pods(): TestbedPod[];
  /** Replaces a Pod as its Deployment would: a new Pod (new name, new IP) on the same node, the old one gone; API events last. */
  recreate(old: TestbedPod, newName: string): Promise<{ pod: TestbedPod; apiEventAt: number }>;
  close(): Promise<void>;
}

/** A kubeconfig with the test bed's context (current), one more that points at the same server, and one nothing answers. */
function writeTwoContextKubeconfig(dir: string, standIn: KubeApiStandIn, context: string): string {
  const cluster = { server: standIn.url, 'certificate-authority-data': Buffer.from(standIn.caPem ?? '').toString('base64') };
  const doc = {
    apiVersion: 'v1', kind: 'Config', 'current-context': context,
    // `unreachable`: a loopback port nothing listens on (port 9 is discard, never served here), for the error path.
    clusters: [{ name: context, cluster }, { name: 'other', cluster }, { name: 'unreachable', cluster: { server: 'https://127.0.0.1:9' } }],
    users: [{ name: 'e2e', user: { token: STAND_IN_TOKEN } }],
    contexts: [
      { name: 'other-context', context: { cluster: 'other', user: 'e2e' } },
      { name: context, context: { cluster: context, user: 'e2e' } },
      { name: 'unreachable', context: { cluster: 'unreachable', user: 'e2e' } },
    ],
  };
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

/** The V1Pod the stand-in serves for a test bed Pod (a hostNetwork one carries spec.hostNetwork and its node's IP). */
function apiPod(p: TestbedPod) {
  const obj = podObject(p);
  if (p.hostNetwork) (obj.spec as Record<string, unknown>).hostNetwork = true;
  return obj;
}

/** Builds the test bed (1 control plane + 1 worker, cbr0), starts the stand-in for it and writes the kubeconfig. */
export async function e2eCluster(ctx: Mocha.Context): Promise<E2eCluster> {
  const engine: DockerEngine = await dockerEngineForTest(ctx);
  const name = `pe2e${process.pid}`;
  const cp = `${name}-control-plane`;
  const worker = `${name}-worker`;
  const bed = await createTestbed(engine, {
    cluster: name, workers: 1, cni: 'bridge',
    pods: [
      { namespace: 'default', name: 'web-6d4cf56db6-abcde', node: worker },
      { namespace: 'default', name: 'web-6d4cf56db6-fghij', node: cp },
      { namespace: 'shop', name: 'cart-0', node: worker },
      { namespace: 'kube-system', name: `kube-proxy-${worker}`, node: worker, hostNetwork: true },
    ],
  });
  const standIn = await KubeApiStandIn.start().catch(async (e: unknown) => {
    await destroyTestbed(engine, bed);
    throw e;
  });
  bed.nodes.forEach((n, i) => standIn.upsert(nodeObject(n, i === 0)));
  for (const p of bed.pods) standIn.upsert(apiPod(p));
  const dir = mkdtempSync(join(tmpdir(), 'podnet-e2e-kube-'));
  const context = `kind-${name}`;
  return {
    standIn, bed, context, kubeconfig: writeTwoContextKubeconfig(dir, standIn, context), env: { DOCKER_HOST: engine.host },
    pods: () => [...bed.pods].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1)),
    async recreate(old, newName) {
      const [pod] = await addTestbedPods(engine, bed, [{ namespace: old.namespace, name: newName, node: old.node, containers: old.containers }]);
      await removeTestbedPod(engine, bed, old);
      const apiEventAt = Date.now();
      standIn.remove('Pod', old.namespace, old.name);
      standIn.upsert(apiPod(pod));
      return { pod, apiEventAt };
    },
    async close() {
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
      await destroyTestbed(engine, bed);
    },
  };
}
