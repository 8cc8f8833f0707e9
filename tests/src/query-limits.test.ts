import { createTokenVerifier, Role } from '@sodertorn/auth';
import { createGatewayServer } from '@sodertorn/gateway';
import { SCHEMA_FILES } from '@sodertorn/schema';
import { createLogger, listen, type Listening } from '@sodertorn/service-kit';
import { bearer, postGraphQL, testVerifierOptions } from '@sodertorn/testing';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { memoryLog, type LogRecord } from './support/memory-logger';
import { startTestRegion, type TestRegion } from './support/test-region';

const PERIOD = { from: '2026-12-01', to: '2027-01-01' };

/** `region { municipalities { housingUnits { bookings { unit { bookings { unit … } } } } } }`, `levels` booking/unit pairs deep. */
function depthBomb(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `bookings(from: $from, to: $to) { unit { ${inner} } }`;
  return `query DepthBomb($from: LocalDate!, $to: LocalDate!) { region { municipalities { housingUnits { ${inner} } } } }`;
}

const ALIAS_BOMB = `query AliasBomb { ${Array.from({ length: 20 }, (_, i) => `a${i}: region { name }`).join(' ')} }`;

/**
 * Fragment amplification: each level spreads the fragment below ten times. Within
 * the depth limit, few tokens and no aliases, but its cost multiplies level by level.
 */
const COST_BOMB = `
  query CostBomb($from: LocalDate!, $to: LocalDate!) { region { municipalities { housingUnits { ${'...L1 '.repeat(10)}} } } }
  fragment L0 on HousingUnit { id kind places district status }
  fragment L1 on HousingUnit { bookings(from: $from, to: $to) { unit { ${'...L0 '.repeat(10)}} } }
`;

/** Over 2,000 tokens, yet shallow, cheap and without aliases. */
const TOKEN_BOMB = `query TokenBomb { region { ${'name '.repeat(2100)}} }`;

const REGISTER = `mutation Register($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`;
const participantInput = (lastName: string) => ({
  firstName: 'Limits',
  lastName,
  personalIdentityNumber: '199503129810',
  birthDate: '1995-03-12',
  gender: 'FEMALE',
  referralSource: 'SELF',
  riskLevel: 'LOW',
  intakeDate: '2026-11-20',
  responsibleCaseworker: 'caseworker-test',
});

const isSubgraphRequest = (record: LogRecord) => record.msg === 'graphql request' && record.component !== 'gateway';

