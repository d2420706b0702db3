/**
 * The lab's kube-proxy: keeps every node's `ip kube-proxy` table in step with the Services and the Pods they select.
 * The first sync of a node loads the whole table; later ones load only what changed (kube-proxy's partial sync).
 */
import { performance } from 'node:perf_hooks';
import { SERVICE_DEFAULTS } from '../../../../model/serviceSpec';
import type { ServiceSpec } from '../../../../model/topology';
import { runOk } from '../../../../util/exec';
import type { ServiceInfo } from '../../control/protocol';
import { nodeNsId, type LabContext } from '../labState';
import { kubeProxyPlan, kubeProxyScripts, type KubeProxyInput, type KubeProxyPlan } from './kubeProxyRules';
import { serviceEndpoints, serviceInfo } from './serviceEndpoints';

/** A Service the lab holds. */
export interface ServiceRecord {
  spec: ServiceSpec;
  createdAt: string;
}

/** What one sync did: the Services whose endpoints changed (or that are new), and how long the rule update took. */
export interface SyncReport {
  changed: ServiceInfo[];
  /** From the start of the sync to every node's table updated. */
  ms: number;
}

/** One kube-proxy for the whole lab: the Services, and what each node's table holds now. */
export class ServiceProxy {
  /** Services in creation order. */
  readonly records = new Map<string, ServiceRecord>();
  private readonly applied = new Map<string, KubeProxyPlan>();
  private readonly reported = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: LabContext, private readonly nft: string) {}

  /** Every Service with its endpoints as of now, in creation order. */
  infos(): ServiceInfo[] {
    const pods = [...this.ctx.pods.values()];
    return [...this.records.values()].map((r) => serviceInfo(r.spec, serviceEndpoints(r.spec, pods), r.createdAt));
  }

  /** The node's kube-proxy input: its Services with the endpoints they have right now. */
  inputFor(node: { name: string; ip: string }): KubeProxyInput {
    const topo = this.ctx.topology;
    if (!topo) throw new Error('the lab has not been built yet');
    const pods = [...this.ctx.pods.values()];
    const services = [...this.records.values()].map((r) => ({ spec: r.spec, endpoints: serviceEndpoints(r.spec, pods) }));
    return { node: { name: node.name, ip: node.ip }, clusterCIDR: topo.clusterCIDR, serviceCIDR: topo.serviceCIDR ?? SERVICE_DEFAULTS.serviceCIDR, services };
  }

  /** Brings every node's table up to date; syncs run one at a time, in the order they were asked for. */
  sync(): Promise<SyncReport> {
    const next = this.queue.then(() => this.syncNow());
    this.queue = next.catch(() => undefined); // a failed sync is reported to its caller; the next one still runs
    return next;
  }

  /** Forgets what a node holds, so the next sync loads its whole table (after a failure, or for a new node). */
  private forget(node: string): void {
    this.applied.delete(node);
  }

  private async syncNow(): Promise<SyncReport> {
    const started = performance.now();
    await Promise.all([...this.ctx.nodes.values()].map((n) => this.syncNode(n)));
    const ms = performance.now() - started;
    return { changed: this.changedInfos(), ms };
  }

  private async syncNode(node: { name: string; ip: string }): Promise<void> {
    const input = this.inputFor(node);
    const plan = kubeProxyPlan(input);
    const prev = this.applied.get(node.name);
    const scripts = kubeProxyScripts(input, plan, prev);
    if (!scripts.length) return;
    try {
      if (!prev) await this.routeServiceRange(node.name, input.serviceCIDR);
      for (const script of scripts) {
        await runOk(this.ctx.ns.enter(nodeNsId(node.name), [this.nft, '-f', '-']), { input: script, timeoutMs: 20_000 }, `updating kube-proxy's rules on ${node.name}`);
      }
      this.applied.set(node.name, plan);
    } catch (e) {
      this.forget(node.name); // nft applies all or nothing, but to be sure of what the table holds, reload it whole next time
      throw e;
    }
  }

  /**
   * A real node routes the Service range somewhere (its default route), so traffic to a ClusterIP reaches the filter chains that
   * reject it when the Service has no endpoints, and the node's own processes can connect to ClusterIPs; a lab node has no default route.
   */
  private async routeServiceRange(node: string, serviceCIDR: string): Promise<void> {
    await runOk(this.ctx.ns.enter(nodeNsId(node), [this.ctx.tools.ip, 'route', 'replace', serviceCIDR, 'dev', 'eth0']), {}, `routing ${serviceCIDR} on ${node}`);
  }

  /** Services that are new or whose endpoints differ from the last report; deleted ones are forgotten. */
  private changedInfos(): ServiceInfo[] {
    const infos = this.infos();
    for (const name of [...this.reported.keys()]) if (!this.records.has(name)) this.reported.delete(name);
    return infos.filter((info) => {
      const key = JSON.stringify(info.endpoints);
      if (this.reported.get(info.name) === key) return false;
      this.reported.set(info.name, key);
      return true;
    });
  }
}
