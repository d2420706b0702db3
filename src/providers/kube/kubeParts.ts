/** The parts a KubeProvider is made of, as an interface, so the provider is written against the contracts and not their implementations. */
import type { ClusterChange, KubeApiOps, KubeNode, KubePod, NodeAccess } from './clusterTypes';
import type { KubeAccessError } from './kubeAccessError';
import type { ServiceInfo } from '../embedded/control/protocol';

/** Where to connect: the kubeconfig's chosen context and what it names. */
export interface KubeTargetInfo {
  context: string;
  cluster: string;
  server: string;
  /** The context's default namespace ('default' when it names none). */
  namespace: string;
}

/** A list-then-watch cache of the cluster's Nodes, Pods and (optionally) Services. */
export interface ClusterWatch {
  start(): Promise<void>;
  nodes(): KubeNode[];
  pods(): KubePod[];
  /** Services with their EndpointSlice endpoints; undefined (or absent) when they cannot be read. */
  services?(): ServiceInfo[] | undefined;
  /** Calls `listener` when a Service or its endpoints change. */
  onServiceChange?(listener: (change: 'added' | 'updated' | 'deleted', service: ServiceInfo) => void): void;
  onChange(listener: (c: ClusterChange) => void): void;
  onTrouble(listener: (e: KubeAccessError) => void): void;
  stop(): void;
}

/** Options to open a cluster with. */
export interface KubeConnectOptions {
  kubeconfig?: string;
  context?: string;
  /** One namespace, or 'all'; default: the context's namespace. */
  namespace?: string | 'all';
  /** Opt-in debug Pods (image and namespace), or false to never create any. */
  debugPods?: { image: string; namespace: string } | false;
  env?: NodeJS.ProcessEnv;
  /** Told what the connection is doing, one short phrase at a time. */
  onProgress?: (step: string) => void;
  /** Shown the exact debug Pod manifests (YAML) before any is created; resolving false declines them (API only then). */
  confirmDebugPods?: (yaml: string) => Promise<boolean>;
}

/** Factories for the parts: the kubeconfig loader, the watcher, the API ops and the node access chooser. */
export interface KubeParts<T extends KubeTargetInfo = KubeTargetInfo> {
  loadTarget(opts: Pick<KubeConnectOptions, 'kubeconfig' | 'context' | 'env'>): T;
  watcher(target: T, opts: { namespace?: string }): ClusterWatch;
  api(target: T): KubeApiOps;
  chooseAccess(nodes: KubeNode[], opts: {
    api: KubeApiOps;
    debugPods?: { image: string; namespace: string } | false;
    env?: NodeJS.ProcessEnv;
    onProgress?: (step: string) => void;
    confirmDebugPods?: (yaml: string) => Promise<boolean>;
  }): Promise<NodeAccess>;
}
