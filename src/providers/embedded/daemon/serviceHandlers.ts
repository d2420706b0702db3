/** The lab process's Service handlers (issue 11): create and delete Services; their nft rules follow Pods live. */
import { validateServiceAddition } from '../../../model/serviceRequest';
import { LabError } from '../control/labError';
import type { LabEvent, ServiceInfo } from '../control/protocol';
import type { Handlers } from '../control/rpcServer';
import type { LabContext } from './labState';
import { broadcastChanged, ensureServiceProxy } from './services/serviceLifecycle';
import type { ServiceProxy } from './services/serviceProxy';

function requireRunning(ctx: LabContext): NonNullable<LabContext['topology']> {
  if (ctx.state !== 'running' || !ctx.topology) throw new LabError(`the lab is ${ctx.state}`, 'CONFLICT');
  return ctx.topology;
}

/** Re-syncs after a failed change was undone, so every node holds what the records say; a second failure is reported with the first. */
async function undoFailedChange(proxy: ServiceProxy, e: unknown, what: string): Promise<never> {
  try {
    await proxy.sync();
  } catch (undo) {
    throw new Error(`${what} failed: ${(e as Error).message}; restoring the earlier rules failed too: ${(undo as Error).message}`, { cause: e });
  }
  throw e;
}

/** Adding and deleting Services on a running lab, each change broadcast to watchers. */
export function serviceHandlers(ctx: LabContext, broadcast: (e: LabEvent) => void): Pick<Handlers, 'addService' | 'deleteService'> {
  return {
    async addService(req) {
      const topology = requireRunning(ctx);
      const proxy = ensureServiceProxy(ctx);
      const pods = [...ctx.pods.values()].map((p) => p.spec);
      const spec = validateServiceAddition(topology, [...proxy.records.values()].map((r) => r.spec), req, pods);
      proxy.records.set(spec.name, { spec, createdAt: new Date().toISOString() });
      let report;
      try {
        report = await proxy.sync();
      } catch (e) {
        proxy.records.delete(spec.name);
        return undoFailedChange(proxy, e, `creating Service ${spec.name}`);
      }
      const info = proxy.infos().find((s) => s.name === spec.name) as ServiceInfo;
      broadcast({ event: 'service', change: 'added', service: info, rulesMs: report.ms });
      broadcastChanged(ctx, report, spec.name);
      return info;
    },
    async deleteService({ name }) {
      requireRunning(ctx);
      const proxy = ctx.services;
      const record = proxy?.records.get(name);
      if (!proxy || !record) {
        const known = [...(proxy?.records.keys() ?? [])].join(', ') || 'none';
        throw new LabError(`Service "${name}" not found (Services in this lab: ${known})`, 'NOT_FOUND', 'service');
      }
      const info = proxy.infos().find((s) => s.name === name) as ServiceInfo;
      proxy.records.delete(name);
      let report;
      try {
        report = await proxy.sync();
      } catch (e) {
        proxy.records.set(name, record);
        return undoFailedChange(proxy, e, `deleting Service ${name}`);
      }
      broadcast({ event: 'service', change: 'deleted', service: info, rulesMs: report.ms });
      return { name, clusterIP: record.spec.clusterIP };
    },
  };
}
