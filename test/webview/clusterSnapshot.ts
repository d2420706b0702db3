/**
 * The recorded 3 x 50-Pod lab reshaped as a cluster snapshot shows it (the kube provider's form): no wire namespace
 * (the nodes meet on a network PodNet does not see), Pods named NAMESPACE/NAME, and node3 without a bridge (kind's
 * ptp plugin: each Pod's veth routed straight from eth0). Built from the recording so addresses and links stay real.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/snapshot/types';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** A recorded fixture, parsed. */
export const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as T;

/** three-by-fifty as a cluster: pods `default/pod-N-MM`, no wire, node3 a ptp node (no cbr0, veths not bridged). */
export function clusterSnapshot(): Snapshot {
  const s = fixture<Snapshot>('traces/three-by-fifty.snapshot.json');
  const rename = (ns: string) => (ns.startsWith('pod/') ? `pod/default/${ns.slice(4)}` : ns);
  s.source = { provider: 'kube', lab: 'kind-big', context: 'kind-big', cluster: 'kind-big', server: 'https://127.0.0.1:6443', access: 'container' };
  s.namespaces = s.namespaces.filter((ns) => ns.kind !== 'wire');
  for (const ns of s.namespaces) {
    if (ns.kind === 'pod') {
      ns.name = `default/${ns.name}`;
      ns.id = `pod/${ns.name}`;
    }
    for (const l of ns.links) {
      if (l.peer?.namespace === 'wire') {
        delete l.peer;
        l.peerIfindex = 99;
      } else if (l.peer) l.peer.namespace = rename(l.peer.namespace);
    }
    if (ns.id === 'node/node3') {
      ns.links = ns.links.filter((l) => l.kind !== 'bridge');
      for (const l of ns.links) delete l.master;
    }
  }
  delete s.cluster.network;
  for (const p of s.cluster.pods) p.name = `default/${p.name}`;
  return s;
}

/** clusterSnapshot() `copies` times over, as one cluster of 3 x `copies` nodes (node1 ... nodeN, Pods pod-N-MM); addresses repeat. */
export function scaledCluster(copies: number): Snapshot {
  const base = JSON.stringify(clusterSnapshot());
  const parts = Array.from({ length: copies }, (_, k) => {
    const text = base.replace(/\bnode([1-3])\b/g, (_m, d: string) => `node${Number(d) + 3 * k}`);
    return JSON.parse(text.replace(/\bpod-([1-3])-/g, (_m, d: string) => `pod-${Number(d) + 3 * k}-`)) as Snapshot;
  });
  const s = parts[0];
  s.namespaces = parts.flatMap((p) => p.namespaces);
  s.cluster.nodes = parts.flatMap((p) => p.cluster.nodes);
  s.cluster.pods = parts.flatMap((p) => p.cluster.pods);
  return s;
}
