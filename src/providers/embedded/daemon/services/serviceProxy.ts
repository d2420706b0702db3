/**
 * The lab's kube-proxy: keeps every node's `ip kube-proxy` table in step with the Services and the Pods they select.
 * The first sync of a node loads the whole table (`nft -f`); later ones load only what changed (kube-proxy's partial sync),
 * through a long-lived `nft -i` in the node.
 */
import { performance } from 'node:perf_hooks';
import { SERVICE_DEFAULTS } from '../../../../model/serviceSpec';
import type { ServiceSpec } from '../../../../model/topology';
import { runOk } from '../../../../util/exec';
import type { ServiceInfo } from '../../control/protocol';
import { nodeNsId, type LabContext } from '../labState';
import { kubeProxyPlan, kubeProxyScripts, type KubeProxyEndpoint, type KubeProxyInput, type KubeProxyPlan, type KubeProxyService } from './kubeProxyRules';
import { NFT_SESSION_MAX_BYTES, NftSession } from './nftSession';
import { serviceEndpoints, serviceInfo } from './serviceEndpoints';

/** A Service the lab holds. */
export interface ServiceRecord {
  spec: ServiceSpec;
  createdAt: string;
}

/** What one sync did: the Services whose endpoints changed (or that are new), and how long the rule update took. */
export interface SyncReport {
  changed: ServiceInfo[];
  /** From the sync being asked for (a Pod just Running, say) to every node's table updated. */
  ms: number;
}

/** One kube-proxy for the whole lab: the Services, and what each node's table holds now. */
export class ServiceProxy {
  /** Services in creation order. */
  readonly records = new Map<string, ServiceRecord>();
  private readonly applied = new Map<string, KubeProxyPlan>();
  private readonly reported = new Map<string, string>();
  private readonly sessions = new Map<string, NftSession>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: LabContext, private readonly nft: string) {}

  /** Every Service with its endpoints as of now, in creation order. */
  infos(): ServiceInfo[] {
    return this.current().map((s) => serviceInfo(s.spec, s.endpoints, s.createdAt));
  }

  /** Each Service with the endpoints it has right now (computed once per sync, shared by every node). */
  private current(): (ServiceRecord & { endpoints: KubeProxyEndpoint[] })[] {
    const pods = [...this.ctx.pods.values()];
    return [...this.records.values()].map((r) => ({ ...r, endpoints: serviceEndpoints(r.spec, pods) }));
  }

  /** The node's kube-proxy input: its Services with the endpoints they have right now. */
  inputFor(node: { name: string; ip: string }, services: readonly KubeProxyService[] = this.current()): KubeProxyInput {
    const topo = this.ctx.topology;
    if (!topo) throw new Error('the lab has not been built yet');
    return { node: { name: node.name, ip: node.ip }, clusterCIDR: topo.clusterCIDR, serviceCIDR: topo.serviceCIDR ?? SERVICE_DEFAULTS.serviceCIDR, services };
  }

  /** Brings every node's table up to date; syncs run one at a time, in the order they were asked for, each timed from when it was asked. */
  sync(): Promise<SyncReport> {
    const asked = performance.now();
    const next = this.queue.then(() => this.syncNow(asked));
    this.queue = next.catch(() => undefined); // a failed sync is reported to its caller; the next one still runs
    return next;
  }

  /** Forgets what a node holds, so the next sync loads its whole table (after a failure, or for a new node). */
  private forget(node: string): void {
    this.applied.delete(node);
    this.sessions.get(node)?.close();
    this.sessions.delete(node);
  }

  /** The node's long-lived `nft -i` for partial updates (started on first use). */
  private session(node: string): NftSession {
    let s = this.sessions.get(node);
    if (!s) {
      s = new NftSession(this.ctx.ns.enter(nodeNsId(node), [this.nft, '-i']), `kube-proxy's rules on ${node}`);
      this.sessions.set(node, s);
    }
    return s;
  }

  private async syncNow(asked: number): Promise<SyncReport> {
    const services = this.current();
    await Promise.all([...this.ctx.nodes.values()].map((n) => this.syncNode(this.inputFor(n, services))));
    const ms = performance.now() - asked;
    return { changed: this.changed(services.map((s) => serviceInfo(s.spec, s.endpoints, s.createdAt))), ms };
  }

  private async syncNode(input: KubeProxyInput): Promise<void> {
    const node = input.node;
    const plan = kubeProxyPlan(input);
    const prev = this.applied.get(node.name);
    const scripts = kubeProxyScripts(input, plan, prev);
    if (!scripts.length) return;
    try {
      if (!prev) await this.routeServiceRange(node.name, input.serviceCIDR);
      if (prev && scripts.length === 1 && scripts[0].length <= NFT_SESSION_MAX_BYTES) await this.session(node.name).apply(scripts[0]);
      else {
        for (const script of scripts) {
          await runOk(this.ctx.ns.enter(nodeNsId(node.name), [this.nft, '-f', '-']), { input: script, timeoutMs: 20_000 }, `updating kube-proxy's rules on ${node.name}`);
        }
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
  private changed(infos: ServiceInfo[]): ServiceInfo[] {
    for (const name of [...this.reported.keys()]) if (!this.records.has(name)) this.reported.delete(name);
    return infos.filter((info) => {
      const key = JSON.stringify(info.endpoints);
      if (this.reported.get(info.name) === key) return false;
      this.reported.set(info.name, key);
      return true;
    });
  }
}
