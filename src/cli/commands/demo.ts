/** `podnet demo`: build the article's cluster, observe each of its claims on it, tear it down. */
import { observeFacts, type Fact } from '../../demo/facts';
import { EmbeddedLab } from '../../providers/embedded/embeddedLab';
import { startLab, stopLab } from '../../providers/embedded/launcher';
import { labName, parse } from '../args';
import { UsageError } from '../cliError';
import { loadTopology } from '../loadTopology';
import { guardOutput } from '../outputGuard';
import { podsTable } from './get';
import { demoOnKind } from './demoKind';

/** Help text of `podnet demo`. */
export const DEMO_HELP = `Usage:
  podnet demo [--json] [--keep] [--topology FILE]
  podnet demo --kind NAME [--json] [--topology FILE]

Builds the article's cluster (2 nodes, 3 Pods, one with a sidecar) in a sandbox, prints the Pods,
then checks each claim of the article on the real network and marks it PASS or FAIL.
Exit code 0 only if every fact was observed. The lab is torn down afterwards unless --keep.

With --kind NAME the same facts are observed on a kind cluster made by \`podnet kind create --name NAME\`
(context kind-NAME): the topology's Pods are made there if missing (PodNet's own, labelled), requests go from
the node into each Pod's network namespace with the node's tools, and the "new IP" fact deletes and re-creates
one of PodNet's Pods. The cluster and its Pods stay.`;

function printFact(f: Fact): void {
  console.log(`  ${f.passed ? 'PASS' : 'FAIL'}  ${f.title}`);
  for (const e of f.evidence) console.log(`        ${e}`);
}

/** Runs `podnet demo`; the lab is torn down even when stdout goes away (`| head -1`, a full disk). */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, keep: { type: 'boolean' }, topology: { type: 'string' }, kind: { type: 'string' } }, DEMO_HELP);
  if (values.help) return void console.log(DEMO_HELP), 0;
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, DEMO_HELP);
  if (values.kind !== undefined) {
    if (values.lab !== undefined || values.keep) throw new UsageError('--kind observes a kind cluster, which stays: --lab and --keep are for the embedded lab', DEMO_HELP);
    return demoOnKind(values.kind, loadTopology(values.topology), !!values.json);
  }
  const lab = labName(values.lab ?? 'demo');
  const json = !!values.json;
  const topology = loadTopology(values.topology);
  const output = guardOutput();
  if (!json) console.log(`PodNet Lab demo: "${topology.name}" on real Linux namespaces, veth pairs, a bridge per node and the CNI plugins\n`);
  const t0 = Date.now();
  const status = await startLab({ lab, topology, onProgress: (p) => !json && console.log(`  ✓ ${p.detail}`) });
  const upSeconds = (Date.now() - t0) / 1000;
  let facts: Fact[] = [];
  let pods = status.pods;
  try {
    const handle = await EmbeddedLab.connect(lab);
    try {
      if (!json) console.log(`\nlab up in ${upSeconds.toFixed(2)} s (${status.rootless ? 'rootless' : 'as root'})\n\n$ podnet get pods -o wide\n${podsTable(status.pods, false)}\n\nWhat the article claims, observed on this lab:`);
      // Nobody reads the facts once stdout is gone: stop observing and tear down.
      if (!output.signal.aborted) facts = await observeFacts(handle, json ? undefined : printFact);
      pods = (await handle.status()).pods;
    } finally {
      handle.close();
    }
  } finally {
    if (!values.keep) await stopLab(lab);
  }
  const passed = facts.filter((f) => f.passed).length;
  if (json) {
    console.log(JSON.stringify(
      { lab, upSeconds, pods: pods.map((p) => ({ name: p.name, node: p.node, ip: p.ip })), facts, passed: passed === facts.length }, null, 2,
    ));
  } else {
    console.log(`\n${passed}/${facts.length} facts observed. ${values.keep ? `The lab "${lab}" is still running: try \`podnet exec pod-a --lab ${lab} -- ip route\`, then \`podnet lab down --lab ${lab}\`.` : 'The lab is gone: no namespace, veth or address is left behind.'}`);
  }
  return output.exitCode(passed === facts.length ? 0 : 1);
}
