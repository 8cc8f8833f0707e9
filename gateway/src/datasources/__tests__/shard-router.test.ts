import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { createLogger } from '@sodertorn/service-kit';
import { compatibleSchemaCheck, ShardClient, type ShardClientOptions } from '@sodertorn/shard-client';
import { ShardRouterDataSource } from '../shard-router-data-source';
import { FakeShard, freePort, type FakeShardOptions } from './fake-shard';

const SDL = 'type Query { a: Int }';
const CODES = ['0126', '0127', '0128'];
const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id } } }';
const logger = createLogger('test', 'silent');

const running: FakeShard[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.stop()));
});

async function startFake(code: string, options: Partial<FakeShardOptions> = {}): Promise<FakeShard> {
  const fake = await FakeShard.start({ code, sdl: SDL, ...options });
  running.push(fake);
  return fake;
}

type Target = ShardClientOptions['municipalities'][number];

function shard(code: string, url: string, timeoutMs = 5000, options: Partial<Target> = {}): Target {
  return { code, name: `Kommun ${code}`, url, timeoutMs, ...options };
}

/** The router over one client for these municipalities, closed after the test. */
function routerOf(targets: Target[], now?: () => number): ShardRouterDataSource {
  const client = new ShardClient({ municipalities: targets, timeoutMs: 5000, schemaCheck: compatibleSchemaCheck(SDL), logger, now });
  clients.push(client);
  lastClient = client;
  return new ShardRouterDataSource(client);
}
const clients: ShardClient[] = [];
let lastClient: ShardClient;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
/** A municipality's deployment in the last router's client. */
const shardOf = (code: string) => lastClient.shard(code)!;

/** Three municipalities, each on its own fake deployment. */
async function region(options: Record<string, Partial<FakeShardOptions>> = {}, timeouts: Record<string, number> = {}) {
  const fakes: Record<string, FakeShard> = {};
  for (const code of CODES) fakes[code] = await startFake(code, options[code]);
  const router = routerOf(CODES.map((code) => shard(code, fakes[code]!.url, timeouts[code])));
  return { router, fakes };
}

function send(router: ShardRouterDataSource, query: string, variables?: Record<string, unknown>): Promise<GatewayGraphQLResponse> {
  return router.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables },
    context: { requestId: 'r1' },
    incomingRequestContext: {} as never,
  });
}

const person = (id: string, municipalityCode: string) => ({ __typename: 'Person', id, municipalityCode });
/** Interleaved: 0126 owns 0 and 3, 0127 owns 1 and 4, 0128 owns 2. */
const BATCH = [person('a', '0126'), person('b', '0127'), person('c', '0128'), person('d', '0126'), person('e', '0127')];
const served = (r: ReturnType<typeof person>) => ({ ...r, servedBy: r.municipalityCode });
const fetchEntities = (router: ShardRouterDataSource, representations: unknown[] = BATCH) => send(router, ENTITIES, { representations });
const unavailable = (code: string, index: number, reason: string) => ({
  message: expect.stringContaining(reason),
  path: ['_entities', index],
  extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: code },
});

