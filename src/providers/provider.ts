/** The one interface every lab backend implements (embedded today; kind, any cluster and replay later). */
import type { ExecResult, ExecTarget, LabStatus, PodInfo, PodRequest, ServiceInfo, ServiceRequest } from './embedded/control/protocol';

/** A running lab the engine can inspect and change, whatever backs it. */
export interface LabProvider {
  /** Which backend this is. */
  readonly kind: 'embedded' | 'kind' | 'kube' | 'replay';
  /** Nodes, Pods and their addresses as they are now. */
  status(): Promise<LabStatus>;
  /** Runs argv in a Pod, node or the wire namespace and returns its output and exit code. */
  exec(target: ExecTarget, argv: string[], opts?: { timeoutMs?: number; input?: string }): Promise<ExecResult>;
  /** Creates a Pod; resolves with its IP once its containers are ready. */
  addPod(req: PodRequest): Promise<PodInfo>;
  /** Deletes a Pod and releases its IP. */
  deletePod(name: string): Promise<{ name: string; ip: string }>;
  /** Creates a Service (backends that can; a cluster is read-only). */
  addService?(req: ServiceRequest): Promise<ServiceInfo>;
  /** Deletes a Service the lab made. */
  deleteService?(name: string): Promise<{ name: string; clusterIP: string }>;
  /** Releases the connection (does not stop the lab). */
  close(): void;
}
