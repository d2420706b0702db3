/** The API calls PodNet makes besides watching: list Nodes and Pods, create/read/delete debug Pods, its own Services, exec; each failure as one sentence. */
import { CoreV1Api, createConfiguration, DiscoveryV1Api, ServerConfiguration, type V1Pod, type V1Service } from '@kubernetes/client-node';
import type { ExecResult } from '../../embedded/control/protocol';
import type { KubeApiOps, KubeEndpointSlice, KubeExecOptions, KubeNode, KubePod, KubeService } from '../clusterTypes';
import { toKubeNode, toKubePod } from './convert';
import { toKubeEndpointSlice, toKubeService } from './convertService';
import { describeApiError, type ApiAction } from './errors';
import type { KubeTarget } from './kubeconfig';
import { execInContainer } from './podExec';

/** Default time one request (not a watch) may take. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A list and the resourceVersion it is consistent with (where a watch starts). */
export interface KubeList<T> {
  items: T[];
  resourceVersion: string;
}

/** What every error sentence about this target names: context, server and the exec credential plugin, if any. */
export function targetFacts(target: KubeTarget): { context: string; server: string; plugin?: string } {
  const exec = (target.config.getCurrentUser()?.exec ?? undefined) as { command?: unknown } | undefined;
  return { context: target.context, server: target.server, ...(typeof exec?.command === 'string' ? { plugin: exec.command } : {}) };
}

/** Typed calls on one cluster; errors are KubeAccessError with one sentence. */
export class KubeApi implements KubeApiOps {
  private readonly core: CoreV1Api;
  private readonly discovery: DiscoveryV1Api;

