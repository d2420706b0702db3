/** Which lab packs can run on a kind cluster: those that need nothing only the embedded lab has. */
import type { LabPack } from './types';

/** Flags of `podnet exec` (and friends) that name a place only the embedded lab has. */
const EMBEDDED_FLAGS: Record<string, string> = {
  '--wire': 'the wire namespace between the nodes',
  '--docker-host': 'the Docker-style host',
  '--docker-container': 'a container of the Docker-style host',
  '--client': 'the outside client on the node network',
  '--router': 'the router between the node subnets',
};

/** Why the pack cannot run on a kind cluster (one sentence), or undefined when it can. */
export function kindIncompatibility(pack: Pick<LabPack, 'topology' | 'steps'>): string | undefined {
  const t = pack.topology;
  if (t.dockerHost) return 'its topology has a Docker-style NAT host, which is part of the embedded lab only (a kind cluster has no such host)';
  if (t.client) return 'its topology has an outside client, a machine on the node network that is no node; the embedded lab builds it, a kind cluster has none';
  if (t.network.subnets) return 'its topology puts the nodes on several subnets joined by a router, which only the embedded lab builds';
  for (const step of pack.steps) {
    for (const action of step.actions) {
      if (action.run[1] === 'service') {
        // The topology's own Services are made on the cluster by `lab run --kind`; a learner's `podnet service` is the embedded lab's only.
        return `its action ${step.id}/${action.id} runs podnet service ${action.run[2] ?? ''}, which changes Services only in the embedded lab (on a cluster they are made with kubectl)`;
      }
      const flag = action.run.slice(0, action.run.includes('--') ? action.run.indexOf('--') : undefined).find((a) => Object.hasOwn(EMBEDDED_FLAGS, a.split('=')[0]));
      if (flag) return `its action ${step.id}/${action.id} uses ${flag.split('=')[0]}, ${EMBEDDED_FLAGS[flag.split('=')[0]]}, which a cluster does not have`;
    }
  }
  return undefined;
}
