/** The one typed protocol between the lab process and its clients (CLI, extension): JSON lines over a Unix socket. */
import type { ExternalTrafficPolicy, ServiceProtocol, ServiceSelector, Topology } from '../../../model/topology';

/** A container as the lab runs it. */
export interface ContainerInfo {
  name: string;
  workload: string;
  port?: number;
  /** PID inside the sandbox's PID namespace. */
  pid?: number;
  state: 'running' | 'exited';
  exitCode?: number | null;
}

/** A Pod as the lab runs it. */
export interface PodInfo {
  name: string;
  node: string;
  ip: string;
  /** Prefix length of the Pod's address on eth0. */
  prefixLength: number;
  gateway: string;
  mac: string;
  /** Name of the host-side veth on the node (the Pod's bridge port). */
  hostVeth: string;
  status: 'Pending' | 'Running' | 'Terminating' | 'Failed';
  containers: ContainerInfo[];
  /** CNI container id used for ADD/DEL. */
  sandboxId: string;
  createdAt: string;
  /** Kubernetes namespace, on a cluster only (there `name` is `NAMESPACE/NAME`). */
  namespace?: string;
  /** The Pod uses its node's network namespace and IP (spec.hostNetwork), on a cluster only. */
  hostNetwork?: boolean;
  /** The Pod's labels (what Service selectors match). */
  labels?: Record<string, string>;
}

/** A node as the lab runs it. */
export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR: string;
  /** The Pods' bridge (cbr0), or '' on a ptp node, which has none. */
  bridge: string;
  /** The Pods' gateway: cbr0's address, or the address every host-side veth carries on a ptp node. */
  bridgeIP: string;
  /** How this node wires its Pods. */
  cni: 'bridge' | 'ptp' | 'vxlan';
  /** With subnets (issue 12): the subnet of its eth0. */
  subnet?: string;
  /** A vxlan node: its VTEP device (flannel.1), MAC and VNI. */
  vtep?: { dev: string; mac: string; vni: number; port: number };
  /** Routes to other nodes' Pod CIDRs the kernel refused to install (next hop not on-link, across the router), with the kernel's reason. */
  refusedRoutes?: { dst: string; via: string; reason: string }[];
  /** Name of this node's port on the physical wire bridge. */
  wirePort: string;
  /** Other names that mean this node: on a kind cluster made by PodNet, its topology node (label `podnet.dev/topology-node`). */
  aliases?: string[];
}

/** A container behind the Docker-style host's NAT. */
export interface DockerContainerInfo {
  name: string;
  ip: string;
  mac: string;
  /** Host-side veth on docker0. */
  hostVeth: string;
  /** Port the container's web server listens on. */
  port: number;
  /** Host port published to it (DNAT host:publish -> container:port), if any. */
  publish?: number;
}

/** The optional Docker-style host: its own IP on the physical network, containers behind docker0 and NAT. */
export interface DockerHostInfo {
  name: string;
  ip: string;
  bridge: string;
  bridgeIP: string;
  bridgeCIDR: string;
  wirePort: string;
  containers: DockerContainerInfo[];
}

/** Where a cluster-backed status comes from: the kubeconfig context and how node details are read. */
export interface ClusterSource {
  /** The kubeconfig context. */
  context: string;
  /** The context's cluster name and API server URL. */
  cluster: string;
  server: string;
  /** How node and Pod namespaces are entered: node containers, debug Pods, or not at all (API only). */
  access: 'container' | 'debugPod' | 'none';
  /** One sentence for the user about that access. */
  accessDescription: string;
  /** The Kubernetes namespace shown, or undefined for all namespaces. */
  namespace?: string;
}

/** One port of a Service; on a cluster targetPort may be a container port's name. */
export interface ServicePortInfo {
  name?: string;
  protocol: ServiceProtocol;
  port: number;
  targetPort: number | string;
  nodePort?: number;
}

/** One endpoint of a Service: a Pod address and the port(s) traffic is DNAT'ed to. */
export interface ServiceEndpointInfo {
  ip: string;
  pod?: string;
  node?: string;
  /** Ready endpoints receive traffic; others are listed but skipped by kube-proxy. */
  ready: boolean;
  ports: { name?: string; protocol: ServiceProtocol; port: number }[];
}

/** A Service as the lab (or the cluster's API) reports it, with its current endpoints. */
export interface ServiceInfo {
  name: string;
  /** Kubernetes namespace, on a cluster only. */
  namespace?: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** '' or 'None' for headless Services on a cluster. */
  clusterIP: string;
  ports: ServicePortInfo[];
  externalTrafficPolicy: ExternalTrafficPolicy;
  /** The embedded lab's selector; on a cluster only `labels`. */
  selector?: ServiceSelector;
  endpoints: ServiceEndpointInfo[];
  /** When the Service was created (ISO 8601), for the AGE column; absent when unknown. */
  createdAt?: string;
}

