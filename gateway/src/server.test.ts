import { createTokenVerifier, MUNICIPAL_ROLES } from '@sodertorn/auth';
import { createLogger, listen, type Listening } from '@sodertorn/service-kit';
import { bearer, Role, tableAllows, testVerifierOptions } from '@sodertorn/testing';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { FakeShard } from './datasources/__tests__/fake-shard';
import { createGatewayServer, type GatewayServer } from './server';

const SCHEMA_DIR = resolve(__dirname, '../../schema');
const SUPERGRAPH = readFileSync(resolve(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');
const MUNICIPALITY_SDL = readFileSync(resolve(SCHEMA_DIR, 'municipality.graphql'), 'utf8');
const CODES = ['0126', '0127'];

/** Stands in for the regional subgraph: only its /ready matters here. */
async function fakeRegional(): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/ready' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ready' }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

let fakes: Record<string, FakeShard>;
let regional: Awaited<ReturnType<typeof fakeRegional>>;
let server: GatewayServer;
let gateway: Listening;

beforeEach(async () => {
  fakes = {};
  for (const code of CODES) fakes[code] = await FakeShard.start({ code, sdl: MUNICIPALITY_SDL });
  regional = await fakeRegional();
  server = await createGatewayServer({
    supergraphSdl: SUPERGRAPH,
    municipalitySdl: MUNICIPALITY_SDL,
    regionalUrl: regional.url,
    municipalities: CODES.map((code) => ({ code, name: `Kommun ${code}`, url: fakes[code]!.url })),
    shardTimeoutMs: 2_000,
    shardRetry: { retries: 0, baseMs: 0 },
    verifier: createTokenVerifier(await testVerifierOptions()),
    logger: createLogger('test-gateway', 'silent'),
  });
  gateway = await listen(server.app, 0);
});

afterEach(async () => {
  await gateway.close();
  await server.stop();
  await regional.stop();
  await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
});

const base = () => gateway.url.replace(/\/graphql$/, '');
const getJson = async (path: string) => {
  const response = await fetch(base() + path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('gateway /ready', () => {
  it('is ready with every shard’s state and breaker when the regional subgraph and a shard are up', async () => {
    expect(await getJson('/ready')).toEqual({
      status: 200,
      body: {
        status: 'ready',
        regional: 'up',
        shards: [
          { municipalityCode: '0126', state: 'up', breaker: 'closed' },
          { municipalityCode: '0127', state: 'up', breaker: 'closed' },
        ],
      },
    });
  });

  it('stays ready while one shard is up', async () => {
    await fakes['0126']!.stop();
    expect((await getJson('/ready')).status).toBe(200);
  });

  it('is not ready when no shard is up', async () => {
    await gateway.close();
    await server.stop();
    const urls = CODES.map((code) => fakes[code]!.url);
    await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
    server = await createGatewayServer({
      supergraphSdl: SUPERGRAPH,
      municipalitySdl: MUNICIPALITY_SDL,
      regionalUrl: regional.url,
      municipalities: CODES.map((code, i) => ({ code, name: `Kommun ${code}`, url: urls[i]! })),
      shardTimeoutMs: 2_000,
      verifier: createTokenVerifier(await testVerifierOptions()),
      logger: createLogger('test-gateway', 'silent'),
    });
    gateway = await listen(server.app, 0);
    const { status, body } = await getJson('/ready');
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'not ready',
      shards: [
        { municipalityCode: '0126', state: 'unverified' },
        { municipalityCode: '0127', state: 'unverified' },
      ],
    });
    // and /metrics reports them down
    const text = await (await fetch(`${base()}/metrics`)).text();
    expect(text).toMatch(/^gateway_shard_up\{municipality_code="0126"\} 0$/m);
    expect(text).toMatch(/^gateway_shard_up\{municipality_code="0127"\} 0$/m);
  });

  it('shows a shard that dies as down without any traffic (active probe), and up again when it returns', async () => {
    await gateway.close();
    await server.stop();
    server = await createGatewayServer({
      supergraphSdl: SUPERGRAPH,
      municipalitySdl: MUNICIPALITY_SDL,
      regionalUrl: regional.url,
      municipalities: CODES.map((code) => ({ code, name: `Kommun ${code}`, url: fakes[code]!.url })),
      shardTimeoutMs: 2_000,
      shardProbe: { intervalMs: 100, timeoutMs: 200 },
      verifier: createTokenVerifier(await testVerifierOptions()),
      logger: createLogger('test-gateway', 'silent'),
    });
    gateway = await listen(server.app, 0);
    const port = fakes['0127']!.port;
    const shardUp = async () => /^gateway_shard_up\{municipality_code="0127"\} (\d)$/m.exec(await (await fetch(`${base()}/metrics`)).text())![1];
    const stateOf0127 = async () => ((await getJson('/ready')).body.shards as { municipalityCode: string; state: string }[])[1]!.state;
    /** Polls /ready until 0127 is in `state`; fails after `withinMs` (the probe needs at most interval + timeout). */
    const until = async (state: string, withinMs: number) => {
      const deadline = Date.now() + withinMs;
      while ((await stateOf0127()) !== state) {
        if (Date.now() > deadline) throw new Error(`0127 still not ${state} after ${withinMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };

    expect(await shardUp()).toBe('1');
    await fakes['0127']!.stop();
    await until('down', 5_000);
    expect(await shardUp()).toBe('0');
    expect((await getJson('/ready')).status).toBe(200); // 0126 still serves

    fakes['0127'] = await FakeShard.start({ code: '0127', sdl: MUNICIPALITY_SDL, port });
    await until('up', 5_000);
    expect(await shardUp()).toBe('1');
    expect(fakes['0127']!.kinds().every((kind) => kind === 'sdl')).toBe(true); // only probes reached it
  });

  it('is not ready when the regional subgraph does not answer', async () => {
    await regional.stop();
    const { status, body } = await getJson('/ready');
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not ready', regional: 'down' });
  });

  it('keeps /health a plain liveness check', async () => {
    await regional.stop();
    await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
    expect(await getJson('/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('gateway /metrics', () => {
  const SECRET = 'SECRET-VARIABLE-VALUE-4711';

  it('counts requests by operation name and outcome, times shard calls, and never shows variables', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer(Role.CASEWORKER, '0127')) },
      body: JSON.stringify({
        query: 'query ParticipantProbe($id: ID!) { participant(id: $id, municipalityCode: "0127") { id } }',
        variables: { id: SECRET },
        operationName: 'ParticipantProbe',
      }),
    });
    await response.json();
    expect(fakes['0127']!.kinds()).toContain('operation');

    const scrape = await fetch(`${base()}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/^gateway_graphql_requests_total\{operation_name="ParticipantProbe",outcome="(success|error)"\} 1$/m);
    expect(text).toMatch(/^gateway_graphql_request_duration_seconds_count\{outcome="(success|error)"\} 1$/m);
    expect(text).toMatch(/^gateway_shard_call_duration_seconds_count\{municipality_code="0127",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^gateway_shard_up\{municipality_code="0126"\} 1$/m);
    expect(text).toMatch(/^gateway_shard_up\{municipality_code="0127"\} 1$/m);
    expect(text).not.toContain(SECRET);
    // The process's default metrics beside the gateway's own.
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });
});

describe('gateway /stats', () => {
  // Each caller's expected answer comes from the README's role table (@sodertorn/testing), not from
  // the gateway's code: allowed callers get past the role check (the fake regional subgraph then
  // answers nothing useful, so 503), refused ones get 403.
  const callers: [string, Role, string | undefined][] = Object.values(Role).flatMap((role): [string, Role, string | undefined][] => [
    [`${role} of 0126`, role, '0126'],
    ...(MUNICIPAL_ROLES.has(role) ? [] : [[`${role} of the region`, role, undefined] as [string, Role, undefined]]),
  ]);

  it.each(callers)("lets %s through exactly when the README's role table gives it released statistics", async (_label, role, municipality) => {
    const allowed = tableAllows('regional', { roles: [role], municipality }, undefined, 'Query', 'statisticsDatasets');
    const response = await fetch(`${base()}/stats`, { headers: await bearer(role, municipality) });
    expect(response.status).toBe(allowed ? 503 : 403);
  });

  it('refuses a request without a token with 401', async () => {
    expect((await fetch(`${base()}/stats/exits_by_outcome.csv`)).status).toBe(401);
  });
});
