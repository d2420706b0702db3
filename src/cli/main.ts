/** The `podnet` command line: the engine without VS Code, for learners in a terminal, trainers' CI and our tests. */
import { runDaemon } from '../providers/embedded/daemon/main';
import { useLabProcessEntry } from '../providers/embedded/launcher';
import { UsageError } from './cliError';
import { extractClusterOptions, type ClusterSelection } from './clusterArgs';
import { embeddedOnly } from './clusterProvider';
import { clusterCommand } from './commands/cluster';
import { demoCommand } from './commands/demo';
import { execCommand } from './commands/exec';
import { getCommand } from './commands/get';
import { labCommand } from './commands/lab';
import { podCommand } from './commands/pod';
import { serviceCommand } from './commands/service';
import { kindCommand } from './commands/kind';
import { guardOutput } from './outputGuard';
import { outputModeOf, reportError } from './reportError';
import { version } from '../../package.json';
import { snapshotCommand } from './commands/snapshot';
import { traceCommand } from './commands/trace';
import { topologyCommand } from './commands/topology';

// esbuild inlines just this field of package.json into dist/cli.js.
const VERSION: string = version;

/** Help text of `podnet`. */
export const MAIN_HELP = `podnet ${VERSION}: see and prove how Kubernetes Pod networking works, on a real lab.

Usage: podnet COMMAND [options]

Commands:
  demo                          build the article's cluster, observe its claims, tear it down
  lab up|down|status            run the embedded lab (real namespaces, veths, cbr0, CNI plugins)
  lab list|validate|run PACK    lab packs: guided steps whose checks are graded on a real lab
  get pods|nodes|svc|endpoints  list what the lab runs [-o wide|json]
  exec POD [-c C] -- CMD...     run a command in a Pod (or --node NODE, --client, --router, --wire)
  pod create|delete NAME        add or remove a Pod (a re-created Pod gets a new IP)
  service create|delete NAME    a Service: a stable ClusterIP (and NodePort) DNAT'ed to its Pods
  trace FROM TO [--proto P]     predict a packet's path from the tables, then prove it with a probe
  snapshot [-o FILE]            record every namespace's links, routes, fdb... as JSON
  snapshot validate FILE        check a snapshot file
  topology show|validate FILE   the topology format
  cluster contexts|info|cleanup a real cluster from your kubeconfig: its contexts, what PodNet sees, leftovers
  kind create|delete|list       provision a kind cluster shaped like the topology (the article's by default)

On a cluster (read-only): add --context CTX or --kubeconfig FILE to get, exec, trace and snapshot,
with -n NS or -A, and --debug-pods[=IMAGE] --yes where the nodes are not local kind containers.
  podnet get pods -o wide -A --context kind-lab
  podnet trace default/pod-a default/pod-c --context kind-lab

Run \`podnet COMMAND --help\` for details. Global options: --lab NAME (default "default"), --context CTX, --kubeconfig FILE.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  demo: demoCommand, lab: labCommand, pod: podCommand, topology: topologyCommand, kind: kindCommand,
};

/** Commands that also run on a cluster (--context/--kubeconfig). */
const CLUSTER_COMMANDS: Record<string, (argv: string[], cluster?: ClusterSelection) => Promise<number>> = {
  get: getCommand, exec: execCommand, snapshot: snapshotCommand, trace: traceCommand, cluster: clusterCommand, pod: podCommand,
  service: serviceCommand, svc: serviceCommand,
};

function daemonOption(argv: string[], name: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= argv.length) throw new Error(`missing --${name}`);
  return argv[i + 1];
}

/** Runs the CLI with `argv` (without node and script) and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '__lab-process') {
    await runDaemon({
      lab: daemonOption(rest, 'lab'), socket: daemonOption(rest, 'socket'), stateDir: daemonOption(rest, 'state'),
      rootless: rest.includes('--rootless'), tools: JSON.parse(daemonOption(rest, 'tools')),
    });
    return -1; // keep running: the lab process lives until shutdown
  }
  // A reader that leaves (`| head -1`) or a full disk must not crash a command midway. The guard stays until the
  // process exits: a failed last write reports its error a tick later, after the command has returned.
  const output = guardOutput();
  return output.exitCode(await dispatch(argv));
}

/** `--lab NAME` given before the command moves behind it, where every command reads it: `podnet --lab x get pods`. */
export function moveLeadingLabOption(argv: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('--lab')) {
    if (argv[i] === '--lab') {
      lead.push(...argv.slice(i, i + 2));
      i += 2;
    } else if (argv[i].startsWith('--lab=')) {
      lead.push(argv[i]);
      i += 1;
    } else break;
  }
  if (!lead.length || i >= argv.length) return argv;
  return [argv[i], ...lead, ...argv.slice(i + 1)];
}

async function dispatch(argv: string[]): Promise<number> {
  let mode = outputModeOf(undefined, argv); // errors are JSON too when the command asked for JSON
  try {
    // Cluster options may stand before the command too: `podnet --context kind-lab get pods`.
    const { rest: all, cluster } = extractClusterOptions(argv);
    const [cmd, ...rest] = moveLeadingLabOption(all);
    mode = outputModeOf(cmd, rest);
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') return void console.log(MAIN_HELP), 0;
    if (cmd === '--version' || cmd === 'version') return void console.log(VERSION), 0;
    const onCluster = CLUSTER_COMMANDS[cmd];
    if (onCluster) return await onCluster(rest, cluster);
    const run = COMMANDS[cmd];
    if (!run) return reportError(new UsageError(`unknown command "${cmd}"`, MAIN_HELP), mode);
    if (cluster) throw embeddedOnly(cmd);
    return await run(rest);
  } catch (e) {
    return reportError(e, mode);
  }
}

if (require.main === module) {
  useLabProcessEntry(__filename);
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (e) => {
      console.error(`podnet: the lab process failed: ${e instanceof Error ? e.stack : e}`);
      process.exit(1);
    },
  );
}
