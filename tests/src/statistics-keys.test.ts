import { generateStatisticsKeyPair } from '@sodertorn/municipality';
import type { TestStatisticsSeeds } from '@sodertorn/municipality/testing';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { memoryLog, type MemoryLog } from './support/memory-logger';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

/**
 * Members and statistics keys without lockstep (issue 13): a ninth member, or one member's new key,
 * needs configuration at that member (and the registry) only. Rounds run over the members that can
 * take part and say who was left out and why; the coverage lock still holds. Every member here has
 * real X25519 keys (STATISTICS_PRIVATE_KEY_FILE's content and STATISTICS_PUBLIC_KEYS).
 */
const EIGHT = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
/** Upplands Väsby: a real kommunkod outside Södertörn, joining as the ninth member. */
const NINTH = '0114';
const LARGEST_NOISE = 14;

const STATISTICS = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      release
      municipalitiesCovered
      municipalitiesMissing
      missingReasons {
        municipalityCode
        reason
      }
      total {
        value
      }
    }
  }
`;
const RELEASE = /* GraphQL */ `
  mutation Release($year: Int!) {
    releaseStatistics(year: $year)
  }
`;

interface Table {
  release: number;
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  missingReasons: { municipalityCode: string; reason: string }[];
  total: { value: number | null };
}

type KeyPair = ReturnType<typeof generateStatisticsKeyPair>;
const firstKeys = new Map([...EIGHT, NINTH].map((code) => [code, generateStatisticsKeyPair()]));

/**
 * One member's statistics configuration: its private keys (one PEM block each, in one file) and the
 * public keys it knows, `code=key` (version 1, the format before versions) or `code:version=key`.
 */
function keysOf(privateKeys: KeyPair[], known: [code: string, version: number, pair: KeyPair][]): TestStatisticsSeeds {
  return {
    privateKeyPem: privateKeys.map((p) => p.privateKeyPem).join(''),
    publicKeys: known.map(([code, version, pair]) => `${version === 1 ? code : `${code}:${version}`}=${pair.publicKey}`).join(','),
  };
}
const firstOf = (codes: string[]) => codes.map((code): [string, number, KeyPair] => [code, 1, firstKeys.get(code)!]);

async function ask(region: TestRegion, year: number): Promise<Table> {
  const answer = await postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset: 'intakes_by_gender', year }, await bearer(Role.ANALYST));
  expect(answer.errors).toBeUndefined();
  return answer.data!.statistics;
}

async function release(region: TestRegion, year: number): Promise<number> {
  const answer = await postGraphQL<{ releaseStatistics: number }>(region.gateway.url, RELEASE, { year }, await bearer(Role.COORDINATOR));
  expect(answer.errors).toBeUndefined();
  return answer.data!.releaseStatistics;
}

/**
 * The true regional intakes of a year over these members, from their databases. A round whose masks
 * did not cancel (two members agreeing on different keys) would publish a number of the order of 2^31.
 */
async function expectTrueTotal(region: TestRegion, table: Table, year: number): Promise<void> {
  let truth = 0;
  for (const code of table.municipalitiesCovered) {
    const [row] = await queryRows<{ n: number }>(
      region.shards.get(code)!.database.url,
      `select count(*)::int as n from participant where intake_date >= make_date($1, 1, 1) and intake_date < make_date($1 + 1, 1, 1) and intake_date <= current_date`,
      [year],
    );
    truth += row!.n;
  }
  expect(truth).toBeGreaterThan(4 * LARGEST_NOISE);
  expect(Math.abs(table.total.value! - truth)).toBeLessThanOrEqual(LARGEST_NOISE);
}

/** The key versions the regional subgraph's rounds used since `mark`, as it logged them. */
function versionsUsed(log: MemoryLog, mark: number): Record<string, number>[] {
  return log
    .since(mark)
    .filter((r) => r.component === 'regional' && r.msg === 'statistics round: key versions chosen')
    .map((r) => r.keyVersions as Record<string, number>);
}

describe('Statistics keys: a ninth member joins by its own configuration and the registry only', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion({
      extraMembers: [{ code: NINTH, name: 'Upplands Väsby' }],
      // The eight know each other's keys and nothing of the ninth, which has no key yet.
      statisticsSeeds: (code) => (code === NINTH ? 'none' : keysOf([firstKeys.get(code)!], firstOf(EIGHT))),
    });
  });
  afterAll(() => region?.destroy());

  it('runs the round over the eight and says that the ninth was left out and why', async () => {
    const table = await ask(region, 2026);
    expect(table.municipalitiesCovered).toEqual(EIGHT);
    expect(table.municipalitiesMissing).toEqual([NINTH]);
    expect(table.missingReasons).toEqual([{ municipalityCode: NINTH, reason: expect.stringMatching(/has no statistics key/) }]);
    await expectTrueTotal(region, table, 2026);
  });

  it('leaves the ninth out while the others do not know its key yet, naming who lacks it', async () => {
    // The ninth configures its key and knows the eight; none of the eight has added it yet.
    await region.shards.get(NINTH)!.restart({ statisticsSeeds: keysOf([firstKeys.get(NINTH)!], firstOf([...EIGHT, NINTH])) });
    // Only four of the eight add it: still not every participant knows it.
    for (const code of EIGHT.slice(0, 4)) {
      await region.shards.get(code)!.restart({ statisticsSeeds: keysOf([firstKeys.get(code)!], firstOf([...EIGHT, NINTH])) });
    }
    expect(await release(region, 2026)).toBe(2);
    const table = await ask(region, 2026);
    expect(table.municipalitiesCovered).toEqual(EIGHT);
    expect(table.missingReasons).toEqual([
      { municipalityCode: NINTH, reason: `its statistics key (version 1) is not yet known to ${EIGHT.slice(4).join(', ')}` },
    ]);
    await expectTrueTotal(region, table, 2026);
  });

  it('covers all nine in a year not yet released once every member knows its key, and keeps the released year to the eight (coverage lock)', async () => {
    for (const code of EIGHT.slice(4)) {
      await region.shards.get(code)!.restart({ statisticsSeeds: keysOf([firstKeys.get(code)!], firstOf([...EIGHT, NINTH])) });
    }
    const newYear = await ask(region, 2025);
    expect(newYear.municipalitiesCovered).toEqual([NINTH, ...EIGHT]);
    expect(newYear.missingReasons).toEqual([]);
    await expectTrueTotal(region, newYear, 2025);

    // 2026 was released over the eight: a release over nine could be subtracted from it and give the ninth's own figures.
    expect(await release(region, 2026)).toBe(3);
    const released = await ask(region, 2026);
    expect(released.municipalitiesCovered).toEqual(EIGHT);
    expect(released.missingReasons).toEqual([
      { municipalityCode: NINTH, reason: expect.stringMatching(/^left out until .*an earlier round of 2026 covered other municipalities$/) },
    ]);
    for (const code of [...EIGHT, NINTH]) {
      const sets = await queryRows<{ participants: string[] }>(
        region.shards.get(code)!.database.url,
        'select distinct participants from statistics_participation where year = 2026',
      );
      expect(sets).toEqual(code === NINTH ? [] : [{ participants: EIGHT }]);
    }
  });
});

describe('Statistics keys: one member rotates its key while the others still know only the old one', () => {
  let region: TestRegion;
  const log = memoryLog();
  const rotated = generateStatisticsKeyPair();
  const ROTATING = '0126';

  beforeAll(async () => {
    region = await startTestRegion({ logger: log.logger, statisticsSeeds: (code) => keysOf([firstKeys.get(code)!], firstOf(EIGHT)) });
  });
  afterAll(() => region?.destroy());

  it('keeps statistics working throughout, and rounds use the new version once every member knows it', async () => {
    const start = log.mark();
    expect((await ask(region, 2026)).municipalitiesCovered).toEqual(EIGHT);

    // 1. The rotating member adds version 2 and keeps version 1 (both private keys, both public entries).
    await region.shards.get(ROTATING)!.restart({
      statisticsSeeds: keysOf([firstKeys.get(ROTATING)!, rotated], [...firstOf(EIGHT), [ROTATING, 2, rotated]]),
    });
    const bothVersions = log.mark();
    expect(await release(region, 2026)).toBe(2);
    const afterAdding = await ask(region, 2026);
    expect(afterAdding.municipalitiesCovered).toEqual(EIGHT);
    expect(afterAdding.missingReasons).toEqual([]);
    await expectTrueTotal(region, afterAdding, 2026);
    expect(versionsUsed(log, bothVersions)).toEqual([expect.objectContaining({ [ROTATING]: 1 })]);

    // 2. The others learn version 2 one at a time, each when it likes; a release in the middle still covers everyone, on version 1.
    const others = EIGHT.filter((code) => code !== ROTATING);
    const knowsBoth = [...firstOf(EIGHT), [ROTATING, 2, rotated] as [string, number, KeyPair]];
    for (const [i, code] of others.entries()) {
      await region.shards.get(code)!.restart({ statisticsSeeds: keysOf([firstKeys.get(code)!], knowsBoth) });
      if (i === 2) {
        const halfway = log.mark();
        expect(await release(region, 2026)).toBe(3);
        expect((await ask(region, 2026)).municipalitiesCovered).toEqual(EIGHT);
        expect(versionsUsed(log, halfway)).toEqual([expect.objectContaining({ [ROTATING]: 1 })]);
      }
    }
    const everyoneKnows = log.mark();
    expect(await release(region, 2026)).toBe(4);
    const onNewKey = await ask(region, 2026);
    expect(onNewKey.municipalitiesCovered).toEqual(EIGHT);
    await expectTrueTotal(region, onNewKey, 2026);
    expect(versionsUsed(log, everyoneKnows)).toEqual([{ ...Object.fromEntries(EIGHT.map((code) => [code, 1])), [ROTATING]: 2 }]);

    // 3. The old private key is retired: rounds go on with version 2 alone.
    await region.shards.get(ROTATING)!.restart({ statisticsSeeds: keysOf([rotated], [...firstOf(others), [ROTATING, 2, rotated]]) });
    const retired = await ask(region, 2025);
    expect(retired.municipalitiesCovered).toEqual(EIGHT);
    await expectTrueTotal(region, retired, 2025);

    // No request on the way failed: every round of the test covered all eight.
    expect(versionsUsed(log, start)).toHaveLength(5);
  });

  it('a shard refuses to contribute on a key version it does not know, and records nothing', async () => {
    const contribution = /* GraphQL */ `
      query ($participants: [ID!]!, $keyVersions: [Int!]!) {
        statisticsContribution(round: "statistics/test/unknown-version", participants: $participants, keyVersions: $keyVersions, year: 2024, release: 1) {
          maskedCells
        }
      }
    `;
    const keyVersions = EIGHT.map((code) => (code === ROTATING ? 3 : 1));
    const shard = region.shards.get('0127')!;
    const answer = await postGraphQL(shard.url, contribution, { participants: EIGHT, keyVersions }, await bearer(Role.SERVICE));
    expect(answer.data?.statisticsContribution ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('STATISTICS_NOT_CONFIGURED');
    expect(answer.errors?.[0]?.message).toBe(`This deployment does not know version 3 of the statistics key of ${ROTATING}.`);
    expect(await queryRows(shard.database.url, 'select * from statistics_participation where year = 2024')).toEqual([]);
  });
});
