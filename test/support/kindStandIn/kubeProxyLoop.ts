/**
 * The kind stand-in cluster's endpointslice controller and kube-proxy (kube-proxy cannot run here): whenever a Pod or a
 * Service changes in the stand-in API, the EndpointSlices are recomputed and, in nftables mode, kube-proxy's `ip kube-proxy`
 * table (the embedded lab's generator) is loaded into every node container with `nft -f -` (syncKubeProxyStandIn). In any
 * other kubeProxyMode the stand-in keeps the EndpointSlices but programs no rules: it has no iptables or IPVS kube-proxy.
 */
import type { DockerEngine } from '../docker/engine';
import type { KubeApiStandIn } from '../kubeApiStandIn/server';
import { syncEndpointSlices, syncKubeProxyStandIn, type KubeProxyRanges } from '../testbed/kubeProxyStandIn';
import type { TestbedNode } from '../testbed/testbedTypes';
import type { KubeProxyMode } from './kindConfigFile';

/** A node as the loop programs it. */
export type ProxyNode = Pick<TestbedNode, 'name' | 'container' | 'ip' | 'podCIDR' | 'role'>;

/** Keeps EndpointSlices and the nodes' kube-proxy tables in step with the stand-in's Pods and Services, one sync at a time. */
export class KubeProxyLoop {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** How many syncs finished (for logs and tests of the daemon). */
  syncs = 0;

  constructor(
    private readonly engine: DockerEngine, private readonly api: KubeApiStandIn, private readonly nodes: readonly ProxyNode[],
    private readonly ranges: KubeProxyRanges, private readonly mode: KubeProxyMode, private readonly cluster: string,
  ) {}

  /** Follows the store from now on (EndpointSlice events are this loop's own writes and do not trigger it). */
  start(): void {
    this.api.store.subscribe((e) => {
      if (e.kind === 'Service' && e.type === 'DELETED') {
        // The slice belongs to the Service (an ownerReference in Kubernetes): garbage-collect it with the Service.
        this.api.remove('EndpointSlice', e.object.metadata.namespace, `${e.object.metadata.name}-standin`);
      }
      if (e.kind === 'Pod' || e.kind === 'Service') this.schedule();
    });
    this.schedule();
  }

  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync(), 50); // coalesce a burst (a Pod's ADDED then its Running update)
  }

  private async sync(): Promise<void> {
    this.running = true;
    this.again = false;
    try {
      if (this.mode === 'nftables') {
        const nodes = this.nodes.map((n) => ({ ...n, providerID: `kind://docker/${this.cluster}/${n.name}` }));
        await syncKubeProxyStandIn(this.engine, nodes, this.api, this.ranges);
      } else {
        syncEndpointSlices(this.api);
      }
      this.syncs += 1;
    } catch (e) {
      // A daemon has no caller to throw to: the failure goes to daemon.log, and the next change tries again.
      console.error(`kube-proxy stand-in: sync failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
      if (this.again) this.schedule();
    }
  }
}
