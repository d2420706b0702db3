/** The validated, fully-defaulted description of a lab: what `podnet lab up` builds. */

/** Built-in container workloads; each is a real, light process inside the Pod's network namespace. */
export type WorkloadKind = 'web' | 'sidecar' | 'sleep';

/** One container of a Pod. `port` is set for workloads that listen (web). */
export interface ContainerSpec {
  name: string;
  workload: WorkloadKind;
  port?: number;
}

/** One Pod: its node and its containers (they all share the Pod's network namespace). */
export interface PodSpec {
  name: string;
  node: string;
  containers: ContainerSpec[];
}

/** One node: its address on the physical network and the Pod CIDR its bridge hands out. */
export interface NodeSpec {
  name: string;
  ip: string;
  podCIDR: string;
  /** How Pods are wired: `bridge` (cbr0, the article's picture; the default) or `ptp` (kind's kindnetd: a /32 route per Pod, no bridge). */
  cni?: NodeCni;
}

/** The CNI plugin that wires a node's Pods. */
export type NodeCni = 'bridge' | 'ptp';

/** One container behind the Docker-style host: a web server on `port`, optionally published on a host port. */
export interface DockerContainerSpec {
  name: string;
  port: number;
  /** Host port DNATed to `port` on this container (like `docker run -p publish:port`). */
  publish?: number;
}

/** A Docker-style host on the node network: not part of the cluster, containers behind docker0 and NAT. */
export interface DockerHostSpec {
  name: string;
  /** Its eth0 address on the node network. */
  ip: string;
  /** The range docker0 hands out to the containers. */
  bridgeCIDR: string;
  containers: DockerContainerSpec[];
}

/** A complete lab topology after validation and defaults. */
export interface Topology {
  name: string;
  /** The "physical" network that joins the nodes' eth0 interfaces. */
  network: { cidr: string };
  /** The cluster-wide Pod CIDR every node's podCIDR is carved from. */
  clusterCIDR: string;
  nodes: NodeSpec[];
  pods: PodSpec[];
  /** Present only when the topology asks for a Docker-style host, to contrast with Pod networking. */
  dockerHost?: DockerHostSpec;
}

/** Where in a spec file a problem is; `field` is a path such as `pods[2].node`. */
export interface SpecLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** A user-facing validation error: what is wrong, where, and what to do. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly location: SpecLocation = {},
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SpecError';
  }

  /** One line: `file:line:column: field: message (hint)`. */
  format(): string {
    return formatLocated(this.message, this.location, this.hint);
  }
}

/** `file:line:column: field: message (hint)`: the one shape editors and CI logs link, for every located error. */
export function formatLocated(message: string, location: SpecLocation, hint?: string): string {
  const { file, line, column, field } = location;
  const where = [file, line, column].filter((p) => p !== undefined).join(':');
  const parts = [where, field].filter((p) => p);
  const prefix = parts.length ? `${parts.join(': ')}: ` : '';
  return `${prefix}${message}${hint ? ` (${hint})` : ''}`;
}
