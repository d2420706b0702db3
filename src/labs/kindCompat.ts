/** Which lab packs can run on a kind cluster: those that need nothing only the embedded lab has. */
import type { LabPack } from './types';

/** Flags of `podnet exec` (and friends) that name a place only the embedded lab has. */
const EMBEDDED_FLAGS: Record<string, string> = {
  '--wire': 'the wire namespace between the nodes',
  '--docker-host': 'the Docker-style host',
  '--docker-container': 'a container of the Docker-style host',
};

/** Why the pack cannot run on a kind cluster (one sentence), or undefined when it can. */
export function kindIncompatibility(pack: Pick<LabPack, 'topology' | 'steps'>): string | undefined {
  if (pack.topology.dockerHost) return 'its topology has a Docker-style NAT host, which is part of the embedded lab only (a kind cluster has no such host)';
  for (const step of pack.steps) {
    for (const action of step.actions) {
      const flag = action.run.slice(0, action.run.includes('--') ? action.run.indexOf('--') : undefined).find((a) => Object.hasOwn(EMBEDDED_FLAGS, a.split('=')[0]));
      if (flag) return `its action ${step.id}/${action.id} uses ${flag.split('=')[0]}, ${EMBEDDED_FLAGS[flag.split('=')[0]]}, which a cluster does not have`;
    }
  }
  return undefined;
}
