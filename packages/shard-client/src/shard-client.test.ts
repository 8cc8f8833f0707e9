import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@sodertorn/service-kit';
import { exactSdlCheck } from './schema-check';
import { ShardClient, type ShardClientOptions } from './shard-client';
import { ShardRefusal, ShardUnavailable } from './shard-errors';
import type { ShardState } from './shard';

const SDL = 'type Query { a: Int }';
const logger = createLogger('test', 'silent');

/** A deployment on a real port that answers the SDL check and `answer` for anything else; records what it got. */
interface Deployment {
  url: string;
  port: number;
  received: { query: string; headers: Record<string, unknown> }[];
  stop(): Promise<void>;
}

async function deployment(answer: (query: string) => unknown = () => ({ data: { a: 1 } }), port = 0): Promise<Deployment> {
  const received: Deployment['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      received.push({ query, headers: req.headers });
      const reply = query.includes('_service') ? { data: { _service: { sdl: SDL } } } : answer(query);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    port: bound,
    received,
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const clients: ShardClient[] = [];
const deployments: Deployment[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(deployments.splice(0).map((d) => d.stop()));
});

async function start(answer?: (query: string) => unknown): Promise<Deployment> {
  const d = await deployment(answer);
  deployments.push(d);
  return d;
}

function client(url: string, options: Partial<ShardClientOptions> = {}): ShardClient {
  const c = new ShardClient({
    municipalities: [{ code: '0127', name: 'Kommun 0127', url }],
    timeoutMs: 1_000,
    schemaCheck: exactSdlCheck(SDL),
    logger,
    serviceToken: async () => 'service-token',
    ...options,
  });
  clients.push(c);
  return c;
}

/** Waits until the state is `state` (checked every 20 ms); fails after `withinMs`. */
async function until(c: ShardClient, state: ShardState, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (c.shard('0127')!.state !== state) {
    if (Date.now() > deadline) throw new Error(`still ${c.shard('0127')!.state}, not ${state}, after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ShardClient: active probing', () => {
  it('marks a shard down without any traffic when it dies, and up again when it returns', async () => {
    const d = await deployment();
    const c = client(d.url, { probe: { intervalMs: 100, timeoutMs: 100 } });
    expect(await c.verifyAll()).toEqual({ '0127': 'up' });
    c.startProbing();
    await d.stop();
    await until(c, 'down', 5_000);
    expect(c.shard('0127')!.available).toBe(false);

    const back = await deployment(undefined, d.port);
    deployments.push(back);
    await until(c, 'up', 5_000);
    expect(c.shard('0127')!.available).toBe(true);
    // The probe only asks for the SDL: no data request was ever sent.
    expect(back.received.every((r) => r.query.includes('_service'))).toBe(true);
  });

  it('does not probe unless asked to', async () => {
    const d = await start();
    const c = client(d.url, { probe: undefined });
    await c.verifyAll();
    c.startProbing();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(d.received).toHaveLength(1);
  });

  it('finds a drifted deployment fixed on a later probe', async () => {
    let sdl = 'type Query { b: Int }';
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl } } })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    deployments.push({ url: '', port: 0, received: [], stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) });
    const c = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
    expect(await c.verifyAll()).toEqual({ '0127': 'drifted' });
    sdl = SDL;
    expect(await c.verifyAll()).toEqual({ '0127': 'drifted' }); // using it does not re-check a drifted one
    expect(await c.probeAll()).toEqual({ '0127': 'up' });
  });
});

describe('ShardClient: service calls', () => {
  it('sends the token, the request id and the document, and returns the data', async () => {
    const d = await start(() => ({ data: { a: 7 } }));
    const c = client(d.url);
    expect(await c.request('0127', 'query A { a }', {}, { requestId: 'r-1' })).toEqual({ a: 7 });
    const call = d.received.find((r) => !r.query.includes('_service'))!;
    expect(call.query).toBe('query A { a }');
    expect(call.headers).toMatchObject({ authorization: 'Bearer service-token', 'x-request-id': 'r-1' });
  });

  it("passes a shard's refusal on with its code and details", async () => {
    const d = await start(() => ({ errors: [{ message: 'No free places.', extensions: { code: 'NO_FREE_PLACES', free: 0 } }] }));
    const error = await client(d.url)
      .request('0127', 'mutation { a }', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardRefusal);
    expect(error).toMatchObject({ message: 'No free places.', extensions: { code: 'NO_FREE_PLACES', municipalityCode: '0127' }, details: { free: 0 } });
  });

  it.each([
    ['an internal error', { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 'it failed (INTERNAL_SERVER_ERROR)'],
    ['an error without a code', { errors: [{ message: 'boom' }] }, 'it failed (INTERNAL_SERVER_ERROR)'],
  ])('turns %s into MUNICIPALITY_UNAVAILABLE naming the municipality', async (_name, reply, reason) => {
    const d = await start(() => reply);
    const error = await client(d.url)
      .request('0127', '{ a }', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardUnavailable);
    expect(error).toMatchObject({ reason, extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0127' } });
    expect((error as Error).message).not.toContain('boom');
  });

  it('sends nothing when the token provider fails, and says so', async () => {
    const d = await start();
    const c = client(d.url, { serviceToken: () => Promise.reject(new Error('the token endpoint refused us')) });
    const error = await c.request('0127', '{ a }', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'credentials', reason: expect.stringContaining('the token endpoint refused us') });
    expect(d.received).toHaveLength(0);
  });

  it('retries a query that got a 5xx, but never a mutation (it may have committed)', async () => {
    let dataRequests = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        if (body.includes('_service')) return res.writeHead(200).end(JSON.stringify({ data: { _service: { sdl: SDL } } }));
        dataRequests++;
        res.writeHead(503).end('Service Unavailable');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    deployments.push({ url: '', port: 0, received: [], stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) });
    const c = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { retry: { retries: 2, baseMs: 1 } });

    expect(await c.request('0127', '{ a }', {}).catch((e: unknown) => e)).toMatchObject({ kind: 'server-error' });
    expect(dataRequests).toBe(3);
    expect(await c.request('0127', 'mutation { a }', {}).catch((e: unknown) => e)).toMatchObject({ kind: 'server-error' });
    expect(dataRequests).toBe(4);
  });

  it('refuses an unknown municipality without calling anything', async () => {
    const d = await start();
    const error = await client(d.url)
      .request('9999', '{ a }', {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'UNKNOWN_MUNICIPALITY', municipalityCode: '9999' } });
    expect(d.received).toHaveLength(0);
  });
});
