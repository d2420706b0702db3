/** `podnet demo --kind NAME`: the article's facts observed on a kind cluster made by `podnet kind create`, with the same evidence format. */
import { observeFacts, type Fact } from '../../demo/facts';
import { ensureTopologyPods, missingWorkers } from '../../labs/kindRun';
import type { Topology } from '../../model/topology';
import { kindContext } from '../../providers/kind/createCluster';
import { WORKLOAD_NAMESPACE } from '../../providers/kind/workloads';
import { KubeProvider } from '../../providers/kube/kubeProvider';
import { LabError } from '../../providers/embedded/control/labError';
import { guardOutput } from '../outputGuard';
import { podsTable } from './get';

function printFact(f: Fact): void {
  console.log(`  ${f.passed ? 'PASS' : 'FAIL'}  ${f.title}`);
  for (const e of f.evidence) console.log(`        ${e}`);
}

/** Observes every fact on the kind cluster `name` (its Pods in namespace default); exit 0 only if every fact was observed. */
export async function demoOnKind(name: string, topology: Topology, json: boolean): Promise<number> {
  const context = kindContext(name);
  const output = guardOutput();
  const t0 = Date.now();
  // An unknown context or an unreachable cluster is already one sentence from the kube provider (reported without a stack).
  const kube = await KubeProvider.connect({ context, namespace: WORKLOAD_NAMESPACE });
  let facts: Fact[] = [];
  let pods;
  try {
    const missing = missingWorkers(topology, kube.nodes());
    if (missing.length) throw new LabError(`the kind cluster "${name}" has no worker labelled for ${missing.join(', ')} (podnet.dev/topology-node): create it from this topology with \`podnet kind create --name ${name}\``, 'NOT_FOUND');
    await ensureTopologyPods(kube, topology, undefined, 180_000);
    const status = await kube.status();
    if (!json) console.log(`PodNet Lab demo: "${topology.name}" on the kind cluster "${name}" (context ${context}), its nodes reached by ${kube.access.description}\n\nPods Running in ${((Date.now() - t0) / 1000).toFixed(2)} s\n\n$ podnet get pods -o wide --context ${context}\n${podsTable(status.pods, false)}\n\nWhat the article claims, observed on this cluster:`);
    // Nobody reads the facts once stdout is gone: stop observing.
    if (!output.signal.aborted) facts = await observeFacts(kube, json ? undefined : printFact);
    pods = (await kube.status()).pods;
  } finally {
    await kube.closeAndWait();
  }
  const passed = facts.filter((f) => f.passed).length;
  if (json) console.log(JSON.stringify(
    { lab: context, cluster: name, pods: pods.map((p) => ({ name: p.name, node: p.node, ip: p.ip })), facts, passed: passed === facts.length }, null,
    2,
  ));
  else console.log(`\n${passed}/${facts.length} facts observed on kind cluster "${name}". Its Pods stay: try \`podnet trace pod-a pod-c --context ${context}\`.`);
  return output.exitCode(passed === facts.length ? 0 : 1);
}
