import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../../src/providers/embedded/control/labError';
import type { LabEvent, LabStatus } from '../../../../src/providers/embedded/control/protocol';
import { RpcClient } from '../../../../src/providers/embedded/control/rpcClient';
import { RpcServer, type Handlers } from '../../../../src/providers/embedded/control/rpcServer';

const STATUS = { lab: 'test', state: 'running' } as LabStatus;
const PROGRESS: LabEvent = { event: 'progress', step: 'nodes', detail: 'node1', done: 1, total: 2 };

/** A handler table where every method not given throws, as a real lab would for a call it cannot serve. */
function handlers(overrides: Partial<Handlers>): Handlers {
  const refuse = async () => {
    throw new Error('not used in this test');
  };
  const all = { build: refuse, status: refuse, addPod: refuse, deletePod: refuse, exec: refuse, route: refuse, watch: refuse, shutdown: refuse };
  return { ...all, ...overrides } as Handlers;
}

/** Resolves with the first event a client receives, or rejects after `ms`. */
function nextEvent(client: RpcClient, ms = 2000): Promise<LabEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event arrived')), ms);
    const off = client.onEvent((e) => {
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

describe('control rpc (RpcServer and RpcClient over a Unix socket)', () => {
  let dir: string;
  let socket: string;
  let server: RpcServer | undefined;
  const clients: RpcClient[] = [];

  async function start(table: Handlers): Promise<RpcClient> {
    server = new RpcServer(table);
    await server.listen(socket);
    return connect();
  }

  async function connect(): Promise<RpcClient> {
    const client = await RpcClient.connect(socket);
    clients.push(client);
    return client;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-rpc-'));
    socket = join(dir, 'lab.sock');
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a call resolves with what the handler returned, params passed through', async () => {
    let seen: unknown;
    const client = await start(handlers({
      deletePod: async (params) => {
        seen = params;
        return { name: params.name, ip: '10.244.1.5' };
      },
    }));
    assert.deepEqual(await client.call('deletePod', { name: 'pod-b' }), { name: 'pod-b', ip: '10.244.1.5' });
    assert.deepEqual(seen, { name: 'pod-b' });
  });

  it('concurrent calls each get their own answer', async () => {
    const client = await start(handlers({
      deletePod: async ({ name }) => {
        await new Promise((r) => setTimeout(r, name === 'slow' ? 30 : 1));
        return { name, ip: name };
      },
    }));
    const [slow, fast] = await Promise.all([client.call('deletePod', { name: 'slow' }), client.call('deletePod', { name: 'fast' })]);
    assert.equal(slow.name, 'slow');
    assert.equal(fast.name, 'fast');
  });

  it('a LabError thrown by a handler arrives as a LabError with the same message, code and field', async () => {
    const client = await start(handlers({
      deletePod: async () => {
        throw new LabError('pod "x" not found', 'NOT_FOUND', 'pod');
      },
    }));
    await assert.rejects(client.call('deletePod', { name: 'x' }), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.message, 'pod "x" not found');
      assert.equal(e.code, 'NOT_FOUND');
      assert.equal(e.field, 'pod');
      return true;
    });
  });

  it('any other error thrown by a handler arrives as a LabError with code FAILED and its message', async () => {
    const client = await start(handlers({}));
    await assert.rejects(client.call('status', {}), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.code, 'FAILED');
      assert.equal(e.message, 'not used in this test');
      assert.equal(e.field, undefined);
      return true;
    });
  });

  it('an unknown method is answered with BAD_REQUEST naming the method', async () => {
    const client = await start(handlers({}));
    const call = client.call as (method: string, params: unknown) => Promise<unknown>;
    await assert.rejects(call.call(client, 'frobnicate', {}), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.code, 'BAD_REQUEST');
      assert.match(e.message, /unknown method frobnicate/);
      return true;
    });
  });

  it('treats names of Object.prototype members as unknown methods too', async () => {
    const client = await start(handlers({}));
    const call = client.call as (method: string, params: unknown) => Promise<unknown>;
    for (const method of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      await assert.rejects(call.call(client, method, {}), (e: unknown) => e instanceof LabError && e.code === 'BAD_REQUEST', method);
    }
  });

  it('events a handler emits reach the caller onEvent before the response', async () => {
    const client = await start(handlers({
      build: async (_params, { emit }) => {
        emit(PROGRESS);
        emit({ event: 'state', state: 'running' });
        return STATUS;
      },
    }));
    const order: string[] = [];
    client.onEvent((e) => order.push(e.event));
    const status = await client.call('build', { topology: {} as LabStatus['topology'], sandboxPid: 1 });
    order.push('response');
    assert.deepEqual(status, STATUS);
    assert.deepEqual(order, ['progress', 'state', 'response']);
  });

  it('broadcast reaches a client that called watch, and not one that did not', async () => {
    const table = handlers({
      watch: async (_params, { socket: s }) => {
        server?.watch(s);
        return { watching: true };
      },
      status: async () => STATUS,
    });
    const watcher = await start(table);
    const bystander = await connect();
    assert.deepEqual(await watcher.call('watch', {}), { watching: true });
    await bystander.call('status', {}); // connected and served, but not watching
    const heardByBystander: LabEvent[] = [];
    bystander.onEvent((e) => heardByBystander.push(e));
    const arrived = nextEvent(watcher);
    server?.broadcast(PROGRESS);
    assert.deepEqual(await arrived, PROGRESS);
    await bystander.call('status', {}); // a round trip after the broadcast: anything sent to it would be here by now
    assert.deepEqual(heardByBystander, []);
  });

  it('when the server closes, a watching client call that is still pending rejects', async () => {
    let entered!: () => void;
    const handlerEntered = new Promise<void>((r) => (entered = r));
    const client = await start(handlers({
      watch: async (_params, { socket: s }) => {
        server?.watch(s);
        return { watching: true };
      },
      shutdown: () => {
        entered();
        return new Promise(() => undefined); // never answers
      },
    }));
    await client.call('watch', {});
    const pending = client.call('shutdown', {});
    await handlerEntered;
    server?.close();
    await assert.rejects(pending, (e: unknown) => e instanceof LabError && /closed the connection/.test(e.message));
    await assert.rejects(client.call('status', {}), /closed the connection/, 'later calls fail at once too');
  });

  it('when the server closes, a pending call of a client that never watched rejects too', async () => {
    let entered!: () => void;
    const handlerEntered = new Promise<void>((r) => (entered = r));
    const client = await start(handlers({
      shutdown: () => {
        entered();
        return new Promise(() => undefined); // never answers
      },
    }));
    const pending = client.call('shutdown', {}, 0);
    await handlerEntered;
    server?.close();
    await assert.rejects(pending, (e: unknown) => e instanceof LabError && /closed the connection/.test(e.message));
  });

  it('connecting to a socket that does not exist rejects with code ENOENT', async () => {
    await assert.rejects(RpcClient.connect(join(dir, 'missing.sock')), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  });

  /** A raw server that answers every request line with `lines` (written as they are), like a broken or foreign lab. */
  async function rawServer(lines: string[]): Promise<Server> {
    const raw = createServer((s) => s.once('data', () => s.write(lines.join(''))));
    await new Promise<void>((r) => raw.listen(socket, r));
    return raw;
  }

  for (const [name, line] of [['null', 'null'], ['a number', '42'], ['a string', '"hello"'], ['a non-JSON line', 'garbage{'], ['an object with no id or event', '{"x":1}'], ['a null error', '{"id":1,"error":null}']]) {
    it(`a line holding ${name} from the lab fails the pending call with a clear error instead of crashing the client`, async () => {
      const raw = await rawServer([`${line}\n`]);
      try {
        const client = await connect();
        await assert.rejects(client.call('status', {}, 2000), (e: unknown) => e instanceof LabError && /malformed message/.test(e.message));
        await assert.rejects(client.call('status', {}, 2000), /malformed message/, 'the connection is closed afterwards');
      } finally {
        raw.close();
      }
    });
  }

  it('after connecting, only the client own error listener stays on the socket (the connect-time one is removed)', async () => {
    const client = await start(handlers({ status: async () => STATUS }));
    const sock = (client as unknown as { socket: Socket }).socket;
    assert.equal(sock.listenerCount('error'), 1);
    assert.deepEqual(await client.call('status', {}), STATUS);
  });

  it('onClose returns a function that removes the listener', async () => {
    const client = await start(handlers({ status: async () => STATUS }));
    const heard: string[] = [];
    const off = client.onClose(() => heard.push('removed one'));
    client.onClose(() => heard.push('kept one'));
    off();
    const closed = new Promise<void>((r) => client.onClose(r));
    server?.close();
    await closed;
    assert.deepEqual(heard, ['kept one']);
  });
});
