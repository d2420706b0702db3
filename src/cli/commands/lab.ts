/** `podnet lab up|down|status`: start, stop and describe the embedded lab; `list|validate|run` are lab packs (labPack.ts). */
import { withDefaultDockerHost } from '../../model/topologySpec';
import type { DockerHostInfo, LabStatus, NodeInfo } from '../../providers/embedded/control/protocol';
import { connectLab, startLab, stopLab } from '../../providers/embedded/launcher';
import { labPaths } from '../../providers/embedded/labPaths';
import { labName, outputFormat, parse } from '../args';
import { UsageError } from '../cliError';
import { loadTopology } from '../loadTopology';
import { otherMachinesLines, podsTable } from './get';
import { portsText } from './getServices';
import { LAB_PACK_HELP, labPackCommand } from './labPack';

/** Help text of `podnet lab`. */
export const LAB_HELP = `Usage:
  podnet lab up [options]       build the lab (default: the article's 2 nodes, 3 Pods)
  podnet lab down               stop the lab; every namespace, veth and IP goes away
  podnet lab status [-o json]   is a lab running, and what it holds
${LAB_PACK_HELP}

Options of lab up:
  --topology FILE      a topology file (YAML or JSON; see docs/topology.md)
  --with-docker-host   add a Docker-style host (docker-host, 192.168.1.10) whose containers web-a and
                       web-b sit behind docker0 and NAT, to contrast with Pod networking (needs nft)
  --cni-path DIR       folder with the CNI plugins (default: $CNI_PATH, /usr/lib/cni, /opt/cni/bin)
  -q                   no progress lines
  -o json              print the lab's status as JSON

Every command:
  --lab NAME           which lab (default "default", or $PODNET_LAB)`;

/** One line about the Docker host: its address, docker0 and each container with its published port. */
export function dockerHostLine(h: DockerHostInfo): string {
  const containers = h.containers.map((c) => `${c.name} ${c.ip}:${c.port}${c.publish !== undefined ? ` (published on ${h.ip}:${c.publish})` : ''}`);
  return `  ${h.name}  eth0 ${h.ip}  Docker host (not in the cluster), ${h.bridge} ${h.bridgeIP} (${h.bridgeCIDR}), NAT: ${containers.join(', ') || 'no containers'}`;
}

/** A node's line in lab status (address, Pod CIDR, bridge, CNI when not the plain bridge, subnet), then one line per Pod route the kernel refused. */
export function nodeLines(n: NodeInfo): string[] {
  const bridge = n.bridge ? `${n.bridge} ${n.bridgeIP}` : `no bridge, gateway ${n.bridgeIP}`;
  const cni = n.cni === 'bridge' ? '' : `  cni ${n.cni}${n.vtep ? ` (${n.vtep.dev}, VNI ${n.vtep.vni}, UDP ${n.vtep.port})` : ''}`;
  const subnet = n.subnet ? `  subnet ${n.subnet}` : '';
  const refused = (n.refusedRoutes ?? []).map((r) => `    route ${r.dst} via ${r.via} not installed: ${r.reason}`);
  return [`  ${n.name}  eth0 ${n.ip}  Pod CIDR ${n.podCIDR}  ${bridge}${cni}${subnet}`, ...refused];
}

/** Indented lines about the outside client, the router and the Services, when the lab has them. */
export function labExtrasLines(st: Pick<LabStatus, 'client' | 'router' | 'services' | 'serviceCIDR'>): string[] {
  const lines = otherMachinesLines(st).map((l) => `  ${l}`);
  const services = st.services ?? [];
  if (services.length) {
    const list = services.map((s) => `${s.name} ${s.clusterIP} (${portsText(s)})`).join(', ');
    lines.push(`  ${services.length} Service${services.length === 1 ? '' : 's'} in ${st.serviceCIDR ?? 'the service range'}: ${list} (podnet get svc)`);
  }
  return lines;
}

const PACK_COMMANDS = ['list', 'validate', 'run'];

/** The first positional argument (skipping `--lab NAME`), to route lab-pack subcommands before option parsing. */
function subcommandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--lab') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

/** Options of `podnet lab` (the lab-pack action policy reads them too). */
export const LAB_OPTIONS = {
  topology: { type: 'string' }, 'with-docker-host': { type: 'boolean' }, 'cni-path': { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
  output: { type: 'string', short: 'o' },
} as const;

/** Runs `podnet lab ...`. */
export async function labCommand(argv: string[]): Promise<number> {
  if (PACK_COMMANDS.includes(subcommandOf(argv) ?? '')) return labPackCommand(argv, LAB_HELP);
  const { values, positionals } = parse(argv, LAB_OPTIONS, LAB_HELP);
  if (values.help) return void console.log(LAB_HELP), 0;
  const lab = labName(values.lab);
  const [sub, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, LAB_HELP);
  switch (sub) {
    case 'up': {
      const format = outputFormat(values.output, ['text', 'json'] as const, 'text');
      const loaded = loadTopology(values.topology);
      const topology = values['with-docker-host'] ? withDefaultDockerHost(loaded) : loaded;
      const t0 = Date.now();
      const status = await startLab({
        lab, topology, cniPath: values['cni-path'],
        onProgress: (p) => !values.quiet && format === 'text' && process.stderr.write(`  ✓ ${p.detail}\n`),
      });
      if (format === 'json') console.log(JSON.stringify(status, null, 2));
      else {
        console.log(`lab "${lab}" is up in ${((Date.now() - t0) / 1000).toFixed(2)} s (${status.rootless ? 'rootless sandbox' : 'sandbox as root'}, PID ${status.sandboxPid})\n`);
        console.log(podsTable(status.pods, false));
        const refused = status.nodes.flatMap((n) => (n.refusedRoutes ?? []).map((r) => `  ${n.name}: route ${r.dst} via ${r.via} not installed: ${r.reason}`));
        const more = [...(status.dockerHost ? [dockerHostLine(status.dockerHost)] : []), ...labExtrasLines(status), ...refused];
        if (more.length) console.log(`\n${more.join('\n')}`);
      }
      return 0;
    }
    case 'down': {
      const { sandboxPid } = await stopLab(lab);
      console.log(`lab "${lab}" stopped (sandbox PID ${sandboxPid} gone; its namespaces, veths, bridges and IP leases went with it)`);
      return 0;
    }
    case 'status': {
      const format = outputFormat(values.output, ['text', 'json'] as const, 'text');
      const client = await connectLab(lab);
      if (!client) {
        if (format === 'json') console.log(JSON.stringify({ lab, running: false }));
        else console.log(`lab "${lab}" is not running (socket ${labPaths(lab).socket})`);
        return 3;
      }
      const st = await client.call('status', {}).finally(() => client.close());
      if (format === 'json') console.log(JSON.stringify({ running: true, ...st }, null, 2));
      else {
        console.log(`lab "${lab}" is ${st.state}: ${st.nodes.length} nodes, ${st.pods.length} Pods, ${st.rootless ? 'rootless' : 'as root'}, sandbox PID ${st.sandboxPid}, since ${st.startedAt}`);
        for (const n of st.nodes) console.log(nodeLines(n).join('\n'));
        if (st.dockerHost) console.log(dockerHostLine(st.dockerHost));
        for (const line of labExtrasLines(st)) console.log(line);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown lab command "${sub}"` : 'missing lab command', LAB_HELP);
  }
}
