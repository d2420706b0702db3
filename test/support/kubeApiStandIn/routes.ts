/** The stand-in's REST routes: discovery, list/watch/get of Nodes, Pods, Services and EndpointSlices, create and delete of Pods and Services. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTable } from './rbac';
import { createService } from './createService';
import { failure, forbidden, notFound, unauthorized, type StatusBody } from './status';
import { API_VERSION, type ObjectStore, type StandInKind, type StoredObject, type StoreQuery } from './store';
import { startWatch, type OpenWatch } from './watchStream';

/** What the routes need from the server. */
export interface RouteContext {
  store: ObjectStore;
  access: AccessTable;
  goneAs: 'event' | 'http';
  podIP(pod: StoredObject): string | undefined;
  countRequest(verb: string, path: string): void;
  addWatch(w: OpenWatch): void;
  removeWatch(w: OpenWatch): void;
  serverAddress: string;
  watchTimeoutSeconds?: number;
}

const json = (res: ServerResponse, code: number, body: unknown): void => {
  res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
};
const status = (res: ServerResponse, s: StatusBody): void => json(res, s.code ?? 500, s);

const RESOURCES = [
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list', 'watch'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['create', 'delete', 'get', 'list', 'watch'] },
];

const DISCOVERY_GROUP = 'discovery.k8s.io';
const DISCOVERY_RESOURCES = [
  { name: 'endpointslices', singularName: 'endpointslice', namespaced: true, kind: 'EndpointSlice', verbs: ['delete', 'get', 'list', 'watch'] },
];

/** The API groups besides the core one: discovery.k8s.io/v1 (EndpointSlices). */
function groups(): unknown {
  const version = { groupVersion: `${DISCOVERY_GROUP}/v1`, version: 'v1' };
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: DISCOVERY_GROUP, versions: [version], preferredVersion: version }] };
}

