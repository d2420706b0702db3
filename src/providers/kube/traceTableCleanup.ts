/** Finds and deletes nft trace tables a crashed `podnet trace` left in a cluster's node and Pod namespaces. */
import { TRACE_TABLE } from '../../tracer/verify/traceEvents';
import { mapLimit } from '../../util/concurrency';
import type { ExecTarget } from '../embedded/control/protocol';
import type { LabProvider } from '../provider';

/** Only tables named exactly like the tracer's (`podnet_trace_<hex>`) are ever deleted. */
const OURS = new RegExp(`^${TRACE_TABLE}_[0-9a-f]{1,32}$`);

/** A trace table found in a namespace. */
export interface LeftoverTable {
  family: string;
  name: string;
}

/** The tracer's tables in `nft -j list tables` output; anything else (other tables, unreadable JSON) is left alone. */
export function traceTablesIn(nftJson: string): LeftoverTable[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(nftJson);
  } catch {
    return []; // not JSON: nothing we can be sure is ours
  }
  const items = (parsed as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) return [];
  return items
    .map((i) => (i as { table?: { family?: unknown; name?: unknown } }).table)
    .filter((t): t is { family: string; name: string } => typeof t?.family === 'string' && typeof t.name === 'string' && OURS.test(t.name) && /^(inet|ip|ip6|bridge|arp|netdev)$/.test(t.family))
    .map((t) => ({ family: t.family, name: t.name }));
}

/** What cleanup did in one namespace. */
export interface TableCleanup {
  where: string;
  removed: LeftoverTable[];
  /** Why the namespace could not be checked (nft missing, unreachable). */
  error?: string;
}

async function cleanOne(lab: LabProvider, where: string, target: ExecTarget): Promise<TableCleanup> {
  try {
    const list = await lab.exec(target, ['nft', '-j', 'list', 'tables'], { timeoutMs: 10_000 });
    if (list.code !== 0) return { where, removed: [], error: `nft -j list tables exited ${list.code}: ${list.stderr.trim() || '(no output)'}` };
    const found = traceTablesIn(list.stdout);
    const removed: LeftoverTable[] = [];
    for (const t of found) {
      const del = await lab.exec(target, ['nft', 'delete', 'table', t.family, t.name], { timeoutMs: 10_000 });
      if (del.code !== 0) return { where, removed, error: `nft delete table ${t.family} ${t.name} exited ${del.code}: ${del.stderr.trim()}` };
      removed.push(t);
    }
    return { where, removed };
  } catch (e) {
    return { where, removed: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/** Removes the tracer's leftover tables from every node and every Running Pod namespace the provider can enter. */
export async function cleanupTraceTables(lab: LabProvider): Promise<TableCleanup[]> {
  const st = await lab.status();
  const targets: [string, ExecTarget][] = [
    ...st.nodes.map((n): [string, ExecTarget] => [`node/${n.name}`, { kind: 'node', node: n.name }]),
    ...st.pods.filter((p) => p.status === 'Running' && p.ip && !p.hostNetwork).map((p): [string, ExecTarget] => [`pod/${p.name}`, { kind: 'pod', pod: p.name }]),
  ];
  return mapLimit(targets, 8, ([where, target]) => cleanOne(lab, where, target));
}
