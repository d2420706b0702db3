/** Plain data read from a Kubernetes API server (Nodes, Pods) and the contracts between the kube provider's parts. */
import type { ExecResult } from '../embedded/control/protocol';

/** A Node as read from the API: only what PodNet shows or traces. */
export interface KubeNode {
  name: string;
  /** status.addresses[type=InternalIP] (IPv4 first); '' when the node reports none. */
  internalIP: string;
  /** spec.podCIDRs (or [spec.podCIDR]); empty when the cluster does not allocate node CIDRs. */
  podCIDRs: string[];
  /** status.conditions[type=Ready].status === 'True'. */
  ready: boolean;
  /** spec.providerID, e.g. `kind://docker/<cluster>/<node>`; '' when unset. */
  providerID: string;
  /** metadata.labels (kind roles, `podnet.dev/topology-node`); always set by the API reader, optional for hand-made test nodes. */
  labels?: Record<string, string>;
  /** metadata.creationTimestamp (ISO 8601); always set by the API reader ('' when missing). */
  createdAt?: string;
  resourceVersion: string;
}

/** One declared container port. */
export interface KubeContainerPort {
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  name?: string;
}

/** One container of a Pod's spec. */
export interface KubeContainer {
  name: string;
  image: string;
  ports: KubeContainerPort[];
}

/** A Pod as read from the API. */
export interface KubePod {
  namespace: string;
  name: string;
  uid: string;
  /** spec.nodeName; '' until scheduled. */
  node: string;
  /** status.podIPs (or [status.podIP]); empty until the sandbox has an address. */
  podIPs: string[];
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** metadata.deletionTimestamp is set (kubectl shows Terminating). */
  deleting: boolean;
  /** spec.hostNetwork: the Pod uses its node's network namespace and IP. */
  hostNetwork: boolean;
  containers: KubeContainer[];
  /** How many status.containerStatuses are ready. */
  readyContainers: number;
  /** Sum of the containers' restartCount. */
  restarts: number;
  labels: Record<string, string>;
  /** metadata.creationTimestamp (ISO 8601). */
  createdAt: string;
  resourceVersion: string;
}

/** One port of a Service as read from the API (protocol lower-case; SCTP ports are dropped with a problem noted). */
export interface KubeServicePort {
  name?: string;
  protocol: 'tcp' | 'udp';
  port: number;
  /** spec.ports[].targetPort: a number, a container port's name, or (absent in the API) the port itself. */
  targetPort: number | string;
  nodePort?: number;
}

/** A Service (v1) as read from the API: what kube-proxy programs. */
export interface KubeService {
  namespace: string;
  name: string;
  /** spec.type; '' when it is none of the four (the Service is then skipped with a reason). */
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | '';
  /** The IPv4 ClusterIP, or '' / 'None' (headless). */
  clusterIP: string;
  ports: KubeServicePort[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  /** spec.selector; undefined for a Service without one (its EndpointSlices are managed by someone else). */
  selector?: Record<string, string>;
  /** Why parts of the object were not read (e.g. an SCTP port); a problem in `type` or `clusterIP` makes the Service skipped. */
  problems: string[];
  resourceVersion: string;
  /** metadata.creationTimestamp (ISO 8601) when the API sent one, for `podnet get svc`'s AGE column. */
  createdAt?: string;
}

/** One endpoint of an EndpointSlice: its first address (kube-proxy uses only that), readiness, Pod and node. */
export interface KubeSliceEndpoint {
  ip: string;
  /** conditions.ready; an absent condition means ready, as the API defines it. */
  ready: boolean;
  /** targetRef of kind Pod as `NAMESPACE/NAME`, the Pod names PodNet uses on a cluster. */
  pod?: string;
  node?: string;
}

/** An EndpointSlice (discovery.k8s.io/v1) as read from the API; only IPv4 slices carry endpoints. */
export interface KubeEndpointSlice {
  namespace: string;
  name: string;
  /** The label kubernetes.io/service-name: the Service this slice belongs to ('' when unlabelled: kube-proxy ignores it). */
  service: string;
  addressType: string;
  ports: { name?: string; protocol: 'tcp' | 'udp'; port: number }[];
  endpoints: KubeSliceEndpoint[];
  problems: string[];
  resourceVersion: string;
}

/** What changed in the watched cluster. `resync` follows a relist (after 410 Gone or a reconnect). */
export type ClusterChange =
  | { kind: 'pod'; change: 'added' | 'updated' | 'deleted'; pod: KubePod }
  | { kind: 'node'; change: 'added' | 'updated' | 'deleted'; node: KubeNode }
  | { kind: 'resync' };

/** Options of one command run through an exec channel. */
export interface KubeExecOptions {
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Default 30 s; on expiry the result has timedOut: true. */
  timeoutMs?: number;
}

/** The few API calls besides list/watch that PodNet makes (debug Pods and exec), so node access can be written against them. */
export interface KubeApiOps {
  /** Creates a Pod from a manifest (a plain V1Pod object). */
  createPod(manifest: Record<string, unknown>): Promise<void>;
  /** Deletes a Pod; one that does not exist counts as deleted. */
  deletePod(namespace: string, name: string): Promise<void>;
  /** Reads one Pod; undefined when it does not exist. */
  readPod(namespace: string, name: string): Promise<KubePod | undefined>;
  /** Pods matching a label selector, in one namespace or (undefined) all. */
  listPodsByLabel(selector: string, namespace?: string): Promise<KubePod[]>;
  /** Runs argv in a container through the API's exec subresource and collects its output and exit code. */
  exec(namespace: string, pod: string, container: string, argv: string[], opts?: KubeExecOptions): Promise<ExecResult>;
  /** Creates a Service from a manifest (a plain V1Service object); only `podnet kind` and `lab run --kind` make Services. */
  createService?(manifest: Record<string, unknown>): Promise<void>;
  /** Deletes a Service; one that does not exist counts as deleted. */
  deleteService?(namespace: string, name: string): Promise<void>;
  /** Names and labels of the Services in a namespace matching a label selector. */
  listServiceLabels?(namespace: string, labelSelector: string): Promise<{ name: string; labels: Record<string, string> }[]>;
}

/** How PodNet reaches a node's network namespace: a node container, an opt-in debug Pod, or not at all. */
export type NodeAccessMethod = 'container' | 'debugPod' | 'none';

/** Runs read-only commands in a node's network namespace and in its Pods' namespaces, however the node is reached. */
export interface NodeAccess {
  readonly method: NodeAccessMethod;
  /** One sentence shown to the user, e.g. "docker exec into the node containers (kind)". */
  readonly description: string;
  /** Runs argv in the node's own network namespace. */
  execNode(node: KubeNode, argv: string[], opts?: KubeExecOptions): Promise<ExecResult>;
  /** Runs argv in the Pod's network namespace, entered from its node (so Pods whose images have no shell work). */
  execPod(pod: KubePod, node: KubeNode, argv: string[], opts?: KubeExecOptions): Promise<ExecResult>;
  /** Drops what is cached about a Pod (its namespace path) after it was deleted or re-created. */
  forgetPod(pod: Pick<KubePod, 'namespace' | 'name' | 'uid'>): void;
  /** Removes anything this access created (debug Pods) and releases connections. */
  close(): Promise<void>;
}