function discovery(ctx: RouteContext, path: string): unknown {
  if (path === '/version') return { major: '1', minor: '31', gitVersion: 'v1.31.0-podnet-stand-in', platform: 'linux/amd64' };
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.serverAddress }] };
  if (path === '/apis') return groups();
  if (path === '/api/v1') return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: RESOURCES };
  if (path === `/apis/${DISCOVERY_GROUP}/v1`) return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${DISCOVERY_GROUP}/v1`, resources: DISCOVERY_RESOURCES };
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > 4 * 1024 * 1024) req.destroy(new Error('request body over 4 MiB'));
      else parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

interface Target {
  kind: StandInKind;
  resource: string;
  /** API group ('' for the core group). */
  group: string;
  namespace?: string;
  name?: string;
}

/** Namespaced resources by their path segment, per group prefix (`api/v1` or `apis/GROUP/v1`). */
const NAMESPACED: Record<string, Record<string, StandInKind>> = {
  'api/v1': { pods: 'Pod', services: 'Service' },
  [`apis/${DISCOVERY_GROUP}/v1`]: { endpointslices: 'EndpointSlice' },
};

function parseTarget(path: string): Target | undefined {
  const p = path.split('/').filter(Boolean).map(decodeURIComponent);
  const prefix = p[0] === 'api' ? 2 : p[0] === 'apis' ? 3 : 0;
  const kinds = NAMESPACED[p.slice(0, prefix).join('/')];
  if (!kinds) return undefined;
  const group = p[0] === 'apis' ? p[1] : '';
  const rest = p.slice(prefix);
  if (group === '' && rest[0] === 'nodes' && rest.length <= 2) return { kind: 'Node', resource: 'nodes', group, name: rest[1] };
  if (rest.length === 1 && Object.hasOwn(kinds, rest[0])) return { kind: kinds[rest[0]], resource: rest[0], group };
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest.length <= 4 && Object.hasOwn(kinds, rest[2])) {
    return { kind: kinds[rest[2]], resource: rest[2], group, namespace: rest[1], name: rest[3] };
  }
  return undefined;
}

function verbOf(method: string, t: Target, watch: boolean): string {
  if (method === 'POST') return 'create';
  if (method === 'DELETE') return 'delete';
  if (t.name) return 'get';
  return watch ? 'watch' : 'list';
}

/** Answers one HTTP request the way kube-apiserver would. */
export async function routeRequest(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const path = url.pathname.replace(/\/$/, '') || '/';
  if (path === '/version') return json(res, 200, discovery(ctx, path));
  const user = ctx.access.authenticate(req.headers.authorization);
  if (!user) return status(res, unauthorized());
  const disc = req.method === 'GET' ? discovery(ctx, path) : undefined;
  if (disc) return json(res, 200, disc);
  const t = parseTarget(path);
  if (!t) return status(res, notFound('path', path));
  const q = url.searchParams;
  const watch = q.get('watch') === '1' || q.get('watch') === 'true';
  const verb = verbOf(req.method ?? 'GET', t, watch);
  ctx.countRequest(verb, path);
  if (ctx.access.isForbidden(verb, t.resource, t.namespace)) return status(res, forbidden(user.name, verb, t.resource, t.namespace, t.name, t.group));
  const query: StoreQuery = { kind: t.kind, namespace: t.namespace, labelSelector: q.get('labelSelector') ?? undefined };
  if (verb === 'watch') {
    const holder: { w?: OpenWatch } = {};
    const asked = Number(q.get('timeoutSeconds') ?? '');
    const cap = ctx.watchTimeoutSeconds ?? Infinity;
    const timeout = Math.min(asked > 0 ? asked : Infinity, cap);
    const params = { resourceVersion: q.get('resourceVersion') ?? undefined, bookmarks: q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1', timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined, goneAs: ctx.goneAs };
    holder.w = startWatch(ctx.store, res, query, params, () => holder.w && ctx.removeWatch(holder.w));
    if (holder.w) ctx.addWatch(holder.w);
    return;
  }
  if (verb === 'list') {
    const { rv, items } = ctx.store.list(query);
    return json(res, 200, { kind: `${t.kind}List`, apiVersion: API_VERSION[t.kind], metadata: { resourceVersion: String(rv) }, items });
  }
  if (verb === 'get' || verb === 'delete') {
    const obj = verb === 'get' ? ctx.store.get(t.kind, t.namespace, t.name ?? '') : ctx.store.remove(t.kind, t.namespace, t.name ?? '');
    return obj ? json(res, 200, obj) : status(res, notFound(t.resource, t.name ?? ''));
  }
  if (verb === 'create' && t.kind === 'Pod' && t.namespace) return createPod(ctx, t.namespace, await readBody(req), res);
  if (verb === 'create' && t.kind === 'Service' && t.namespace) {
    const made = createService(ctx.store, t.namespace, await readBody(req));
    return 'created' in made ? json(res, 201, made.created) : status(res, made.refused);
  }
  return status(res, failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
}

function createPod(ctx: RouteContext, namespace: string, body: string, res: ServerResponse): void {
  let pod: StoredObject;
  try {
    pod = JSON.parse(body) as StoredObject;
  } catch (e) {
    return status(res, failure(400, 'BadRequest', `the body of the request was not valid JSON: ${(e as Error).message}`));
  }
  const name = pod?.metadata?.name;
  if (typeof name !== 'string' || !name) return status(res, failure(422, 'Invalid', 'Pod "" is invalid: metadata.name: Required value: name or generateName is required'));
  if (ctx.store.get('Pod', namespace, name)) return status(res, failure(409, 'AlreadyExists', `pods "${name}" already exists`, { name, kind: 'pods' }));
  pod.metadata.namespace = namespace;
  const spec = (pod.spec ?? {}) as { containers?: { name?: string }[] };
  const podIP = ctx.podIP(pod);
  pod.status = {
    phase: 'Running',
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    containerStatuses: (spec.containers ?? []).map((c) => ({ name: c.name ?? '', ready: true, restartCount: 0 })),
  };
  json(res, 201, ctx.store.upsert('Pod', pod));
}
