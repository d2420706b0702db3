/** A stand-in for kube-apiserver on 127.0.0.1: the real HTTP(S) + JSON + watch + exec wire format, with a control API for tests. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { refuseExec, serveExec, type ExecHandler, type ExecSessionRecord } from './execSession';
import { AccessTable } from './rbac';
import { routeRequest, type RouteContext } from './routes';
import { failure, forbidden, notFound, unauthorized, type StatusBody } from './status';
import { ObjectStore, type StandInKind, type StoredObject } from './store';
import { standInCert } from './tls';
import type { OpenWatch } from './watchStream';

/** The token the stand-in accepts unless a test gives its own. */
export const STAND_IN_TOKEN = 'podnet-stand-in-token';

/** How to start a stand-in. */
export interface StandInOptions {
  /** HTTPS with a self-signed certificate (default true, like real clusters). */
  tls?: boolean;
  /** Accepted bearer tokens: token -> user name. Default: STAND_IN_TOKEN as "stand-in-user". */
  tokens?: Record<string, string>;
  /** How many events the history keeps (older RVs get 410 Gone). */
  historyLimit?: number;
  /** How an expired watch resourceVersion is answered (default: an ERROR event, as kube-apiserver does). */
  goneAs?: 'event' | 'http';
  /** The podIP a created Pod gets (so a test can put a debug Pod "on" a node). */
  podIP?: (pod: StoredObject) => string | undefined;
  /** What really runs for pods/exec; default refuses. */
  execHandler?: ExecHandler;
  /** Kill an exec'd program after this long (default 20 s). */
  execTimeoutMs?: number;
  /** End every watch after at most this many seconds, as kube-apiserver's request timeout does (default: the client's timeoutSeconds only). */
  watchTimeoutSeconds?: number;
}

/** A running stand-in: its URL and CA for a kubeconfig, and the knobs tests turn. */
export class KubeApiStandIn {
  readonly store: ObjectStore;
  readonly access = new AccessTable();
  /** Every exec request served, in order. */
  readonly execSessions: ExecSessionRecord[] = [];
  execHandler: ExecHandler;
  podIP: (pod: StoredObject) => string | undefined;
  private readonly watches = new Set<OpenWatch>();
  private readonly counters = new Map<string, number>();
  private readonly sockets = new Set<Duplex>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered: Set<string>) =>
      ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.has(p)) ?? false,
  });

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    /** PEM of the self-signed certificate (its own CA), when TLS is on. */
    readonly caPem: string | undefined,
    private readonly opts: StandInOptions,
  ) {
    this.store = new ObjectStore(opts.historyLimit);
    this.execHandler = opts.execHandler ?? refuseExec;
    this.podIP = opts.podIP ?? (() => undefined);
    for (const [token, user] of Object.entries(opts.tokens ?? { [STAND_IN_TOKEN]: 'stand-in-user' })) this.access.addToken(token, user);
  }

  /** Starts a stand-in on a free port of 127.0.0.1. */
  static async start(opts: StandInOptions = {}): Promise<KubeApiStandIn> {
    const tls = opts.tls ?? true;
    const cert = tls ? await standInCert() : undefined;
    const server = cert ? https.createServer({ key: cert.key, cert: cert.cert }) : http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const standIn = new KubeApiStandIn(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, cert?.cert, opts);
    standIn.wire();
    return standIn;
  }

  /** Creates or replaces a Node, Pod, Service or EndpointSlice (kind taken from obj.kind) and emits ADDED or MODIFIED. */
  upsert(obj: StoredObject & { kind: StandInKind }): StoredObject {
    return this.store.upsert(obj.kind, obj);
  }

  /** Deletes a Node, Pod, Service or EndpointSlice and emits DELETED. */
  remove(kind: StandInKind, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.store.remove(kind, kind === 'Node' ? undefined : namespace, name);
  }

  /** Severs every open watch connection (its TCP socket), as a network blip or API server restart would. */
  dropWatches(): number {
    const n = this.watches.size;
    for (const w of [...this.watches]) w.res.socket?.destroy();
    return n;
  }

  /** Forgets the event history: watches resuming from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** Sends a BOOKMARK with the current resourceVersion on every watch that allows bookmarks. */
  bookmark(): void {
    for (const w of this.watches) w.bookmark();
  }

  /** Forbids verb on resource (e.g. 'list', 'pods'; 'create', 'pods/exec') at cluster scope or in one namespace. */
  forbid(verb: string, resource: string, namespace?: string): void {
    this.access.forbid(verb, resource, namespace);
  }

  /** How many requests were served for `verb path`, e.g. count('list', '/api/v1/pods'), count('watch', '/api/v1/nodes'). */
  count(verb: string, path: string): number {
    return this.counters.get(`${verb} ${path}`) ?? 0;
  }

  /** All request counters, keyed `verb path`. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  /** How many watch connections are open now. */
  openWatches(): number {
    return this.watches.size;
  }

  /** Closes all connections and the server. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private context(): RouteContext {
    return {
      store: this.store,
      access: this.access,
      goneAs: this.opts.goneAs ?? 'event',
      podIP: (p) => this.podIP(p),
      countRequest: (verb, path) => this.counters.set(`${verb} ${path}`, (this.counters.get(`${verb} ${path}`) ?? 0) + 1),
      addWatch: (w) => this.watches.add(w),
      removeWatch: (w) => this.watches.delete(w),
      serverAddress: this.url.replace(/^https?:\/\//, ''),
      watchTimeoutSeconds: this.opts.watchTimeoutSeconds,
    };
  }

  private wire(): void {
    const ctx = this.context();
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('request', (req, res) => {
      routeRequest(ctx, req, res).catch((e: unknown) => {
        // A broken request (e.g. a body cut off) gets a 500 Status, as the API server would; the test sees it as a failed call.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify(failure(500, 'InternalError', String(e))));
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
    const reject = (s: StatusBody): void => {
      const body = JSON.stringify(s);
      socket.end(`HTTP/1.1 ${s.code} ${http.STATUS_CODES[s.code ?? 500]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    if (!m) return reject(notFound('path', url.pathname));
    const [, namespace, name] = m.map(decodeURIComponent);
    this.counters.set(`exec ${url.pathname}`, this.count('exec', url.pathname) + 1);
    const user = this.access.authenticate(req.headers.authorization);
    if (!user) return reject(unauthorized());
    if (this.access.isForbidden('create', 'pods/exec', namespace)) return reject(forbidden(user.name, 'create', 'pods/exec', namespace, name));
    const pod = this.store.get('Pod', namespace, name);
    if (!pod) return reject(notFound('pods', name));
    const q = url.searchParams;
    const flag = (k: string): boolean => q.get(k) === 'true' || q.get(k) === '1';
    const containers = ((pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? []).map((c) => c.name ?? '');
    const query = { command: q.getAll('command'), container: q.get('container') || containers[0] || '', stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') };
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const record: ExecSessionRecord = {
        namespace, pod: name, container: query.container, command: query.command, protocol: ws.protocol, closedByClient: false,
      };
      this.execSessions.push(record);
      void serveExec(ws, pod, query, this.execHandler, record, this.opts.execTimeoutMs ?? 20_000);
    });
  }
}
