/** `podnet snapshot [-o FILE]` and `podnet snapshot validate FILE`: record a running lab's network state, or check a recorded one. */
import { readFileSync, writeFileSync } from 'node:fs';
import { EmbeddedLab } from '../../providers/embedded/embeddedLab';
import { collectSnapshot } from '../../snapshot/collect';
import type { Snapshot } from '../../snapshot/types';
import { parseSnapshot, serializeSnapshot } from '../../snapshot/validate';
import { labName, parse } from '../args';
import { UsageError } from '../cliError';

/** Help text of `podnet snapshot`. */
export const SNAPSHOT_HELP = `Usage:
  podnet snapshot [-o FILE] [--lab NAME]   record every namespace's links, addresses, routes, rules, neighbours,
                                           bridge fdb and nft rules as one JSON file (stdout without -o)
  podnet snapshot validate FILE            check a snapshot file; an error names the JSON path of the bad field`;

/** One line: how much was recorded and how long it took. */
export function snapshotSummary(s: Snapshot, ms: number, file?: string): string {
  const count = (f: (ns: Snapshot['namespaces'][number]) => unknown[]) => s.namespaces.reduce((n, ns) => n + f(ns).length, 0);
  const where = file ? ` to ${file}` : '';
  return `snapshot of lab "${s.source.lab}"${where}: ${s.namespaces.length} namespaces, ${count((ns) => ns.links)} links, `
    + `${count((ns) => ns.addresses)} addresses, ${count((ns) => ns.routes)} routes, ${count((ns) => ns.fdb)} fdb entries in ${Math.round(ms)} ms`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function record(lab: string, out: string | undefined): Promise<number> {
  const provider = await EmbeddedLab.connect(lab);
  let snap: Snapshot;
  const started = performance.now();
  try {
    snap = await collectSnapshot(provider);
  } finally {
    provider.close();
  }
  const ms = performance.now() - started;
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

/** Runs `podnet snapshot ...`. */
export async function snapshotCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' } }, SNAPSHOT_HELP);
  if (values.help) return void console.log(SNAPSHOT_HELP), 0;
  const [sub, file, ...extra] = positionals;
  if (sub === undefined) return record(labName(values.lab), values.output);
  if (sub !== 'validate') throw new UsageError(`unknown snapshot command "${sub}"`, SNAPSHOT_HELP);
  if (!file) throw new UsageError('snapshot validate needs a FILE', SNAPSHOT_HELP);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, SNAPSHOT_HELP);
  if (values.output !== undefined) throw new UsageError('-o is for recording a snapshot, not for validate', SNAPSHOT_HELP);
  const snap = parseSnapshot(readText(file), file);
  console.log(`${file}: valid (snapshot of lab "${snap.source.lab}", ${snap.namespaces.length} namespaces, captured ${snap.capturedAt})`);
  return 0;
}
