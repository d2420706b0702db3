/** Entry point of the lab process, which runs as PID 1 inside the sandbox's own user/network/mount/PID namespaces. */
import { readFileSync, readlinkSync } from 'node:fs';
import { runOk } from '../../../util/exec';
import { RpcServer } from '../control/rpcServer';
import { LAB_INIT_NAME } from '../sandboxProcess';
import type { LabTools } from '../tools';
import { makeHandlers } from './handlers';
import type { LabContext } from './labState';
import { Namespaces } from './namespaces';
import { orphanCleanupFor, removeOrphanFiles, reportReadyAndWatchLauncher } from './lifeline';
import { installWorkloadFiles } from './workloadScripts';

/** Arguments the launcher passes to the lab process. */
export interface DaemonArgs {
  lab: string;
  socket: string;
  stateDir: string;
  rootless: boolean;
  tools: LabTools;
}

/** True when our parent is the sandbox's init shell, PID 1 of a PID namespace of our own (the host's PID 1 is another program). */
function underLabInit(): boolean {
  try {
    return process.ppid === 1 && readFileSync('/proc/1/cmdline', 'utf8').split('\0').includes(LAB_INIT_NAME);
  } catch {
    return false; // /proc/1 unreadable: not our sandbox
  }
}

/** Refuses to run unless this process is inside a fresh network namespace and its own PID namespace, so the host is never touched. */
function assertSandboxed(): void {
  if (!underLabInit()) throw new Error('the lab process must run under the init of its own PID namespace (start it with `podnet lab up`)');
  // /proc/self/net follows this process's network namespace (/sys would show the host's).
  const links = readFileSync('/proc/self/net/dev', 'utf8').split('\n').slice(2).map((l) => l.split(':')[0].trim()).filter(Boolean);
  if (links.length !== 1 || links[0] !== 'lo') {
    throw new Error(`refusing to build a lab in a network namespace that already has links (${links.join(', ')}): it must be the sandbox's own`);
  }
  readlinkSync('/proc/self/ns/net'); // fails loudly if /proc is not mounted for this PID namespace
}

/** Starts the control server, mounts the private state tmpfs, then reports "ready" on fd 3. */
export async function runDaemon(args: DaemonArgs): Promise<void> {
  assertSandboxed();
  const tools = args.tools;
  let server: RpcServer | undefined;
  const stop = () => {
    server?.close();
    // Leaving PID 1 ends the PID namespace: the kernel kills every container, and the network
    // and mount namespaces (with their veths, bridges, IPAM files) disappear with them.
    process.exit(0);
  };
  // Bind the socket before the tmpfs goes over the state dir, so the host path stays reachable.
  const ctx: LabContext = {
    lab: args.lab, rootless: args.rootless, tools, stateDir: args.stateDir,
    ns: undefined as unknown as Namespaces, files: undefined as unknown as LabContext['files'],
    nodes: new Map(), pods: new Map(), state: 'building', sandboxPid: 0, startedAt: new Date().toISOString(), sandboxSeq: 0,
    broadcast: (e) => server?.broadcast(e),
  };
  server = new RpcServer(makeHandlers(ctx, stop, (s) => server?.watch(s)));
  await server.listen(args.socket);
  await runOk([tools.mount, '-t', 'tmpfs', '-o', 'mode=0700', `podnet-${args.lab}`, args.stateDir], {}, 'mounting the lab state tmpfs');
  ctx.ns = new Namespaces(tools, args.stateDir);
  ctx.files = installWorkloadFiles(args.stateDir);
  await ctx.ns.createWorkloadMounts();
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, stop);
  const orphan = orphanCleanupFor(args.socket, args.stateDir, tools);
  const watched = reportReadyAndWatchLauncher(() => {
    if (ctx.state !== 'building') return; // built (the launcher let go on purpose) or stopping already
    // The launcher died before the lab was built: nobody will ever use or stop it, and nobody is left to clean up.
    server?.close();
    void removeOrphanFiles(orphan).then((problems) => {
      if (problems.length) console.error(`the launcher of lab "${args.lab}" died; could not remove: ${problems.join('; ')}`);
      process.exit(1);
    });
  });
  // Started by hand (no launcher to watch): if nobody builds the lab within a minute, do not linger.
  if (!watched) {
    setTimeout(() => {
      if (!ctx.topology) stop();
    }, 60_000).unref();
  }
}
