/** When the lab's kube-proxy acts: at build (the topology's Services), on every Pod change (endpoints follow Pods), on demand. */
import type { Topology } from '../../../../model/topology';
import { LabError } from '../../control/labError';
import { OPTIONAL_TOOLS, type LabTools } from '../../tools';
import type { LabContext } from '../labState';
import { ServiceProxy, type SyncReport } from './serviceProxy';

/** The nft path, or a LabError that says how to install it; checked before anything of a lab with Services is built. */
export function requireNftForServices(tools: LabTools): string {
  if (tools.nft) return tools.nft;
  const pkg = OPTIONAL_TOOLS.find((t) => t.name === 'nft')?.pkg ?? 'nftables';
  throw new LabError(
    `nft is not installed, and Services need it: kube-proxy's rules (ClusterIP and NodePort DNAT) are nftables rules. Fix: sudo apt-get install -y ${pkg}, `
      + 'then run `podnet lab up` again (or leave the Services out)',
    'FAILED',
    'services',
  );
}

/** The lab's kube-proxy, made on first use (needs nft). */
export function ensureServiceProxy(ctx: LabContext): ServiceProxy {
  if (!ctx.services) ctx.services = new ServiceProxy(ctx, requireNftForServices(ctx.tools));
  return ctx.services;
}

/** Tells watchers about Services whose endpoints changed in `report` (`except`: one the caller announces itself). */
export function broadcastChanged(ctx: LabContext, report: SyncReport, except?: string): void {
  for (const service of report.changed) {
    if (service.name !== except) ctx.broadcast({ event: 'service', change: 'updated', service, rulesMs: report.ms });
  }
}

/** After a Pod was added, deleted, started terminating or failed: endpoints and every node's rules follow. No Services, nothing to do. */
export async function endpointsFollowPods(ctx: LabContext): Promise<void> {
  const proxy = ctx.services;
  if (!proxy || proxy.records.size === 0) return;
  broadcastChanged(ctx, await proxy.sync());
}

/** Build step: the topology's Services on every node; returns the progress line. */
export async function buildServices(ctx: LabContext, topo: Topology): Promise<string> {
  const proxy = ensureServiceProxy(ctx);
  const now = new Date().toISOString();
  for (const spec of topo.services ?? []) proxy.records.set(spec.name, { spec, createdAt: now });
  const report = await proxy.sync();
  const list = proxy.infos().map((s) => `${s.name} ${s.clusterIP}${s.ports[0]?.nodePort ? ` (node port ${s.ports[0].nodePort})` : ''}: ${s.endpoints.length} endpoint(s)`);
  return `kube-proxy rules (nftables) on ${ctx.nodes.size} node(s) in ${Math.round(report.ms)} ms: ${list.join(', ')}`;
}
