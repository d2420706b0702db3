/** Loads the snapshot fixtures recorded from the real lab (see test/fixtures/snapshots/README.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshot } from '../../src/snapshot/validate';
import type { Snapshot } from '../../src/snapshot/types';

/** A fresh copy of a recorded snapshot (tests may change the copy to build a variant). */
export function loadFixture(name: string): Snapshot {
  const file = join(__dirname, '..', 'fixtures', 'snapshots', name);
  return parseSnapshot(readFileSync(file, 'utf8'), file);
}

/** The IP of a Pod in a snapshot. */
export function podIP(s: Snapshot, pod: string): string {
  const p = s.cluster.pods.find((x) => x.name === pod);
  if (!p) throw new Error(`no pod ${pod} in the fixture`);
  return p.ip;
}
