import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@sodertorn/service-kit';
import { exactSdlCheck } from './schema-check';
import { Shard } from './shard';
import { ShardUnavailable } from './shard-errors';

const SDL = 'type Query { a: Int }';
const ENTITIES = {
  query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }',
  variables: { representations: [] },
};
const logger = createLogger('test', 'silent');

/** A deployment that answers the SDL check and leaves every other request to `answer`. */
interface RawShard {
  url: string;
  connections: number;
  received: { headers: IncomingMessage['headers']; body: string }[];
}

const servers: Server[] = [];
const shards: Shard[] = [];
afterEach(async () => {
  await Promise.all(shards.splice(0).map((shard) => shard.close()));
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
});

async function rawShard(answer: (res: ServerResponse) => void): Promise<RawShard> {
  const shard: RawShard = { url: '', connections: 0, received: [] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (body.includes('_service'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl: SDL } } }));
      shard.received.push({ headers: req.headers, body });
      answer(res);
    });
  });
  server.on('connection', () => shard.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  shard.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return shard;
}

function shardAt(url: string, timeoutMs = 2_000): Shard {
  const shard = new Shard({ code: '0127', name: 'Kommun 0127', url, timeoutMs, schemaCheck: exactSdlCheck(SDL), logger, retry: { retries: 0, baseMs: 0 } });
  shards.push(shard);
  return shard;
}

async function failure(shard: Shard): Promise<{ kind: string; reason: string }> {
  const error = await shard.execute(ENTITIES, {}, 'query').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShardUnavailable);
  const { kind, reason } = error as ShardUnavailable;
  return { kind, reason };
}

describe('Shard over HTTP', () => {
  it('POSTs the request as JSON with the forwarded headers, and returns the JSON answer', async () => {
    const raw = await rawShard((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"_entities":[]}}'));
    const response = await shardAt(raw.url).execute(ENTITIES, { authorization: 'Bearer t', 'x-request-id': 'r1' }, 'query');
    expect(response).toEqual({ data: { _entities: [] } });
    expect(JSON.parse(raw.received[0]!.body)).toEqual(ENTITIES);
    expect(raw.received[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer t',
      'x-request-id': 'r1',
    });
  });

  it('keeps the connection alive between calls', async () => {
    const raw = await rawShard((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"_entities":[]}}'));
    const shard = shardAt(raw.url);
    for (let i = 0; i < 5; i++) await shard.execute(ENTITIES, {}, 'query');
    expect(raw.received).toHaveLength(5);
    expect(raw.connections).toBeLessThanOrEqual(2); // six requests with the SDL check
  });

  it.each([
    ['a 200 that is not JSON', (res: ServerResponse) => res.writeHead(200).end('<html>'), 'unverified', 'answered HTTP 200 without a GraphQL body'],
    ['a 200 whose JSON is no object', (res: ServerResponse) => res.writeHead(200).end('null'), 'unverified', 'answered HTTP 200 without a GraphQL body'],
    ['a 502 that is not JSON', (res: ServerResponse) => res.writeHead(502).end('Bad Gateway'), 'server-error', 'answered HTTP 502 without a GraphQL body'],
    ['a 503 with errors and no data', (res: ServerResponse) => res.writeHead(503).end('{"errors":[{"message":"down"}]}'), 'server-error', 'answered HTTP 503'],
    [
      'a body cut off half-way',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-length': '100' }).write('{"data":');
        setTimeout(() => res.destroy(), 20);
      },
      'unverified',
      'answered HTTP 200 without a GraphQL body',
    ],
    [
      'a body slower than the timeout',
      (res: ServerResponse) => res.writeHead(200, { 'content-length': '100' }).write('{"data":'),
      'unverified',
      'answered HTTP 200 without a GraphQL body',
    ],
    ['no answer within the timeout', () => undefined, 'timeout', 'no answer within 300 ms'],
  ])('fails a call on %s', async (_name, answer, kind, reason) => {
    const raw = await rawShard(answer);
    expect(await failure(shardAt(raw.url, 300))).toEqual({ kind, reason: expect.stringContaining(reason) });
  });

  it('keeps a 4xx with a GraphQL body as an answer', async () => {
    const raw = await rawShard((res) => res.writeHead(400).end('{"errors":[{"message":"bad"}]}'));
    expect(await shardAt(raw.url).execute(ENTITIES, {}, 'query')).toEqual({ errors: [{ message: 'bad' }] });
  });

  it('fails a call to a URL that is none as unreachable', async () => {
    const shard = shardAt('not a url');
    expect(await shard.verify()).toBe('unverified');
    expect(await failure(shard)).toEqual({ kind: 'unverified', reason: expect.stringContaining('cannot be reached') });
  });
});
