/** Reads the topology a command should build: a file given with --topology, or the article's default. */
import { readFileSync } from 'node:fs';
import { ARTICLE_TOPOLOGY_YAML, parseTopology } from '../model/topologySpec';
import type { Topology } from '../model/topology';
import { UsageError } from './cliError';

/** Loads and validates a topology file (SpecError carries file:line:column), or returns the article's. */
export function loadTopology(file: string | undefined): Topology {
  if (!file) return parseTopology(ARTICLE_TOPOLOGY_YAML, '<built-in article topology>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--topology ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTopology(text, file);
}
