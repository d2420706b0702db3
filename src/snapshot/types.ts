/** The versioned snapshot format: the network state of every namespace of a lab, plus the cluster facts. Plain data, no behaviour. */

/** Value of `format` in every snapshot file. */
export const SNAPSHOT_FORMAT = 'podnet-snapshot';
/** The snapshot version this code writes and the newest it reads (it reads 1 and 2; 2 added Services, client, router, subnets, VXLAN). */
export const SNAPSHOT_VERSION = 2;

/**
 * What a namespace plays in the lab. `host` is the Docker-style host, `container` one of its containers, `client` the
 * outside client (issue 11), `router` the router between subnets (issue 12).
 */
export type NamespaceKind = 'wire' | 'node' | 'pod' | 'host' | 'container' | 'client' | 'router';

/** One network interface. */
export interface SnapshotLink {
  ifindex: number;
  name: string;
  kind: 'veth' | 'bridge' | 'loopback' | 'vxlan' | 'other';
  mac: string;
  mtu: number;
  /** operstate as the kernel reports it (UP, DOWN, UNKNOWN, LOWERLAYERDOWN). */
  state: string;
  /** True when the link is administratively up (flag UP). */
  up: boolean;
  /** The bridge this link is a port of. */
  master?: string;
  /** For a veth: the other end, resolved to a namespace id and interface name. */
  peer?: { namespace: string; ifname: string };
  /** For a veth whose peer could not be resolved: the raw peer ifindex. */
  peerIfindex?: number;
  /** For a vxlan device: VNI, UDP port, local VTEP address, underlay device, learning flag. */
  vxlan?: { id: number; port: number; local?: string; dev?: string; learning: boolean };
}

/** One address on a link. */
export interface SnapshotAddress {
  ifname: string;
  family: 'inet' | 'inet6';
  address: string;
  prefixLength: number;
  scope: string;
}

/** One route; `dst` is always a CIDR (`default` becomes 0.0.0.0/0, a host becomes /32). */
export interface SnapshotRoute {
  table: string;
  /** unicast, local, broadcast, blackhole, unreachable, prohibit, ... */
  type: string;
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
}

/** One policy-routing rule (`ip rule`). */
export interface SnapshotRule {
  priority: number;
  table: string;
  src?: string;
  dst?: string;
  iif?: string;
  oif?: string;
  fwmark?: string;
  /** Non-lookup actions such as unreachable or blackhole. */
  action?: string;
}

/** One neighbour (ARP) entry. */
export interface SnapshotNeighbor {
  ip: string;
  dev: string;
  mac?: string;
  state: string[];
}

/** One bridge forwarding-database entry. */
export interface SnapshotFdbEntry {
  mac: string;
  /** The bridge port (or the bridge itself for its own MAC). */
  dev: string;
  master?: string;
  state?: string;
  flags?: string[];
  vlan?: number;
  /** On a vxlan device: the remote VTEP's underlay address this MAC is reached through. */
  dst?: string;
}

/** Packet-filter and NAT rules: the raw `nft -j list ruleset` array, or iptables-save text where only that exists. */
export interface SnapshotFilter {
  tool: 'nft' | 'iptables' | 'none';
  nft?: unknown[];
  iptablesSave?: string;
  /** Why the rules could not be read, when they could not. */
  error?: string;
}

/** Everything collected from one network namespace. */
export interface NamespaceSnapshot {
  /** Stable id: `wire`, `node/NAME`, `pod/NAME` (on a cluster `pod/NAMESPACE/NAME`), `host/NAME`, `container/NAME`, `client/NAME`, `router/NAME`. */
  id: string;
  kind: NamespaceKind;
  name: string;
  /** For a Pod: its node; for a container: its host. */
  node?: string;
  /** net.ipv4.ip_forward in this namespace. */
  forwarding: boolean;
  /**
   * net.bridge.bridge-nf-call-iptables (br_netfilter): when true, frames a bridge switches also pass the IP
   * prerouting/forward/postrouting hooks, so IP filter rules apply to same-node Pod traffic. Absent: unknown.
   */
  bridgeNetfilter?: boolean;
  links: SnapshotLink[];
  addresses: SnapshotAddress[];
  routes: SnapshotRoute[];
  rules: SnapshotRule[];
  neighbors: SnapshotNeighbor[];
  fdb: SnapshotFdbEntry[];
  filter: SnapshotFilter;
}

/** A Pod as the cluster knows it. */
export interface SnapshotPod {
  name: string;
  node: string;
  ip: string;
  containers: { name: string; ports: number[] }[];
}

/** A node as the cluster knows it. */
export interface SnapshotNode {
  name: string;
  ip: string;
  podCIDR: string;
}

/** The Docker-style host: one IP on the physical network, containers behind NAT. */
export interface SnapshotDockerHost {
  name: string;
  ip: string;
  bridge: string;
  bridgeCIDR: string;
  containers: { name: string; ip: string; port: number; publish?: number }[];
}

/** A Service with its ports and endpoints (what kube-proxy programs); the same shape on every provider. */
export interface SnapshotService {
  name: string;
  namespace?: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP: string;
  ports: { name?: string; protocol: 'tcp' | 'udp'; port: number; targetPort: number | string; nodePort?: number }[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  endpoints: { ip: string; pod?: string; node?: string; ready: boolean; ports: { name?: string; protocol: 'tcp' | 'udp'; port: number }[] }[];
}

/** Facts about the cluster, independent of any one namespace's tables. */
export interface ClusterFacts {
  network?: { cidr: string };
  clusterCIDR?: string;
  nodes: SnapshotNode[];
  pods: SnapshotPod[];
  dockerHost?: SnapshotDockerHost;
  /** The ClusterIP range, when known. */
  serviceCIDR?: string;
  /** Services and their endpoints, when the provider knows them. */
  services?: SnapshotService[];
  /** The outside client (namespace `client/NAME`). */
  client?: { name: string; ip: string };
  /** Subnets of the node network and the router joining them (namespace `router/NAME`). */
  subnets?: { name: string; cidr: string; routerIP: string }[];
  router?: { name: string };
}

/** Where a snapshot was taken: the provider and lab, and for a cluster its kubeconfig context, API server and node access. */
export interface SnapshotSource {
  provider: 'embedded' | 'kind' | 'kube' | 'replay';
  /** The lab's name; on a cluster, the kubeconfig context. */
  lab: string;
  rootless?: boolean;
  /** Cluster only: the kubeconfig context, its cluster name and API server URL. */
  context?: string;
  cluster?: string;
  server?: string;
  /** Cluster only: how the node and Pod namespaces were read (node containers, debug Pods, or not at all). */
  access?: 'container' | 'debugPod' | 'none';
}

/** A whole snapshot file. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  capturedAt: string;
  source: SnapshotSource;
  cluster: ClusterFacts;
  namespaces: NamespaceSnapshot[];
}
