/**
 * Real labs for the overlay tracer tests (root): two subnets a (192.168.1.0/24) and b (192.168.2.0/24) joined by the
 * router, pod-a on node1 (a) and pod-b on node2 (b), with every node `vxlan` or every node `bridge`; built by the CLI, read
 * in-process (the snapshot collector and the tracer of this checkout).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import { EmbeddedLab } from '../../../src/providers/embedded/embeddedLab';
import { collectSnapshot } from '../../../src/snapshot/collect';
import type { Snapshot } from '../../../src/snapshot/types';
import { parseSnapshot, serializeSnapshot } from '../../../src/snapshot/validate';
import { runCli, runCliOk } from '../../support/cli';

/** The two-subnet topology with both nodes on `cni` (vxlan: Flannel-style overlay; bridge: routed, which fails across the router). */
export function twoSubnetTopology(cni: 'vxlan' | 'bridge'): string {
  return `network:
  subnets:
    - {name: a, cidr: 192.168.1.0/24}
    - {name: b, cidr: 192.168.2.0/24}
nodes:
  - {name: node1, subnet: a, cni: ${cni}}
  - {name: node2, subnet: b, cni: ${cni}}
pods:
  - {name: pod-a, node: node1}
  - {name: pod-b, node: node2}
`;
}

/** A running root lab of these tests, connected in-process. */
export interface OverlayTestLab {
  lab: EmbeddedLab;
  status: LabStatus;
  /** A fresh snapshot, written and read back as a file would be. */
  snapshot(): Promise<Snapshot>;
  down(): Promise<void>;
}

/** Builds lab `name` from `yaml` as root (a leftover lab of that name is stopped first). */
export async function startTestLab(name: string, yaml: string): Promise<OverlayTestLab> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-vxlan-trace-'));
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, yaml);
  await runCli('root', ['lab', 'down', '--lab', name]);
  await runCliOk('root', ['lab', 'up', '--lab', name, '-q', '--topology', file]);
  const lab = await EmbeddedLab.connect(name);
  return {
    lab,
    status: await lab.status(),
    snapshot: async () => parseSnapshot(serializeSnapshot(await collectSnapshot(lab)), `${name}.json`),
    async down() {
      lab.close();
      await runCli('root', ['lab', 'down', '--lab', name]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
