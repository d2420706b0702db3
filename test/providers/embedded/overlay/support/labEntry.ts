/**
 * Entry of the test bundle that starts overlay labs from a Topology object (the topology file parser for subnets lands separately): `up --lab L`
 * reads the topology as JSON on stdin and prints the LabStatus; `down --lab L` stops it; `__lab-process` is the real lab process, as in the CLI.
 */
import { runDaemon } from '../../../../../src/providers/embedded/daemon/main';
import { startLab, stopLab } from '../../../../../src/providers/embedded/launcher';
import type { Topology } from '../../../../../src/model/topology';

function option(argv: string[], name: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= argv.length) throw new Error(`missing --${name}`);
  return argv[i + 1];
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '__lab-process') {
    const tools = JSON.parse(option(rest, 'tools'));
    await runDaemon({ lab: option(rest, 'lab'), socket: option(rest, 'socket'), stateDir: option(rest, 'state'), rootless: rest.includes('--rootless'), tools });
    return; // the lab process lives until shutdown
  }
  if (command === 'up') {
    const topology = JSON.parse(await readStdin()) as Topology;
    const progress: string[] = [];
    const status = await startLab({ lab: option(rest, 'lab'), topology, entry: __filename, onProgress: (e) => progress.push(`${e.step}: ${e.detail}`) });
    process.stdout.write(JSON.stringify({ status, progress }));
    return;
  }
  if (command === 'down') {
    await stopLab(option(rest, 'lab'));
    return;
  }
  throw new Error(`unknown command ${command}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
