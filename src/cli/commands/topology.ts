/** `podnet topology show|validate`: print the default topology or check a topology file. */
import { readFileSync } from 'node:fs';
import { ARTICLE_TOPOLOGY_YAML, validateTopologyText } from '../../model/topologySpec';
import { parse } from '../args';
import { UsageError } from '../cliError';

/** Help text of `podnet topology`. */
export const TOPOLOGY_HELP = `Usage:
  podnet topology show            print the article's topology (a starting point for your own)
  podnet topology validate FILE   check a topology file; every error as file:line:column: field: message`;

/** Runs `podnet topology ...`. */
export async function topologyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {}, TOPOLOGY_HELP);
  if (values.help) return void console.log(TOPOLOGY_HELP), 0;
  const [sub, file] = positionals;
  if (sub === 'show') return void process.stdout.write(ARTICLE_TOPOLOGY_YAML), 0;
  if (sub !== 'validate') throw new UsageError(sub ? `unknown topology command "${sub}"` : 'missing topology command', TOPOLOGY_HELP);
  if (!file) throw new UsageError('topology validate needs a FILE', TOPOLOGY_HELP);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const errors = validateTopologyText(text, file);
  for (const e of errors) console.error(e.format());
  if (errors.length === 0) console.log(`${file}: valid`);
  return errors.length ? 1 : 0;
}