/** The optional outside client (issue 11): a namespace on the node network that is no node. */
export interface ClientInfo {
  name: string;
  ip: string;
  wirePort: string;
  subnet?: string;
}

/** The optional router between subnets (issue 12): one interface per subnet. */
export interface RouterInfo {
  name: string;
  interfaces: { ifname: string; subnet: string; ip: string; wirePort: string }[];
}

/** Everything a client needs to show a lab. */
export interface LabStatus {
  lab: string;
  state: 'building' | 'running' | 'stopping';
  rootless: boolean;
  /** Host PID of the lab process (the sandbox's PID 1). */
  sandboxPid: number;
  startedAt: string;
  topology: Topology;
  nodes: NodeInfo[];
  pods: PodInfo[];
  wireBridge: string;
  /** Present when the topology asks for the Docker-style host. */
  dockerHost?: DockerHostInfo;
  /** Present when the status is a real cluster's (the kube provider); there is no wire namespace then (wireBridge ''). */
  cluster?: ClusterSource;
  /** Services with their endpoints (absent: the backend has none or cannot read them). */
  services?: ServiceInfo[];
  /** The service range (embedded lab: topology.serviceCIDR). */
  serviceCIDR?: string;
  /** Present when the topology asks for an outside client. */
  client?: ClientInfo;
  /** Present when the node network has subnets joined by a router. */
  router?: RouterInfo;
}

/** What to run a command in. */
export type ExecTarget =
  | { kind: 'pod'; pod: string; container?: string }
  | { kind: 'node'; node: string }
  | { kind: 'wire' }
  | { kind: 'dockerHost' }
  | { kind: 'dockerContainer'; container: string }
  | { kind: 'client' }
  | { kind: 'router' };

/** The namespaces a client joins to run an interactive command itself. */
export interface ExecRoute {
  sandboxPid: number;
  rootless: boolean;
  netns: string;
  utsns: string;
  /** The workload mount namespace to join too (host read-only, private /tmp and /run), when the lab has one. */
  mntns?: string;
  /** argv to put before the command (it drops the capabilities a container must not have), when the lab asks for it. */
  confine?: string[];
  env: Record<string, string>;
}

/** Result of a command run by the lab. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A Pod to add to a running lab. */
export interface PodRequest {
  name: string;
  node: string;
  containers?: { name: string; workload?: 'web' | 'sidecar' | 'sleep'; port?: number }[];
  labels?: Record<string, string>;
}

/** A Service to add to a running lab; omitted fields take the topology's defaults (see ServiceSpec). */
export interface ServiceRequest {
  name: string;
  selector: ServiceSelector;
  port: number;
  targetPort?: number;
  protocol?: ServiceProtocol;
  type?: 'ClusterIP' | 'NodePort';
  clusterIP?: string;
  nodePort?: number;
  externalTrafficPolicy?: ExternalTrafficPolicy;
}

/** Every method: its params and its result. */
export interface LabMethods {
  build: { params: { topology: Topology; sandboxPid: number }; result: LabStatus };
  status: { params: Record<string, never>; result: LabStatus };
  addPod: { params: PodRequest; result: PodInfo };
  deletePod: { params: { name: string }; result: { name: string; ip: string } };
  addService: { params: ServiceRequest; result: ServiceInfo };
  deleteService: { params: { name: string }; result: { name: string; clusterIP: string } };
  exec: { params: { target: ExecTarget; argv: string[]; timeoutMs?: number; input?: string }; result: ExecResult };
  route: { params: { target: ExecTarget }; result: ExecRoute };
  watch: { params: Record<string, never>; result: { watching: true } };
  shutdown: { params: Record<string, never>; result: { stopping: true } };
}

/** Name of a method. */
export type LabMethod = keyof LabMethods;

/** A client's request. */
export interface RpcRequest<M extends LabMethod = LabMethod> {
  id: number;
  method: M;
  params: LabMethods[M]['params'];
}

/** An error as sent over the wire; `field` names the offending argument when there is one. */
export interface RpcErrorBody {
  message: string;
  code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FAILED' | 'SPEC';
  field?: string;
}

/** The lab's answer to one request. */
export type RpcResponse = { id: number; result: unknown } | { id: number; error: RpcErrorBody };

/** Something that happened in the lab, pushed to watchers and to a `build` caller. */
export type LabEvent =
  | { event: 'progress'; step: string; detail: string; done: number; total: number }
  | { event: 'pod'; change: 'added' | 'deleted' | 'updated'; pod: PodInfo }
  /** `rulesMs`: how long the embedded lab took to bring every node's kube-proxy rules up to date for this change. */
  | { event: 'service'; change: 'added' | 'deleted' | 'updated'; service: ServiceInfo; rulesMs?: number }
  | { event: 'state'; state: LabStatus['state'] };
