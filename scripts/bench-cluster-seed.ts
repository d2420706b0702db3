// The cluster both cluster benches read: the kube-apiserver stand-in (test/support/kubeApiStandIn) seeded with 3 Nodes
// (no containers: node access is API only) and N Pods over 3 namespaces, plus a kubeconfig for it (context `bench`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../test/support/kubeApiStandIn/kubeconfigFile';
import { KubeApiStandIn } from '../test/support/kubeApiStandIn/server';
import { nodeObject, podObject, type TestbedPodFacts } from '../test/support/testbedCluster';

const NODES = 3;
const NAMESPACES = ['default', 'shop', 'kube-system'];

/** Pod i: spread over the nodes and namespaces; `octet` and `gen` give a re-created Pod a new IP and uid. */
export function benchPod(i: number, octet = 2 + (Math.floor(i / NODES) % 250), gen = 0): TestbedPodFacts {
  const node = i % NODES;
  return {
    namespace: NAMESPACES[i % NAMESPACES.length], name: `web-${String(i).padStart(4, '0')}`, uid: `uid-${i}-${gen}`,
    node: `bench-worker${node}`, ip: `10.${100 + Math.floor(i / (NODES * 250))}.${node}.${octet}`, containers: [{ name: 'web', port: 8080 }],
  };
}

/** A seeded stand-in, its kubeconfig, and the folder to remove. */
export interface BenchCluster {
  standIn: KubeApiStandIn;
  kubeconfig: string;
  context: string;
  nodes: number;
  dir: string;
  close(): Promise<void>;
}

/** Starts the stand-in with `pods` Pods and writes its kubeconfig (context `bench`). */
export async function seedBenchCluster(pods: number): Promise<BenchCluster> {
  const standIn = await KubeApiStandIn.start();
  for (let n = 0; n < NODES; n++) {
    standIn.upsert(nodeObject({ name: `bench-worker${n}`, ip: `172.18.0.${10 + n}`, podCIDR: `10.100.${n}.0/24`, providerID: `bench://bench-worker${n}` }, n === 0));
  }
  for (let i = 0; i < pods; i++) standIn.upsert(podObject(benchPod(i)));
  const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-cluster-'));
  const kubeconfig = writeKubeconfig(dir, { target: standIn, context: 'bench', cluster: 'bench' });
  return {
    standIn, kubeconfig, context: 'bench', nodes: NODES, dir,
    async close() {
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
