/** `podnet snapshot [-o FILE]` and `podnet snapshot validate FILE`: record a running lab's network state, or check a recorded one. */
import { readFileSync, writeFileSync } from 'node:fs';
import { collectSnapshot } from '../../snapshot/collect';
import type { Snapshot } from '../../snapshot/types';
import { parseSnapshot, serializeSnapshot } from '../../snapshot/validate';
import { parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { requireNodeAccess, withProvider } from '../clusterProvider';

/** Help text of `podnet snapshot`. */
export const SNAPSHOT_HELP = `Usage:
  podnet snapshot [-o FILE] [--lab NAME]   record every namespace's links, addresses, routes, rules, neighbours,
                                           bridge fdb and nft rules as one JSON file (stdout without -o)
  podnet snapshot validate FILE            check a snapshot file; an error names the JSON path of the bad field
  podnet snapshot --context CTX [-o FILE]  the same for a cluster: every node's and Pod's namespace, read through the
                                           node access (kind node containers, or --debug-pods); the source (context,
                                           server, access) is recorded in the file

${CLUSTER_OPTIONS_HELP}`;

/** One line: how much was recorded and how long it took. */
export function snapshotSummary(s: Snapshot, ms: number, file?: string): string {
  const count = (f: (ns: Snapshot['namespaces'][number]) => unknown[]) => s.namespaces.reduce((n, ns) => n + f(ns).length, 0);
  const where = file ? ` to ${file}` : '';
  const what = s.source.context ? `context "${s.source.context}" (${s.source.server}, access: ${s.source.access})` : `lab "${s.source.lab}"`;
  return `snapshot of ${what}${where}: ${s.namespaces.length} namespaces, ${count((ns) => ns.links)} links, `
    + `${count((ns) => ns.addresses)} addresses, ${count((ns) => ns.routes)} routes, ${count((ns) => ns.fdb)} fdb entries in ${Math.round(ms)} ms`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function record(cluster: ClusterSelection | undefined, lab: string | undefined, out: string | undefined): Promise<number> {
  const { snap, ms } = await withProvider(cluster, lab, async (provider) => {
    requireNodeAccess(provider, 'a snapshot');
    const started = performance.now();
    return { snap: await collectSnapshot(provider), ms: performance.now() - started };
  });
  const text = serializeSnapshot(snap);
  if (out) {
    try {
      writeFileSync(out, text);
    } catch (e) {
      throw new UsageError(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } else {
    process.stdout.write(text);
  }
  console.error(snapshotSummary(snap, ms, out));
  return 0;
}

/** Options of `podnet snapshot` (the lab-pack action policy reads them too). */
export const SNAPSHOT_OPTIONS = { output: { type: 'string', short: 'o' } } as const;

/** Runs `podnet snapshot ...`. */
export async function snapshotCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, SNAPSHOT_OPTIONS, SNAPSHOT_HELP);
  if (values.help) return void console.log(SNAPSHOT_HELP), 0;
  const [sub, file, ...extra] = positionals;
  if (sub === undefined) return record(cluster, values.lab, values.output);
  if (sub !== 'validate') throw new UsageError(`unknown snapshot command "${sub}"`, SNAPSHOT_HELP);
  if (!file) throw new UsageError('snapshot validate needs a FILE', SNAPSHOT_HELP);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, SNAPSHOT_HELP);
  if (values.output !== undefined) throw new UsageError('-o is for recording a snapshot, not for validate', SNAPSHOT_HELP);
  if (cluster) throw new UsageError('snapshot validate reads a file: drop --context/--kubeconfig', SNAPSHOT_HELP);
  const snap = parseSnapshot(readText(file), file);
  console.log(`${file}: valid (snapshot of lab "${snap.source.lab}", ${snap.namespaces.length} namespaces, captured ${snap.capturedAt})`);
  return 0;
}
