/** Live Services and EndpointSlices of a cluster (list, then watch, as for Pods), joined into ServiceInfo; changes reach listeners per Service. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ServiceInfo } from '../../embedded/control/protocol';
import type { KubeEndpointSlice, KubeService } from '../clusterTypes';
import { KubeAccessError } from '../kubeAccessError';
import { toKubeEndpointSlice, toKubeService } from './convertService';
import { describeApiError } from './errors';
import type { KubeApi } from './kubeApi';
import { ResourceWatch, type Backoff } from './resourceWatch';
import { joinServices } from '../serviceInfo';

/** One Service's change: an EndpointSlice change is reported as its Service being updated. */
export type ServiceChangeListener = (change: 'added' | 'updated' | 'deleted', service: ServiceInfo) => void;

/** Where a service watcher reports: the watch broke, or a part cannot be read. */
export interface ServiceWatchHooks {
  trouble(e: KubeAccessError): void;
  resync(): void;
}

const keyOf = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/** Keeps Services and their EndpointSlices in step with the API server; `services()` is undefined when they may not be read. */
export class ServiceWatcher {
  private readonly serviceWatch: ResourceWatch<KubeService>;
  private readonly sliceWatch: ResourceWatch<KubeEndpointSlice>;
  private readonly listeners = new Set<ServiceChangeListener>();
  private readonly warningList: KubeAccessError[] = [];
  private readable = false;
  private joined?: ReturnType<typeof joinServices>;

  constructor(
    config: KubeConfig, api: KubeApi, where: { context: string; server: string }, private readonly hooks: ServiceWatchHooks,
    namespace?: string, backoff?: Backoff,
  ) {
    const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    this.serviceWatch = new ResourceWatch<KubeService>(config, {
      path: `/api/v1${ns}/services`,
      list: () => api.listServicesWithVersion(namespace),
      convert: toKubeService,
      key: keyOf,
      describe: (e) => describeApiError(e, { verb: 'watch', resource: 'services', namespace, ...where }),
    }, { change: (c, s) => this.serviceChanged(c, s), resync: () => this.resynced(), trouble: (e) => hooks.trouble(e) }, backoff);
    this.sliceWatch = new ResourceWatch<KubeEndpointSlice>(config, {
      path: `/apis/discovery.k8s.io/v1${ns}/endpointslices`,
      list: () => api.listEndpointSlicesWithVersion(namespace),
      convert: toKubeEndpointSlice,
      key: keyOf,
      describe: (e) => describeApiError(e, { verb: 'watch', resource: 'endpointslices.discovery.k8s.io', namespace, ...where }),
    }, { change: (_c, slice) => this.sliceChanged(slice), resync: () => this.resynced(), trouble: (e) => hooks.trouble(e) }, backoff);
  }

  /**
   * Lists both and starts watching. When either may not be read (403) or the cluster has no EndpointSlice API (404), Services
   * are left out with a warning (Pods and nodes still work); any other failure rejects.
   */
  async start(): Promise<void> {
    const [svcs, slices] = await Promise.allSettled([this.serviceWatch.list(), this.sliceWatch.list()]);
    const failed = [svcs, slices].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      const e = failed.reason as unknown;
      if (!(e instanceof KubeAccessError) || (e.code !== 'FORBIDDEN' && e.code !== 'NOT_FOUND')) throw e;
      const warning = new KubeAccessError(`${e.message.replace(/;.*$/, '')}; PodNet shows no Services (traces to a ClusterIP then cannot name the Service)`, e.code, { cause: e });
      this.warningList.push(warning);
      this.hooks.trouble(warning);
      return;
    }
    this.readable = true;
    this.serviceWatch.watch();
    this.sliceWatch.watch();
  }

  /** Every readable Service with its endpoints, sorted by namespace then name; undefined when Services cannot be read. */
  services(): ServiceInfo[] | undefined {
    if (!this.readable) return undefined;
    return this.join().services.map((s) => structuredClone(s));
  }

  /** Sentences about Services, slices, ports or endpoints that could not be read (each skipped with its reason). */
  problems(): string[] {
    return this.readable ? [...this.join().problems] : [];
  }

  /** Why Services are missing (forbidden, or no EndpointSlice API). */
  warnings(): KubeAccessError[] {
    return [...this.warningList];
  }

  /** Calls `l` for each Service change; returns the unsubscribe function. */
  onChange(l: ServiceChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Closes both watches. */
  stop(): void {
    this.serviceWatch.stop();
    this.sliceWatch.stop();
    this.listeners.clear();
  }

  private join(): ReturnType<typeof joinServices> {
    this.joined ??= joinServices([...this.serviceWatch.items.values()], [...this.sliceWatch.items.values()]);
    return this.joined;
  }

  private find(namespace: string, name: string): ServiceInfo | undefined {
    return this.join().services.find((s) => s.namespace === namespace && s.name === name);
  }

  private serviceChanged(change: 'added' | 'updated' | 'deleted', s: KubeService): void {
    const before = this.find(s.namespace, s.name);
    this.joined = undefined;
    const after = this.find(s.namespace, s.name);
    if (change === 'deleted' && before) this.emit('deleted', before);
    else if (after) this.emit(before ? 'updated' : 'added', after);
    else if (before) this.emit('deleted', before); // it became unreadable (e.g. switched to an IPv6-only ClusterIP)
  }

  private sliceChanged(slice: KubeEndpointSlice): void {
    this.joined = undefined;
    const svc = slice.service ? this.find(slice.namespace, slice.service) : undefined;
    if (svc) this.emit('updated', svc);
  }

  private resynced(): void {
    this.joined = undefined;
    this.hooks.resync();
  }

  private emit(change: 'added' | 'updated' | 'deleted', s: ServiceInfo): void {
    for (const l of [...this.listeners]) l(change, structuredClone(s));
  }
}
