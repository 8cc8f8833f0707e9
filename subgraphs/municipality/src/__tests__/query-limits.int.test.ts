import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { DEFAULT_QUERY_LIMITS } from '@sodertorn/service-kit';
import { Client } from 'pg';
import { startTestShard, type TestShard } from '../test-support';

const REPRESENTATIONS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HousingUnit { id kind } } }`;

/** `count` aliases of the participant list: every one would read (and audit) every participant. */
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: participants { id firstName }`).join(' ')} }`;

/**
 * A shard is reachable by every service of the region, not only through the
 * gateway: it applies the gateway's query limits itself (the same module, the
 * same numbers), before anything is read or audited.
 */
describe('A municipal deployment limits queries sent straight to it, as the gateway does', () => {
  let shard: TestShard;
  let db: Client;
  let caseworker: Record<string, string>;
  const auditRows = async () => Number((await db.query<{ n: string }>('select count(*) as n from audit_log')).rows[0]!.n);

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    db = new Client({ connectionString: shard.database.url });
    await db.connect();
    caseworker = await bearer(Role.CASEWORKER, '0126');
  });
  afterAll(async () => {
    await db.end();
    await shard.destroy();
  });

  it('control: the aliases the limit allows are answered, and audited', async () => {
    const before = await auditRows();
    const result = await postGraphQL(shard.url, aliases(DEFAULT_QUERY_LIMITS.maxAliases), {}, caseworker);
    expect(result.errors).toBeUndefined();
    expect(Object.keys(result.data!)).toHaveLength(DEFAULT_QUERY_LIMITS.maxAliases);
    expect(await auditRows()).toBeGreaterThan(before);
  });

  it('refuses 1,000 aliases (over the token limit first) within a second, and writes no audit row', async () => {
    const before = await auditRows();
    const started = performance.now();
    const result = await postGraphQL(shard.url, aliases(1_000), {}, caseworker);
    const ms = performance.now() - started;
    expect(result.status).toBe(400);
    expect(result).not.toHaveProperty('data');
    expect(result.errors).toEqual([{ message: 'Syntax Error: Token limit of 2000 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    expect(ms).toBeLessThan(1_000);
    expect(await auditRows()).toBe(before);
  });

  it('refuses 100 aliases (within the token limit) as too many aliases, and writes no audit row', async () => {
    const before = await auditRows();
    const result = await postGraphQL(shard.url, `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: participants { id }`).join(' ')} }`, {}, caseworker);
    expect(result.status).toBe(400);
    expect(result).not.toHaveProperty('data');
    expect(result.errors).toEqual([{ message: 'Syntax Error: Aliases limit of 15 exceeded, found 100.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(await auditRows()).toBe(before);
  });

  it.each([
    [
      'depth',
      `{ myMunicipality { housingUnits { bookings(from: "2026-12-01", to: "2027-01-01") { unit { bookings(from: "2026-12-01", to: "2027-01-01") { unit { bookings(from: "2026-12-01", to: "2027-01-01") { unit { bookings(from: "2026-12-01", to: "2027-01-01") { unit { id } } } } } } } } } } }`,
      'GRAPHQL_VALIDATION_FAILED',
      /depth limit of 10 exceeded/,
    ],
    ['tokens', `{ participants { ${'id '.repeat(2_100)}} }`, 'GRAPHQL_PARSE_FAILED', /Token limit of 2000 exceeded/],
  ])('refuses a %s bomb the same way, before any read', async (_limit, query, code, message) => {
    const before = await auditRows();
    const result = await postGraphQL(shard.url, query, {}, caseworker);
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code } }]);
    expect(await auditRows()).toBe(before);
  });

  it("answers the gateway's entity fetches, however many representations they carry", async () => {
    const units = (await db.query<{ id: string }>('select id from housing_unit')).rows;
    const r = Array.from({ length: 500 }, (_, i) => ({ __typename: 'HousingUnit', municipalityCode: '0126', id: units[i % units.length]!.id }));
    const result = await postGraphQL(shard.url, REPRESENTATIONS, { r }, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toHaveLength(500);
  });
});
