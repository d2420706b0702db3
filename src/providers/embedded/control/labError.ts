/** An error a lab operation reports to its caller, with a machine-readable code and the offending field. */
import type { RpcErrorBody } from './protocol';

/** Thrown by lab operations; crosses the control socket intact. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly code: RpcErrorBody['code'] = 'FAILED',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }

  /** The wire form of this error. */
  toBody(): RpcErrorBody {
    return { message: this.message, code: this.code, ...(this.field ? { field: this.field } : {}) };
  }
}