  constructor(readonly target: KubeTarget, opts: { requestTimeoutMs?: number } = {}) {
    const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(target.server, {}),
      authMethods: { default: target.config },
      promiseMiddleware: [
        {
          pre: async (ctx) => {
            ctx.setSignal(AbortSignal.timeout(timeoutMs)); // an unanswering server fails in time instead of hanging
            return ctx;
          },
          post: async (res) => res,
        },
      ],
    });
    this.core = new CoreV1Api(config);
    this.discovery = new DiscoveryV1Api(config);
  }

  /** Nodes and the list's resourceVersion. */
  async listNodesWithVersion(): Promise<KubeList<KubeNode>> {
    const list = await this.call({ verb: 'list', resource: 'nodes' }, () => this.core.listNode());
    return { items: list.items.map(toKubeNode).filter((n) => n.name), resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** Pods in one namespace (or all) matching an optional label selector, and the list's resourceVersion. */
  async listPodsWithVersion(namespace?: string, labelSelector?: string): Promise<KubeList<KubePod>> {
    const list = await this.call({ verb: 'list', resource: 'pods', namespace }, () =>
      namespace ? this.core.listNamespacedPod({ namespace, labelSelector }) : this.core.listPodForAllNamespaces({ labelSelector }),
    );
    return { items: list.items.map(toKubePod).filter((p) => p.name), resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** Services (v1) in one namespace (or all) and the list's resourceVersion; unnamed objects are left out. */
  async listServicesWithVersion(namespace?: string): Promise<KubeList<KubeService>> {
    const list = await this.call({ verb: 'list', resource: 'services', namespace }, () =>
      namespace ? this.core.listNamespacedService({ namespace }) : this.core.listServiceForAllNamespaces(),
    );
    return { items: list.items.map(toKubeService).filter((s): s is KubeService => s !== undefined), resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** EndpointSlices (discovery.k8s.io/v1) in one namespace (or all) and the list's resourceVersion. */
  async listEndpointSlicesWithVersion(namespace?: string): Promise<KubeList<KubeEndpointSlice>> {
    const list = await this.call({ verb: 'list', resource: 'endpointslices.discovery.k8s.io', namespace }, () =>
      namespace ? this.discovery.listNamespacedEndpointSlice({ namespace }) : this.discovery.listEndpointSliceForAllNamespaces(),
    );
    return { items: list.items.map(toKubeEndpointSlice).filter((s): s is KubeEndpointSlice => s !== undefined), resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** All Nodes. */
  async listNodes(): Promise<KubeNode[]> {
    return (await this.listNodesWithVersion()).items;
  }

  /** Pods in one namespace, or in all when namespace is undefined. */
  async listPods(namespace?: string): Promise<KubePod[]> {
    return (await this.listPodsWithVersion(namespace)).items;
  }

  /** Pods matching a label selector, in one namespace or (undefined) all. */
  async listPodsByLabel(selector: string, namespace?: string): Promise<KubePod[]> {
    return (await this.listPodsWithVersion(namespace, selector)).items;
  }

  /** Creates a Pod from a plain V1Pod manifest, in its metadata.namespace (default: the context's namespace). */
  async createPod(manifest: Record<string, unknown>): Promise<void> {
    const { namespace, name } = this.placeOf(manifest);
    await this.call({ verb: 'create', resource: 'pods', namespace, name }, () => this.core.createNamespacedPod({ namespace, body: manifest as V1Pod }));
  }

  /** Deletes a Pod; a Pod that does not exist (404) counts as deleted, every other failure is reported. */
  async deletePod(namespace: string, name: string): Promise<void> {
    await this.deleteIfThere({ verb: 'delete', resource: 'pods', namespace, name }, () => this.core.deleteNamespacedPod({ namespace, name }));
  }

  /** Creates a Service from a plain V1Service manifest, in its metadata.namespace (default: the context's namespace). */
  async createService(manifest: Record<string, unknown>): Promise<void> {
    const { namespace, name } = this.placeOf(manifest);
    await this.call({ verb: 'create', resource: 'services', namespace, name }, () => this.core.createNamespacedService({ namespace, body: manifest as V1Service }));
  }

  /** Deletes a Service; one that does not exist (404) counts as deleted, every other failure is reported. */
  async deleteService(namespace: string, name: string): Promise<void> {
    await this.deleteIfThere({ verb: 'delete', resource: 'services', namespace, name }, () => this.core.deleteNamespacedService({ namespace, name }));
  }

  /** Names and labels of the Services in one namespace matching a label selector (what PodNet needs to find its own). */
  async listServiceLabels(namespace: string, labelSelector: string): Promise<{ name: string; labels: Record<string, string> }[]> {
    const list = await this.call({ verb: 'list', resource: 'services', namespace }, () => this.core.listNamespacedService({ namespace, labelSelector }));
    return list.items.filter((s) => s.metadata?.name).map((s) => ({ name: s.metadata?.name ?? '', labels: { ...(s.metadata?.labels ?? {}) } }));
  }

  /** One Pod, or undefined when it does not exist. */
  async readPod(namespace: string, name: string): Promise<KubePod | undefined> {
    try {
      return toKubePod(await this.call({ verb: 'get', resource: 'pods', namespace, name }, () => this.core.readNamespacedPod({ namespace, name })));
    } catch (e) {
      if ((e as { code?: unknown }).code === 'NOT_FOUND') return undefined; // absence is an answer here, not a failure
      throw e;
    }
  }

  /** Runs argv in a container through the exec subresource and collects stdout, stderr and the exit code. */
  exec(namespace: string, pod: string, container: string, argv: string[], opts?: KubeExecOptions): Promise<ExecResult> {
    return execInContainer(this.target.config, { namespace, pod, container, ...targetFacts(this.target) }, argv, opts);
  }

  /** A manifest's metadata.namespace (default: the context's namespace) and name. */
  private placeOf(manifest: Record<string, unknown>): { namespace: string; name?: string } {
    const meta = (manifest.metadata ?? {}) as { namespace?: unknown; name?: unknown };
    const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : this.target.namespace;
    return { namespace, ...(typeof meta.name === 'string' ? { name: meta.name } : {}) };
  }

  /** A delete where a 404 counts as done. */
  private async deleteIfThere(a: Omit<ApiAction, 'context' | 'server' | 'plugin'>, fn: () => Promise<unknown>): Promise<void> {
    try {
      await this.call(a, fn);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'NOT_FOUND') return; // already gone: the delete's goal is met
      throw e;
    }
  }

  private async call<T>(a: Omit<ApiAction, 'context' | 'server' | 'plugin'>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw describeApiError(e, { ...a, ...targetFacts(this.target) });
    }
  }
}
