/** The lab process's in-memory model of what it built: nodes, Pods and their containers, Services, the optional Docker host and outside client. */
import { SERVICE_DEFAULTS } from '../../../model/serviceSpec';
import type { NodeSpec, PodSpec, Topology } from '../../../model/topology';
import type { ClientInfo, DockerHostInfo, LabEvent, LabStatus, NodeInfo, PodInfo, RouterInfo } from '../control/protocol';
import type { LabTools } from '../tools';
import type { RunningContainer } from './containers';
import type { Namespaces } from './namespaces';
import type { ServiceProxy } from './services/serviceProxy';
import type { WorkloadFiles } from './workloadScripts';

/** Name of the bridge that plays the physical network between the nodes. */
export const WIRE_BRIDGE = 'wire0';
/** The Docker host's port on the wire (nodes have wire0-p1, wire0-p2, ...). */
export const DOCKER_WIRE_PORT = `${WIRE_BRIDGE}-h1`;
/** The outside client's port on the wire. */
export const CLIENT_WIRE_PORT = `${WIRE_BRIDGE}-c1`;

/** A Pod while it exists in the lab. */
export interface PodRecord {
  spec: PodSpec;
  info: PodInfo;
  containers: RunningContainer[];
}

/** Everything the lab operations share. */
export interface LabContext {
  lab: string;
  rootless: boolean;
  tools: LabTools;
  stateDir: string;
  ns: Namespaces;
  files: WorkloadFiles;
  topology?: Topology;
  nodes: Map<string, NodeInfo>;
  pods: Map<string, PodRecord>;
  state: LabStatus['state'];
  sandboxPid: number;
  startedAt: string;
  /** Counter for CNI container ids, so a re-created Pod is a new sandbox. */
  sandboxSeq: number;
  /** The Docker-style host, once built (only when the topology asks for one). */
  dockerHost?: DockerHostInfo;
  /** The Docker host's containers by name, for `exec` into them. */
  dockerContainers?: Map<string, RunningContainer>;
  /** The router between subnets, once built (only when the topology has network.subnets). */
  router?: RouterInfo;
  /** The wire bridge LabStatus reports when it is not wire0 (with subnets: the first subnet's bridge). */
  wireBridge?: string;
  /** The lab's kube-proxy: Services and every node's rules for them (made by the first Service; needs nft). */
  services?: ServiceProxy;
  /** The outside client, once built (only when the topology asks for one). */
  client?: ClientInfo;
  /** Sends an event to every client watching the lab. */
  broadcast: (e: LabEvent) => void;
}

/** Namespace-file id of a node. */
export const nodeNsId = (node: string): string => `node-${node}`;
/** Namespace-file id of a Pod. */
export const podNsId = (pod: string): string => `pod-${pod}`;
/** Namespace-file id of the outside client. */
export const clientNsId = (client: string): string => `client-${client}`;
/** Namespace-file id of the Docker host. */
export const hostNsId = (host: string): string => `host-${host}`;
/** Namespace-file id of a container on the Docker host. */
export const ctrNsId = (container: string): string => `ctr-${container}`;

/** Host-local's data folder for one node (lives in the private tmpfs). */
export function ipamDir(ctx: LabContext, node: string): string {
  return `${ctx.stateDir}/ipam/${node}`;
}

/** The NodeInfo for a node spec (index is 0-based). */
export function nodeInfo(spec: NodeSpec, index: number, bridgeIP: string): NodeInfo {
  const cni = spec.cni ?? 'bridge';
  return { name: spec.name, ip: spec.ip, podCIDR: spec.podCIDR, bridge: cni === 'ptp' ? '' : 'cbr0', bridgeIP, cni, wirePort: `${WIRE_BRIDGE}-p${index + 1}` };
}

/** A snapshot of the lab for clients. */
export function labStatus(ctx: LabContext): LabStatus {
  if (!ctx.topology) throw new Error('the lab has not been built yet');
  return {
    lab: ctx.lab,
    state: ctx.state,
    rootless: ctx.rootless,
    sandboxPid: ctx.sandboxPid,
    startedAt: ctx.startedAt,
    topology: ctx.topology,
    nodes: [...ctx.nodes.values()],
    pods: [...ctx.pods.values()].map((p) => p.info).sort((a, b) => a.name.localeCompare(b.name)),
    wireBridge: ctx.wireBridge ?? WIRE_BRIDGE,
    ...(ctx.router ? { router: ctx.router } : {}),
    ...(ctx.dockerHost ? { dockerHost: ctx.dockerHost } : {}),
    ...(ctx.services ? { services: ctx.services.infos() } : {}),
    serviceCIDR: ctx.topology.serviceCIDR ?? SERVICE_DEFAULTS.serviceCIDR,
    ...(ctx.client ? { client: ctx.client } : {}),
  };
}
