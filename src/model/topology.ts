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
  /** Key/value labels, as a Service's selector matches them (Kubernetes label syntax); absent means none. */
  labels?: Record<string, string>;
}

/** One node: its address on the physical network and the Pod CIDR its bridge hands out. */
export interface NodeSpec {
  name: string;
  ip: string;
  podCIDR: string;
  /** How Pods are wired: `bridge` (cbr0, the article's picture; the default) or `ptp` (kind's kindnetd: a /32 route per Pod, no bridge). */
  cni?: NodeCni;
  /** With `network.subnets`: the name of the subnet this node's eth0 is in (derived from `ip` when not given). */
  subnet?: string;
}

/** The CNI plugin that wires a node's Pods: `vxlan` is a cbr0 bridge plus Flannel's vxlan backend (flannel.1, VNI 1, UDP 8472). */
export type NodeCni = 'bridge' | 'ptp' | 'vxlan';

/** One subnet of the "physical" network when it is split by a router (issue 12). */
export interface SubnetSpec {
  name: string;
  cidr: string;
  /** The router's address in this subnet: the nodes' default gateway there. */
  routerIP: string;
}

/** The router joining `network.subnets`: it forwards between them and knows no Pod CIDR, like a data-centre router. */
export interface RouterSpec {
  name: string;
}

/** How a Service picks Pods: by labels (every key must match) or by a list of Pod names; exactly one is set. */
export interface ServiceSelector {
  labels?: Record<string, string>;
  pods?: string[];
}

/** ClusterIP: a virtual address inside the cluster; NodePort: that plus a port on every node's own address. */
export type ServiceType = 'ClusterIP' | 'NodePort';

/** Transport protocol of a Service port. */
export type ServiceProtocol = 'tcp' | 'udp';

/** Whether NodePort traffic may go to any node's endpoint (source masqueraded) or only to this node's (client source kept). */
export type ExternalTrafficPolicy = 'Cluster' | 'Local';

/** One Service of the lab, after defaults (issue 11): a stable virtual IP that kube-proxy-style nft rules DNAT to a ready Pod. */
export interface ServiceSpec {
  name: string;
  selector: ServiceSelector;
  type: ServiceType;
  /** From serviceCIDR; default host number 100+index (10.96.0.100, ...). */
  clusterIP: string;
  protocol: ServiceProtocol;
  port: number;
  /** The Pods' port; default `port`. */
  targetPort: number;
  /** Set exactly when type is NodePort: 30000-32767, unique in the lab; default 30080+index. */
  nodePort?: number;
  externalTrafficPolicy: ExternalTrafficPolicy;
}

/** A machine on the node network that is not in the cluster: no route to any Pod or Service range (the learner's laptop). */
export interface OutsideClientSpec {
  name: string;
  /** Its eth0 address on the node network (default host number 50 of network.cidr, or of the first subnet). */
  ip: string;
  /** With `network.subnets`: the name of the subnet its eth0 is in (derived from `ip`). */
  subnet?: string;
}

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
  network: {
    cidr: string;
    /** When set, the node network is these subnets joined by `router` (issue 12); `cidr` then summarises them. */
    subnets?: SubnetSpec[];
    router?: RouterSpec;
  };
  /** The cluster-wide Pod CIDR every node's podCIDR is carved from. */
  clusterCIDR: string;
  nodes: NodeSpec[];
  pods: PodSpec[];
  /** Present only when the topology asks for a Docker-style host, to contrast with Pod networking. */
  dockerHost?: DockerHostSpec;
  /** The range ClusterIPs come from (default 10.96.0.0/12, as kubeadm and kind); apart from every other range. Set by the parser. */
  serviceCIDR?: string;
  /** Services, in file order; absent or empty means none. */
  services?: ServiceSpec[];
  /** Present when the topology asks for an outside client (`client:`). */
  client?: OutsideClientSpec;
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
