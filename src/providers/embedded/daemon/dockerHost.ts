/**
 * Inside the optional Docker-style host (its namespace is already on the wire): docker0 made by the
 * CNI bridge plugin, web containers behind it, and the NAT Docker does, with nftables.
 */
import { firstAddress, formatIPv4 } from '../../../model/cidr';
import type { DockerContainerSpec, DockerHostSpec } from '../../../model/topology';
import { runOk } from '../../../util/exec';
import { LabError } from '../control/labError';
import type { DockerContainerInfo, DockerHostInfo } from '../control/protocol';
import { OPTIONAL_TOOLS, type LabTools } from '../tools';
import { cniAdd } from './cni';
import { startContainer, waitUntilReady, type RunningContainer } from './containers';
import { DOCKER_WIRE_PORT, ctrNsId, hostNsId, ipamDir, type LabContext } from './labState';

/** Docker's bridge, in the host's namespace. */
export const DOCKER_BRIDGE = 'docker0';

/** The nftables table (family ip) that holds the host's NAT. */
export const DOCKER_NAT_TABLE = 'docker-nat';

/** What the NAT rules need to know: the host's address, docker0's range and where each container listens. */
export interface NatPlan {
  ip: string;
  bridgeCIDR: string;
  containers: Pick<DockerContainerInfo, 'name' | 'ip' | 'port' | 'publish'>[];
}

/** The nft script (for `nft -f -`) of the host's NAT: MASQUERADE out of docker0's range, DNAT each published port. */
export function dockerNatRuleset(plan: NatPlan): string {
  const published = plan.containers.filter((c) => c.publish !== undefined);
  const dnat = (match: string) => published.map((c) => `    ${match} tcp dport ${c.publish} dnat to ${c.ip}:${c.port} comment "${c.name}"`);
  return [
    // Declaring then deleting makes loading idempotent: one transaction, no error if the table is new.
    `table ip ${DOCKER_NAT_TABLE}`,
    `delete table ip ${DOCKER_NAT_TABLE}`,
    `table ip ${DOCKER_NAT_TABLE} {`,
    '  # Outbound: a container leaves with the host\'s own address (what `docker run` sets up).',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${plan.bridgeCIDR} oifname != "${DOCKER_BRIDGE}" masquerade`,
    '  }',
    '  # Inbound: a published host port leads to its container (`docker run -p HOST:CONTAINER`); the source is kept.',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...dnat(`iifname != "${DOCKER_BRIDGE}"`),
    '  }',
    '  # The host itself can use its published ports too.',
    '  chain output {',
    '    type nat hook output priority -100; policy accept;',
    ...dnat(`ip daddr ${plan.ip}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The nft path, or a LabError that says how to install it; checked before anything of the lab is built. */
export function requireNft(tools: LabTools): string {
  if (tools.nft) return tools.nft;
  const req = OPTIONAL_TOOLS.find((t) => t.name === 'nft');
  throw new LabError(
    `nft is not installed, and the Docker host needs it for ${req?.neededFor ?? 'its NAT'}. Fix: sudo apt-get install -y ${req?.pkg ?? 'nftables'}, then run \`podnet lab up\` again (or build the lab without the Docker host)`,
    'FAILED',
    'dockerHost',
  );
}

/** One container: its namespaces, CNI ADD on docker0 (the first ADD creates the bridge), then its web server. */
async function attachContainer(
  ctx: LabContext, host: DockerHostSpec, spec: DockerContainerSpec,
): Promise<{ info: DockerContainerInfo; running: RunningContainer }> {
  const nsId = ctrNsId(spec.name);
  await ctx.ns.create(nsId, spec.name);
  const att = await cniAdd(ctx.tools, {
    podCIDR: host.bridgeCIDR,
    bridge: DOCKER_BRIDGE,
    dataDir: ipamDir(ctx, host.name),
    containerId: `podnet-${ctx.lab}-docker-${spec.name}`,
    podNetns: ctx.ns.files(nsId).net,
    enterNode: (argv) => ctx.ns.enter(hostNsId(host.name), argv),
  });
  // The container's identity as the web workload reports it: "pod" is the container, "node" the host.
  const identity = { pod: spec.name, node: host.name, ip: att.ip };
  const running = startContainer(ctx.tools, { name: spec.name, workload: 'web', port: spec.port }, identity, ctx.files, (argv) => ctx.ns.enterWorkload(nsId, argv));
  const info: DockerContainerInfo = { name: spec.name, ip: att.ip, mac: att.mac, hostVeth: att.hostVeth, port: spec.port };
  if (spec.publish !== undefined) info.publish = spec.publish;
  return { info, running };
}

/** Builds docker0, the containers and the NAT in the host namespace `hostNsId(spec.name)`; a failure is rolled back with the sandbox. */
export async function buildDockerHost(ctx: LabContext, spec: DockerHostSpec): Promise<DockerHostInfo> {
  const nft = requireNft(ctx.tools);
  const running = new Map<string, RunningContainer>();
  ctx.dockerContainers = running;
  const containers: DockerContainerInfo[] = [];
  // One after the other, so host-local hands out addresses in the order the containers are listed.
  for (const c of spec.containers) {
    const attached = await attachContainer(ctx, spec, c);
    running.set(c.name, attached.running);
    containers.push(attached.info);
  }
  const ruleset = dockerNatRuleset({ ip: spec.ip, bridgeCIDR: spec.bridgeCIDR, containers });
  await runOk(ctx.ns.enter(hostNsId(spec.name), [nft, '-f', '-']), { input: ruleset, timeoutMs: 20_000 }, `loading the NAT rules (table ip ${DOCKER_NAT_TABLE}) on ${spec.name}`);
  const ready = await Promise.all([...running.values()].map((c) => waitUntilReady(c)));
  const failed = [...running.keys()].filter((_, i) => !ready[i]);
  if (failed.length) throw new Error(`container(s) ${failed.join(', ')} of the Docker host ${spec.name} did not become ready (see ${ctx.files.podsDir}/<container>/*.log inside the lab)`);
  return {
    name: spec.name,
    ip: spec.ip,
    bridge: DOCKER_BRIDGE,
    bridgeIP: formatIPv4(firstAddress(spec.bridgeCIDR)),
    bridgeCIDR: spec.bridgeCIDR,
    wirePort: DOCKER_WIRE_PORT,
    containers,
  };
}
