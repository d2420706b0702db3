/** Turns what client-node throws (HTTP status, socket errors, WebSocket upgrade failures) into one actionable KubeAccessError. */
import { KubeAccessError } from '../kubeAccessError';

/** What was being attempted, so the sentence can name it. */
export interface ApiAction {
  /** RBAC verb: list, watch, get, create, delete. */
  verb: string;
  /** RBAC resource, e.g. pods, nodes, pods/exec. */
  resource: string;
  /** Undefined means cluster scope. */
  namespace?: string;
  /** The object's name, for get/delete/exec. */
  name?: string;
  /** The kubeconfig context, named in the credentials sentence. */
  context?: string;
  /** The API server URL, named in the unreachable sentence. */
  server?: string;
  /** The context user's exec credential plugin (users[].user.exec.command), blamed for failures before any request was sent. */
  plugin?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT']);

interface ErrorFacts {
  status?: number;
  netCode?: string;
  timedOut: boolean;
  serverMessage?: string;
  text: string;
}

function field(o: unknown, k: string): unknown {
  return o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
}

/** The server's Status message from an ApiException body (a JSON string or object), if any. */
function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || undefined; // not JSON: the raw text is still the best description
    }
  }
  const m = field(parsed, 'message');
  return typeof m === 'string' ? m : undefined;
}

/** Collects status code, socket error code and message from the shapes client-node, node-fetch and ws produce. */
function facts(e: unknown): ErrorFacts {
  const inner = field(e, 'error') ?? field(e, 'cause'); // ws ErrorEvent and wrapped errors carry the real one inside
  const text = String(field(e, 'message') ?? field(inner, 'message') ?? e);
  const rawStatus = field(e, 'code') ?? field(e, 'statusCode');
  let status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const upgrade = text.match(/Unexpected server response: (\d{3})/);
  if (!status && upgrade) status = Number(upgrade[1]);
  const codes = [field(e, 'code'), field(inner, 'code'), field(e, 'errno')].filter((c): c is string => typeof c === 'string');
  const netCode = codes.find((c) => NETWORK_CODES.has(c)) ?? (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.exec(text)?.[0]);
  const name = String(field(e, 'name') ?? '');
  const timedOut = name === 'AbortError' || name === 'TimeoutError' || /aborted|timed? ?out/i.test(text);
  return { status, netCode, timedOut, serverMessage: statusMessage(field(e, 'body')), text };
}

/**
 * True for what client-node's exec credential code throws (spawn failure, the plugin's stderr, its unparsable output), as opposed to request errors
 * (FetchError, AbortError, ApiException, ws ErrorEvent).
 */
function fromPlugin(e: unknown): boolean {
  if (String(field(e, 'syscall') ?? '').startsWith('spawn')) return true;
  const name = String(field(e, 'name') ?? '');
  return (name === 'Error' || name === 'SyntaxError') && field(e, 'type') === undefined && typeof field(e, 'code') !== 'number';
}

function where(a: ApiAction): string {
  return a.namespace ? `in namespace ${a.namespace}` : 'at cluster scope';
}

/** One sentence for a failed API call, with a code callers can branch on; the original error stays as cause. */
export function describeApiError(e: unknown, a: ApiAction): KubeAccessError {
  if (e instanceof KubeAccessError) return e;
  const f = facts(e);
  const server = a.server ?? 'the kubeconfig server';
  const what = `${a.resource}${a.name ? ` ${a.name}` : ''}`;
  if (a.plugin && !f.status && fromPlugin(e)) {
    const missing = field(e, 'code') === 'ENOENT';
    const why = missing ? 'was not found' : `failed (${f.text.trim().split('\n')[0] || 'no message'})`;
    return new KubeAccessError(`the credential plugin ${a.plugin} of context ${a.context ?? '(current)'} ${why}: install it or log in with it (or fix users[].user.exec in the kubeconfig), then retry`, missing ? 'TOOL_MISSING' : 'UNAUTHORIZED', { cause: e });
  }
  if (!f.status && a.verb === 'watch' && (f.netCode === 'ECONNRESET' || /premature close|socket hang up/i.test(f.text))) {
    return new KubeAccessError(`the watch on ${a.resource} ${where(a)} lost its connection to ${server} (${f.netCode ?? 'connection closed'}); PodNet reconnects and resumes where it was`, 'UNREACHABLE', { cause: e });
  }
  if (!f.status && (f.netCode || f.timedOut)) {
    const why = f.netCode ?? 'no answer in time';
    return new KubeAccessError(`cannot reach the API server at ${server} (${why}) to ${a.verb} ${what}: check that the cluster is running and that the kubeconfig's server address is right`, 'UNREACHABLE', { cause: e });
  }
  switch (f.status) {
    case 401:
      return new KubeAccessError(`the credentials of context ${a.context ?? '(current)'} were refused by ${server} (expired?): log in again or refresh the kubeconfig, then retry`, 'UNAUTHORIZED', { cause: e });
    case 403: {
      const hint = a.namespace ? 'ask an admin for RBAC permission' : 'try -n NAMESPACE, or ask an admin for RBAC permission';
      return new KubeAccessError(`cannot ${a.verb} ${a.resource} ${where(a)} (forbidden by RBAC${f.serverMessage ? `: ${f.serverMessage}` : ''}); ${hint}`, 'FORBIDDEN', { cause: e });
    }
    case 404:
      return new KubeAccessError(`${what} was not found ${where(a)}: check the name and namespace (kubectl get ${a.resource.split('/')[0]}${a.namespace ? ` -n ${a.namespace}` : ' -A'})`, 'NOT_FOUND', { cause: e });
    case 410:
      return new KubeAccessError(`the API server has forgotten the resourceVersion PodNet was watching ${a.resource} from (410 Gone); PodNet lists them again`, 'GONE', { cause: e });
    default:
      break;
  }
  const detail = f.serverMessage ?? f.text.split('\n')[0];
  const http = f.status ? `HTTP ${f.status}` : 'an error';
  return new KubeAccessError(`${a.verb} ${what} ${where(a)} failed at ${server} with ${http}: ${detail}`, 'FAILED', { cause: e });
}