describe('ShardRouterDataSource', () => {
  describe('entity fetches', () => {
    it('returns interleaved entities in original order, each served by its owner', async () => {
      const { router } = await region();
      expect(await fetchEntities(router)).toEqual({ data: { _entities: BATCH.map(served) } });
    });

    it('sends each shard only its own representations, with the request id', async () => {
      const { router, fakes } = await region();
      await fetchEntities(router);
      for (const code of CODES) {
        const fake = fakes[code]!;
        expect(fake.kinds()).toEqual(['sdl', 'entities']);
        expect(fake.received[1]).toEqual({
          kind: 'entities',
          query: ENTITIES,
          variables: { representations: BATCH.filter((r) => r.municipalityCode === code) },
          requestId: 'r1',
        });
      }
    });

    it('calls every owner in parallel', async () => {
      let arrived = 0;
      let open!: () => void;
      const allArrived = new Promise<void>((resolve) => (open = resolve));
      /** Holds every shard's answer until all of them have been asked. */
      const gate = (): Promise<void> => {
        if (++arrived === CODES.length) open();
        return allArrived;
      };
      const { router } = await region(Object.fromEntries(CODES.map((code) => [code, { gate }])), { '0126': 3000, '0127': 3000, '0128': 3000 });
      expect(await fetchEntities(router)).toEqual({ data: { _entities: BATCH.map(served) } });
      expect(arrived).toBe(3);
    });

    it('renumbers a shard’s error paths to the original index and tags the municipality', async () => {
      const { router } = await region({ '0127': { errors: [{ message: 'no x', path: ['_entities', 1, 'x'] }] } });
      const response = await fetchEntities(router);
      expect(response.data).toEqual({ _entities: BATCH.map(served) });
      expect(response.errors).toEqual([{ message: 'no x', path: ['_entities', 4, 'x'], extensions: { municipalityCode: '0127' } }]);
    });

    it.each([
      ['before it was ever verified', false],
      ['after it was verified', true],
    ])('loses only the entities of a shard that is down %s', async (_name, verifiedFirst) => {
      const { router, fakes } = await region();
      if (verifiedFirst) expect(await lastClient.verifyAll()).toEqual({ '0126': 'up', '0127': 'up', '0128': 'up' });
      await fakes['0127']!.stop();
      const response = await fetchEntities(router);
      expect(response.data).toEqual({ _entities: [served(BATCH[0]!), null, served(BATCH[2]!), served(BATCH[3]!), null] });
      expect(response.errors).toEqual([unavailable('0127', 1, 'cannot be reached'), unavailable('0127', 4, 'cannot be reached')]);
    });

    it('loses only the entities of a shard slower than its timeout', async () => {
      const { router, fakes } = await region({ '0128': { delayMs: 1000 } }, { '0128': 200 });
      const started = Date.now();
      const response = await fetchEntities(router);
      expect(Date.now() - started).toBeLessThan(900);
      expect(response.data).toEqual({ _entities: [served(BATCH[0]!), served(BATCH[1]!), null, served(BATCH[3]!), served(BATCH[4]!)] });
      expect(response.errors).toEqual([unavailable('0128', 2, 'no answer within 200 ms')]);
      expect(fakes['0128']!.kinds()).toEqual(['sdl', 'entities']);
    });

    it('fails an entity of an unknown municipality alone, without sending it anywhere', async () => {
      const { router, fakes } = await region();
      const batch = [person('a', '0126'), person('x', '9999'), person('b', '0127')];
      const response = await fetchEntities(router, batch);
      expect(response.data).toEqual({ _entities: [served(batch[0]!), null, served(batch[2]!)] });
      expect(response.errors).toEqual([
        { message: expect.stringContaining('"9999"'), path: ['_entities', 1], extensions: { code: 'UNKNOWN_MUNICIPALITY', municipalityCode: '9999' } },
      ]);
      expect(fakes['0126']!.received[1]?.variables).toEqual({ representations: [batch[0]] });
      expect(fakes['0127']!.received[1]?.variables).toEqual({ representations: [batch[2]] });
      expect(fakes['0128']!.received).toEqual([]);
    });

    it('calls no shard for an empty batch', async () => {
      const { router, fakes } = await region();
      expect(await fetchEntities(router, [])).toEqual({ data: { _entities: [] } });
      for (const code of CODES) expect(fakes[code]!.received).toEqual([]);
    });

    it('checks an unverified shard’s SDL once for concurrent fetches', async () => {
      const { router, fakes } = await region();
      await Promise.all([fetchEntities(router), fetchEntities(router)]);
      for (const code of CODES) expect(fakes[code]!.kinds().sort()).toEqual(['entities', 'entities', 'sdl']);
    });
  });

  describe('SDL drift', () => {
    it.each([
      ['serves an SDL without a field the supergraph routes to it', 'type Query { b: Int }', 'lacks what the supergraph routes to it', 'drifted', 1],
      ['does not return its SDL', null, 'cannot be reached', 'unverified', 4],
    ])('never calls a shard that %s, and fails its entities', async (_name, sdl, reason, state, sdlChecks) => {
      const { router, fakes } = await region({ '0128': { sdl } });
      for (let call = 0; call < 2; call++) {
        const response = await fetchEntities(router);
        expect(response.data).toEqual({ _entities: [served(BATCH[0]!), served(BATCH[1]!), null, served(BATCH[3]!), served(BATCH[4]!)] });
        expect(response.errors).toEqual([unavailable('0128', 2, reason)]);
      }
      const root = await send(router, '{ person(municipalityCode: "0128") { id } }');
      expect(root).toEqual({
        errors: [{ message: expect.stringContaining(reason), extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0128' } }],
      });
      expect(await lastClient.verifyAll()).toEqual({ '0126': 'up', '0127': 'up', '0128': state });
      // A drifted shard is down for good; one without an SDL is asked again each time.
      expect(fakes['0128']!.kinds()).toEqual(new Array(sdlChecks).fill('sdl'));
    });

    it('serves a shard upgraded ahead of the gateway: its SDL adds a field, a type and an argument', async () => {
      const { router } = await region({ '0127': { sdl: 'type Query { a(since: Int): Int b: Extra } type Extra { c: Int }' } });
      expect(await fetchEntities(router)).toEqual({ data: { _entities: BATCH.map(served) } });
      expect(await lastClient.verifyAll()).toEqual({ '0126': 'up', '0127': 'up', '0128': 'up' });
    });

    it('does not count a layout-only difference as drift', async () => {
      const { router } = await region({ '0127': { sdl: '\n\ntype Query {\n    a: Int\n}\n' } });
      expect(await fetchEntities(router)).toEqual({ data: { _entities: BATCH.map(served) } });
    });
  });

  describe('root fields', () => {
    it.each([
      ['a query with a variable', 'query($m: String!) { person(municipalityCode: $m) { id } }', { m: '0127' }, 'query'],
      ['a query with a literal', '{ person(municipalityCode: "0127") { id } }', undefined, 'query'],
      ['a mutation', 'mutation($m: String!) { registerCase(municipalityCode: $m) { id } }', { m: '0127' }, 'mutation'],
    ])('sends %s to exactly the named municipality', async (_name, query, variables, operation) => {
      const { router, fakes } = await region();
      await lastClient.verifyAll();
      expect(await send(router, query, variables)).toEqual({ data: { servedBy: '0127', operation } });
      expect(fakes['0127']!.received).toEqual([expect.objectContaining({ kind: 'sdl' }), { kind: 'operation', query, variables, requestId: 'r1' }]);
      expect(fakes['0126']!.kinds()).toEqual(['sdl']);
      expect(fakes['0128']!.kinds()).toEqual(['sdl']);
    });

    it('tags the shard’s errors with its municipality', async () => {
      const { router } = await region({ '0126': { errors: [{ message: 'denied', path: ['person'], extensions: { code: 'FORBIDDEN' } }] } });
      const response = await send(router, '{ person(municipalityCode: "0126") { id } }');
      expect(response.errors).toEqual([{ message: 'denied', path: ['person'], extensions: { code: 'FORBIDDEN', municipalityCode: '0126' } }]);
    });

    it.each([
      [
        'a mutation naming two municipalities',
        'mutation { a: registerCase(municipalityCode: "0126") { id } b: registerCase(municipalityCode: "0127") { id } }',
        'MUNICIPALITIES_DIFFER',
      ],
      ['a query naming none', '{ person(id: "1") { id } }', 'MUNICIPALITY_REQUIRED'],
      ['a query naming an unknown one', '{ person(municipalityCode: "9999") { id } }', 'UNKNOWN_MUNICIPALITY'],
    ])('refuses %s without reaching any shard', async (_name, query, code) => {
      const { router, fakes } = await region();
      await lastClient.verifyAll();
      const response = await send(router, query);
      expect(response.data).toBeUndefined();
      expect(response.errors).toEqual([{ message: expect.any(String), extensions: expect.objectContaining({ code }) }]);
      for (const c of CODES) expect(fakes[c]!.kinds()).toEqual(['sdl']);
    });

    it('reports a down municipality as unavailable', async () => {
      const { router, fakes } = await region();
      await fakes['0126']!.stop();
      expect(await send(router, '{ person(municipalityCode: "0126") { id } }')).toEqual({
        errors: [{ message: expect.stringContaining('cannot be reached'), extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0126' } }],
      });
    });
  });

  describe('a shard unreachable at first', () => {
    it('is verified and used once it comes up', async () => {
      const port = await freePort();
      const fakes = { '0126': await startFake('0126'), '0128': await startFake('0128') };
      const router = routerOf([shard('0126', fakes['0126'].url), shard('0127', `http://127.0.0.1:${port}/graphql`), shard('0128', fakes['0128'].url)]);
      const late = shardOf('0127');

      expect((await lastClient.verifyAll())['0127']).toBe('unverified');
      const before = await fetchEntities(router);
      expect(before.errors).toEqual([unavailable('0127', 1, 'cannot be reached'), unavailable('0127', 4, 'cannot be reached')]);

      const fake = await startFake('0127', { port });
      expect(await fetchEntities(router)).toEqual({ data: { _entities: BATCH.map(served) } });
      expect(late.state).toBe('up');
      expect(fake.kinds()).toEqual(['sdl', 'entities']);
    });
  });

  describe('retries', () => {
    const MUTATION = 'mutation($m: String!) { registerCase(municipalityCode: $m) { id } }';

    async function flaky(retries: number) {
      const fake = await startFake('0127');
      const router = routerOf([shard('0127', fake.url, 5000, { retry: { retries, baseMs: 5 } })]);
      await lastClient.verifyAll();
      return { fake, router };
    }

    it('retries an entity fetch that got a 5xx, and returns the retry’s answer', async () => {
      const { fake, router } = await flaky(1);
      fake.failWith(503, 1);
      const batch = [person('b', '0127')];
      expect(await fetchEntities(router, batch)).toEqual({ data: { _entities: batch.map(served) } });
      expect(fake.kinds()).toEqual(['sdl', 'entities', 'entities']);
    });

    it('gives up after SHARD_RETRIES retries', async () => {
      const { fake, router } = await flaky(2);
      fake.failWith(503);
      const response = await fetchEntities(router, [person('b', '0127')]);
      expect(response.errors).toEqual([unavailable('0127', 0, 'HTTP 503')]);
      expect(fake.kinds()).toEqual(['sdl', 'entities', 'entities', 'entities']);
    });

    it('never retries a mutation: it may have committed', async () => {
      const { fake, router } = await flaky(3);
      fake.failWith(503);
      const response = await send(router, MUTATION, { m: '0127' });
      expect(response.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('HTTP 503') })]);
      expect(fake.kinds()).toEqual(['sdl', 'operation']);
    });

    it('does not retry a query that timed out', async () => {
      const fake = await startFake('0127', { delayMs: 1000 });
      const router = routerOf([shard('0127', fake.url, 150, { retry: { retries: 2, baseMs: 5 } })]);
      await lastClient.verifyAll();
      const response = await fetchEntities(router, [person('b', '0127')]);
      expect(response.errors).toEqual([unavailable('0127', 0, 'no answer within 150 ms')]);
      expect(fake.kinds()).toEqual(['sdl', 'entities']);
    });
  });

  describe('circuit breaker', () => {
    it('fails fast while open without calling the shard, and closes after a successful trial', async () => {
      const clock = { now: Date.UTC(2026, 0, 1) };
      const fakes = { '0126': await startFake('0126'), '0127': await startFake('0127') };
      const router = routerOf(
        [
          shard('0126', fakes['0126'].url),
          shard('0127', fakes['0127'].url, 5000, { retry: { retries: 0, baseMs: 0 }, breaker: { failureThreshold: 2, cooldownMs: 10_000 } }),
        ],
        () => clock.now,
      );
      const breaking = shardOf('0127');
      await lastClient.verifyAll();
      const batch = [person('a', '0126'), person('b', '0127')];

      fakes['0127'].failWith(503);
      for (let i = 0; i < 2; i++) expect((await fetchEntities(router, batch)).errors).toEqual([unavailable('0127', 1, 'HTTP 503')]);
      expect(breaking.breakerState).toBe('open');
      expect(fakes['0127'].kinds()).toEqual(['sdl', 'entities', 'entities']);

      // Open: fails fast, names when it will be tried again, and the shard hears nothing.
      fakes['0127'].failWith(undefined);
      const open = await fetchEntities(router, batch);
      expect(open.data).toEqual({ _entities: [served(batch[0]!), null] });
      expect(open.errors).toEqual([unavailable('0127', 1, 'circuit is open')]);
      expect(open.errors![0]!.message).toContain('2026-01-01T00:00:10.000Z');
      expect(fakes['0127'].kinds()).toEqual(['sdl', 'entities', 'entities']);

      // After the cooldown one trial call goes through; its success closes the circuit.
      clock.now += 10_000;
      expect(breaking.breakerState).toBe('half-open');
      expect(await fetchEntities(router, batch)).toEqual({ data: { _entities: batch.map(served) } });
      expect(breaking.breakerState).toBe('closed');
      expect(fakes['0127'].kinds()).toEqual(['sdl', 'entities', 'entities', 'entities']);
    });

    it('opens again when the trial call fails', async () => {
      const clock = { now: 0 };
      const fake = await startFake('0127');
      const router = routerOf(
        [shard('0127', fake.url, 5000, { retry: { retries: 0, baseMs: 0 }, breaker: { failureThreshold: 1, cooldownMs: 1_000 } })],
        () => clock.now,
      );
      const breaking = shardOf('0127');
      fake.failWith(503);
      await fetchEntities(router, [person('b', '0127')]);
      expect(breaking.breakerState).toBe('open');
      clock.now += 1_000;
      await fetchEntities(router, [person('b', '0127')]);
      expect(breaking.breakerState).toBe('open');
      expect(fake.kinds()).toEqual(['sdl', 'entities', 'entities']);
    });
  });
});
