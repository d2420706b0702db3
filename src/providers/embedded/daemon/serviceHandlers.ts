/** The lab process's Service handlers (issue 11): create and delete Services; their nft rules follow Pods live. */
import { LabError } from '../control/labError';
import type { LabEvent } from '../control/protocol';
import type { Handlers } from '../control/rpcServer';
import type { LabContext } from './labState';

/** Adding and deleting Services on a running lab, each change broadcast to watchers. */
export function serviceHandlers(ctx: LabContext, broadcast: (e: LabEvent) => void): Pick<Handlers, 'addService' | 'deleteService'> {
  void ctx;
  void broadcast;
  const notYet = (): never => {
    throw new LabError('Services are not available in this build of the lab yet', 'FAILED', 'service');
  };
  return { addService: async () => notYet(), deleteService: async () => notYet() };
}
