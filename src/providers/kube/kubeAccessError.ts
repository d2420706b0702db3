/** A cluster that cannot be reached or read, as one sentence that says what to do; the API or process error stays as `cause`. */

/** Why cluster access failed, for callers that react differently (e.g. retry a watch, or stop). */
export type KubeAccessCode =
  | 'NO_KUBECONFIG'
  | 'UNKNOWN_CONTEXT'
  | 'UNREACHABLE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'GONE'
  | 'NO_NODE_ACCESS'
  | 'TOOL_MISSING'
  | 'FAILED';

/** Thrown by everything under src/providers/kube; `message` is one actionable sentence, never a stack trace. */
export class KubeAccessError extends Error {
  constructor(message: string, readonly code: KubeAccessCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeAccessError';
  }
}