describe('Gateway: request limits and hardening', () => {
  const log = memoryLog();
  let region: TestRegion;
  let coordinator: Record<string, string>;
  let caseworker: Record<string, string>;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true, logger: log.logger });
    coordinator = await bearer(Role.COORDINATOR);
    caseworker = await bearer(Role.CASEWORKER, '0126');
  });
  afterAll(async () => {
    await region.destroy();
  });

  /** Runs `send` and returns what it got, with every request the subgraphs logged meanwhile. */
  async function watch<T>(send: () => Promise<T>): Promise<{ result: T; subgraphRequests: LogRecord[] }> {
    const mark = log.mark();
    const result = await send();
    await new Promise((resolve) => setImmediate(resolve));
    return { result, subgraphRequests: log.since(mark).filter(isSubgraphRequest) };
  }

  async function countParticipants(lastName: string): Promise<number> {
    const db = new Client({ connectionString: region.shards.get('0126')!.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>('select count(*) as n from participant where last_name = $1', [lastName]);
      return Number(rows[0]!.n);
    } finally {
      await db.end();
    }
  }

  it('control: an ordinary region query reaches the regional subgraph and the shards, and they log it', async () => {
    const { result, subgraphRequests } = await watch(() =>
      postGraphQL(
        region.gateway.url,
        `query Capacity($from: LocalDate!, $to: LocalDate!) { region { municipalities { code housingUnits { freePlaces(from: $from, to: $to) } } } }`,
        PERIOD,
        coordinator,
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(new Set(subgraphRequests.map((r) => r.component))).toEqual(new Set(['regional', ...region.registry.map((m) => `municipality-${m.code}`)]));
  });

  it('control: a query eight levels deep and one with 15 aliases, inside the limits, are executed', async () => {
    const within = `query Within($from: LocalDate!, $to: LocalDate!) { region { municipalities { housingUnits { ${'bookings(from: $from, to: $to) { unit { '.repeat(2)}id${' } }'.repeat(2)} } } } }`;
    const aliases = `query Aliases { ${Array.from({ length: 15 }, (_, i) => `a${i}: region { name }`).join(' ')} }`;
    for (const query of [within, aliases]) {
      const result = await postGraphQL(region.gateway.url, query, PERIOD, coordinator);
      expect(result.errors).toBeUndefined();
      expect(result.data).toBeTruthy();
    }
  });

  it.each([
    ['a depth bomb (bookings { unit { … } } nested five times)', depthBomb(5), /depth limit of 10 exceeded/i],
    ['an alias bomb (20 aliases of one field)', ALIAS_BOMB, /aliases limit of 15 exceeded/i],
    ['a cost bomb (fragment amplification)', COST_BOMB, /cost limit of 20000 exceeded/i],
    ['a token bomb (over 2,000 tokens)', TOKEN_BOMB, /token limit of 2000 exceeded/i],
  ])('refuses %s before execution: an error, no data, and no subgraph is sent anything', async (_name, query, message) => {
    const { result, subgraphRequests } = await watch(() => postGraphQL(region.gateway.url, query, PERIOD, coordinator));
    expect(result.status).toBe(400);
    expect(result).not.toHaveProperty('data');
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message) })]);
    expect(result.errors![0]!.extensions).not.toHaveProperty('stacktrace');
    expect(subgraphRequests).toEqual([]);
  });

  describe('straight to a subgraph, without the gateway', () => {
    const participantAliases = (count: number) =>
      `query Aliases { ${Array.from({ length: count }, (_, i) => `a${i}: participants { id firstName }`).join(' ')} }`;

    it.each([
      ['1,000 aliases of the participant list, to a shard, as a caseworker', () => region.shards.get('0126')!.url, participantAliases(1_000), () => caseworker],
      ['100 aliases of the participant list, to a shard, as a caseworker', () => region.shards.get('0126')!.url, participantAliases(100), () => caseworker],
      ['an alias bomb, to the regional subgraph', () => region.regional.url, ALIAS_BOMB, () => coordinator],
      ['a token bomb, to the regional subgraph', () => region.regional.url, TOKEN_BOMB, () => coordinator],
    ])('refuses %s exactly as the gateway does, and nothing is executed', async (_name, url, query, headers) => {
      const atGateway = await postGraphQL(region.gateway.url, query, {}, headers());
      const { result: straight, subgraphRequests } = await watch(() => postGraphQL(url(), query, {}, headers()));
      expect(atGateway.status).toBe(400);
      expect(straight).toEqual(atGateway);
      // A refused request is logged with its code, or (a token refusal, while parsing) not at all: never executed.
      for (const logged of subgraphRequests) expect(logged.errorCodes).toEqual([atGateway.errors![0]!.extensions!.code]);
    });
  });

  describe('introspection', () => {
    let open: Listening & { stop(): Promise<void> };

    beforeAll(async () => {
      // The same gateway, built with introspection on: the control that the switch is what refuses it.
      const server = await createGatewayServer({
        supergraphSdl: readFileSync(SCHEMA_FILES.supergraph, 'utf8'),
        municipalitySdl: readFileSync(SCHEMA_FILES.municipality, 'utf8'),
        regionalUrl: region.regional.url,
        municipalities: region.registry,
        shardTimeoutMs: 3_000,
        verifier: createTokenVerifier(await testVerifierOptions()),
        logger: createLogger('test-gateway-introspection', 'silent'),
        introspection: true,
        ...region.gatewayTls,
      });
      const listening = await listen(server.app, 0);
      open = { ...listening, stop: async () => (await listening.close(), await server.stop()) };
    });
    afterAll(async () => {
      await open.stop();
    });

    it.each([
      ['__schema', `{ __schema { types { name } } }`],
      ['__type', `{ __type(name: "Participant") { fields { name } } }`],
    ])('is refused by the gateway built without introspection: true (%s)', async (_name, query) => {
      const { result, subgraphRequests } = await watch(() => postGraphQL(region.gateway.url, query, {}, coordinator));
      expect(result.status).toBe(400);
      expect(result).not.toHaveProperty('data');
      expect(result.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      expect(JSON.stringify(result)).not.toMatch(/personalIdentityNumber|streetAddress/);
      expect(subgraphRequests).toEqual([]);
    });

    it('is answered when the gateway is built with introspection: true', async () => {
      const result = await postGraphQL(open.url, `{ __type(name: "Participant") { fields { name } } }`, {}, coordinator);
      expect(result.errors).toBeUndefined();
      expect(result.data!.__type.fields).toEqual(expect.arrayContaining([{ name: 'personalIdentityNumber' }]));
    });
  });

  describe('HTTP', () => {
    const url = () => new URL(region.gateway.url);

    it('refuses a mutation sent with GET: 400 without a CSRF preflight header, 405 with one; nothing is saved', async () => {
      const attempts: [Record<string, string>, number][] = [
        [{}, 400],
        [{ 'apollo-require-preflight': 'true' }, 405],
      ];
      for (const [preflight, status] of attempts) {
        const target = url();
        target.searchParams.set('query', REGISTER);
        target.searchParams.set('variables', JSON.stringify({ input: participantInput('Getmutation') }));
        const { result: response, subgraphRequests } = await watch(() => fetch(target, { headers: { ...caseworker, ...preflight } }));
        expect(response.status).toBe(status);
        const body = (await response.json()) as { data?: unknown };
        expect(body.data ?? null).toBeNull();
        expect(subgraphRequests).toEqual([]);
      }
      expect(await countParticipants('Getmutation')).toBe(0);
    });

    it('rejects a POST with content-type text/plain (CSRF prevention) with 400; nothing is saved', async () => {
      const { result: response, subgraphRequests } = await watch(() =>
        fetch(region.gateway.url, {
          method: 'POST',
          headers: { ...caseworker, 'content-type': 'text/plain' },
          body: JSON.stringify({ query: REGISTER, variables: { input: participantInput('Textplain') } }),
        }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/"data"\s*:\s*\{/);
      expect(subgraphRequests).toEqual([]);
      expect(await countParticipants('Textplain')).toBe(0);
    });

    it('rejects a batched JSON array body; nothing is saved', async () => {
      const { result: response, subgraphRequests } = await watch(() =>
        fetch(region.gateway.url, {
          method: 'POST',
          headers: { ...caseworker, 'content-type': 'application/json' },
          body: JSON.stringify([{ query: REGISTER, variables: { input: participantInput('Batched') } }, { query: `{ region { name } }` }]),
        }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/"data"\s*:\s*\{/);
      expect(subgraphRequests).toEqual([]);
      expect(await countParticipants('Batched')).toBe(0);
    });

    it('answers a body over the limit (100kb) with 413, without a stack trace', async () => {
      const { result: response, subgraphRequests } = await watch(() =>
        fetch(region.gateway.url, {
          method: 'POST',
          headers: { ...coordinator, 'content-type': 'application/json' },
          body: JSON.stringify({ query: `query Big($pad: String) { region { name } }`, variables: { pad: 'x'.repeat(150_000) } }),
        }),
      );
      expect(response.status).toBe(413);
      const text = await response.text();
      expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(text).not.toMatch(/node_modules|\/work\//);
      expect(subgraphRequests).toEqual([]);
    });

    it('answers malformed JSON with 400, without a stack trace', async () => {
      const response = await fetch(region.gateway.url, {
        method: 'POST',
        headers: { ...coordinator, 'content-type': 'application/json' },
        body: '{"query": "{ region { name } }"',
      });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(text).not.toMatch(/node_modules|\/work\//);
    });
  });

  describe('error responses carry no stack traces', () => {
    const asCoordinator = () => bearer(Role.COORDINATOR);
    const asCaseworker = () => bearer(Role.CASEWORKER, '0126');
    const anonymous = async () => ({});
    it.each([
      ['a syntax error', `{ region { name `, asCoordinator],
      ['an unknown field', `{ region { nope } }`, asCoordinator],
      ['a missing token', `{ region { name } }`, anonymous],
      ['a forbidden field', `{ participants(municipalityCode: "0126") { personalIdentityNumber } }`, asCoordinator],
      ['an unknown municipality', `{ participants(municipalityCode: "9999") { id } }`, asCaseworker],
      [
        'invalid input',
        `mutation { registerParticipant(input: { firstName: "", lastName: "", personalIdentityNumber: "1", birthDate: "1995-03-12", gender: FEMALE, referralSource: SELF, riskLevel: LOW, intakeDate: "2026-11-20", responsibleCaseworker: "x" }) { id } }`,
        asCaseworker,
      ],
    ])('%s', async (_name, query, headers) => {
      const result = await postGraphQL(region.gateway.url, query, {}, await headers());
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors!) expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
      expect(JSON.stringify(result)).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules/);
    });
  });
});
