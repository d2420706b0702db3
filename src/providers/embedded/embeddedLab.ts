/** The embedded lab as a {@link LabProvider}: every call goes over the lab's control socket. */
import type { LabProvider } from '../provider';
import type { ExecResult, ExecTarget, LabEvent, LabStatus, PodInfo, PodRequest, ServiceInfo, ServiceRequest } from './control/protocol';
import type { RpcClient } from './control/rpcClient';
import { requireLab } from './launcher';

/** A connected embedded lab. */
export class EmbeddedLab implements LabProvider {
  readonly kind = 'embedded';

  private constructor(private readonly client: RpcClient) {}

  /** Connects to the running lab called `lab`; fails with a clear message when none runs. */
  static async connect(lab: string): Promise<EmbeddedLab> {
    return new EmbeddedLab(await requireLab(lab));
  }

  status(): Promise<LabStatus> {
    return this.client.call('status', {});
  }

  exec(target: ExecTarget, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return this.client.call('exec', { target, argv, timeoutMs, input: opts.input }, timeoutMs + 10_000);
  }

  addPod(req: PodRequest): Promise<PodInfo> {
    return this.client.call('addPod', req);
  }

  deletePod(name: string): Promise<{ name: string; ip: string }> {
    return this.client.call('deletePod', { name });
  }

  addService(req: ServiceRequest): Promise<ServiceInfo> {
    return this.client.call('addService', req);
  }

  deleteService(name: string): Promise<{ name: string; clusterIP: string }> {
    return this.client.call('deleteService', { name });
  }

  /** Subscribes to the lab's events (Pods and Services added, deleted, updated; state changes) on this connection. */
  async watch(listener: (e: LabEvent) => void): Promise<void> {
    this.client.onEvent(listener);
    await this.client.call('watch', {});
  }

  /** Calls `listener` once when the connection ends (the lab stopped or crashed). */
  onClose(listener: () => void): void {
    this.client.onClose(listener);
  }

  close(): void {
    this.client.close();
  }
}
