import { ageBand, ageBandSql } from '@sodertorn/statistics';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { Client } from 'pg';

// A placement request's needs profile (TypeScript) and the statistics (SQL) put people into age
// bands from one definition; both must give the hand-written answer on every boundary.
const ON = '2026-11-27';
const CASES: [string, string, string][] = [
  ['turns 18 today', '2008-11-27', '18_20'],
  ['turns 18 tomorrow', '2008-11-28', 'UNDER_18'],
  ['is 20 until the 21st birthday', '2005-11-28', '18_20'],
  ['turns 21 today', '2005-11-27', '21_25'],
  ['is 25', '2001-01-01', '21_25'],
  ['is 26', '2000-01-01', '26_30'],
  ['is 30', '1996-01-01', '26_30'],
  ['is 31', '1995-01-01', '31_40'],
  ['is 40 until the 41st birthday', '1985-11-28', '31_40'],
  ['turns 41 today', '1985-11-27', '41_PLUS'],
  ['is 90', '1936-01-01', '41_PLUS'],
];

describe('age bands', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase('agebands');
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  async function sqlBand(birth: string, day: string): Promise<string> {
    const { rows } = await client.query<{ band: string }>(`select ${ageBandSql('$1::date', '$2::date')} as band`, [birth, day]);
    return rows[0]!.band;
  }

  it.each(CASES)('puts someone who %s into the same band in TypeScript and in SQL', async (_when, birthDate, band) => {
    expect(ageBand(birthDate, ON)).toBe(band);
    expect(await sqlBand(birthDate, ON)).toBe(band);
  });

  it('counts a leap-day birthday as passed only from 1 March in other years, in both', async () => {
    expect([ageBand('2004-02-29', '2025-02-28'), await sqlBand('2004-02-29', '2025-02-28')]).toEqual(['18_20', '18_20']);
    expect([ageBand('2004-02-29', '2025-03-01'), await sqlBand('2004-02-29', '2025-03-01')]).toEqual(['21_25', '21_25']);
  });
});
