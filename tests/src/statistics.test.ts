import { feasibleRange, MIN_RANGE, RANGE_TOLERANCE, STATISTICS_DATASETS } from '@sodertorn/statistics';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

/** A full year of the demo data (seeded with today = 2026-11-27, intakes over the three years before). */
const YEAR = 2025;
const THRESHOLD = 5;
const ALL = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];

const STATISTICS = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      dataset measure dimension year municipalitiesCovered municipalitiesMissing threshold rowTotals columnTotals
      cells { period category value suppressed reason }
    }
  }
`;

interface Cell { period: string; category: string; value: number | null; suppressed: boolean; reason: string | null }
interface Table { dataset: string; municipalitiesCovered: string[]; municipalitiesMissing: string[]; threshold: number; rowTotals: (number | null)[]; columnTotals: (number | null)[]; cells: Cell[] }

/**
 * The plain tables (quarters × categories) of one municipality, straight from its database
 * with SQL written here, independently of the shard's own query.
 */
async function plainTables(region: TestRegion, code: string): Promise<Record<string, number[][]>> {
  const url = region.shards.get(code)!.database.url;
  const tables: Record<string, number[][]> = {};
  const specs: Record<string, { date: string; category: string }> = {
    intakes_by_referral_source: { date: 'intake_date', category: 'referral_source' },
    exits_by_outcome: { date: 'exit_date', category: 'exit_outcome' },
  };
  for (const dataset of STATISTICS_DATASETS) {
    const spec = specs[dataset.name]!;
    const rows = await queryRows<{ q: number; c: string; n: number }>(
      url,
      `select date_part('quarter', ${spec.date})::int as q, ${spec.category}::text as c, count(*)::int as n
         from participant where ${spec.date} is not null and date_part('year', ${spec.date}) = $1 group by 1, 2`,
      [YEAR],
    );
    const table = [1, 2, 3, 4].map(() => dataset.categories.map(() => 0));
    for (const row of rows) table[row.q - 1]![dataset.categories.indexOf(row.c)]! += row.n;
    tables[dataset.name] = table;
  }
  return tables;
}

function sumTables(tables: number[][][]): number[][] {
  return tables[0]!.map((row, i) => row.map((_, j) => tables.reduce((sum, t) => sum + t[i]![j]!, 0)));
}

/** The whole plain vector of one municipality, in the shared layout (datasets in order, quarter-major). */
function plainVector(tables: Record<string, number[][]>): number[] {
  return STATISTICS_DATASETS.flatMap((d) => tables[d.name]!.flat());
}

describe('End to end: joint statistics by secure aggregation and disclosure control', () => {
  let region: TestRegion;
  const received: { code: string; round: string; vector: readonly number[] }[] = [];
  const plain = new Map<string, Record<string, number[][]>>();

  beforeAll(async () => {
    region = await startTestRegion({ observeStatisticsRound: (code, round, vector) => received.push({ code, round, vector }) });
    for (const code of ALL) plain.set(code, await plainTables(region, code));
  });
  afterAll(async () => {
    await region.destroy();
  });

  const regionalTotals = (dataset: string, codes: readonly string[]) => sumTables(codes.map((code) => plain.get(code)![dataset]!));

  const ask = async (dataset: string, role: Role = Role.ANALYST, municipality?: string) =>
    postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset, year: YEAR }, await bearer(role, municipality, 'bi-tool'));

  it.each(STATISTICS_DATASETS.map((d) => [d.name]))('releases %s: every published cell equals the plain sum over the eight databases', async (dataset) => {
    const result = await ask(dataset);
    expect(result.errors).toBeUndefined();
    const table = result.data!.statistics;
    expect(table.municipalitiesCovered).toEqual(ALL);
    expect(table.municipalitiesMissing).toEqual([]);
    expect(table.threshold).toBe(THRESHOLD);
    const truth = regionalTotals(dataset, ALL);
    const width = truth[0]!.length;
    expect(table.cells).toHaveLength(truth.length * width);
    table.cells.forEach((cell, index) => {
      const value = truth[Math.floor(index / width)]![index % width]!;
      if (cell.suppressed) expect(cell.value).toBeNull();
      else expect(cell.value).toBe(value);
    });
    table.rowTotals.forEach((total, i) => total !== null && expect(total).toBe(truth[i]!.reduce((a, b) => a + b, 0)));
    table.columnTotals.forEach((total, j) => total !== null && expect(total).toBe(truth.reduce((a, row) => a + row[j]!, 0)));

    const log = await queryRows<{ dataset: string; year: number; municipalities_covered: string[]; client_sub: string }>(
      region.regional.database.url,
      'select dataset, year, municipalities_covered, client_sub from statistics_release where dataset = $1 order by id desc limit 1',
      [dataset],
    );
    expect(log).toEqual([{ dataset, year: YEAR, municipalities_covered: ALL, client_sub: 'bi-tool' }]);
  });

  it('never receives a municipality’s plain vector: every vector the regional subgraph gets is masked', async () => {
    expect(received.length).toBeGreaterThanOrEqual(ALL.length);
    const plainVectors = ALL.map((code) => plainVector(plain.get(code)!));
    for (const { vector } of received) {
      for (const p of plainVectors) expect(vector).not.toEqual(p);
      // Masked cells are uniform over [0, 2^32): counts this small would be a giveaway.
      expect(vector.filter((v) => v < 1_000_000).length).toBeLessThan(vector.length / 2);
    }
  });

  it('suppresses every small cell and enough complements that the LP cannot pin any of them', async () => {
    for (const dataset of STATISTICS_DATASETS) {
      const table = (await ask(dataset.name)).data!.statistics;
      const truth = regionalTotals(dataset.name, ALL);
      const width = dataset.categories.length;
      const mask = truth.map((row, i) => row.map((_, j) => table.cells[i * width + j]!.suppressed));
      truth.forEach((row, i) =>
        row.forEach((value, j) => {
          const cell = table.cells[i * width + j]!;
          if (value > 0 && value < THRESHOLD) expect(cell).toMatchObject({ suppressed: true });
          if (!cell.suppressed) expect(cell.value === 0 || cell.value! >= THRESHOLD).toBe(true);
          else expect(['PRIMARY', 'SECONDARY', 'TABLE']).toContain(cell.reason);
        }),
      );
      if (table.rowTotals.some((t) => t === null)) continue; // whole table withheld: no totals to work back from
      for (let i = 0; i < truth.length; i++) {
        for (let j = 0; j < width; j++) {
          if (!mask[i]![j]) continue;
          const range = await feasibleRange(truth, mask, i, j);
          expect(range.max - range.min).toBeGreaterThanOrEqual(MIN_RANGE - RANGE_TOLERANCE);
        }
      }
    }
  });

  it('gives a municipality’s analyst its own table, suppressed in the shard', async () => {
    const result = await postGraphQL<{ ownStatistics: { municipalityCode: string; threshold: number; cells: Cell[] } }>(
      region.gateway.url,
      `query Own($year: Int!) { ownStatistics(dataset: "intakes_by_referral_source", year: $year) { municipalityCode threshold cells { period category value suppressed reason } } }`,
      { year: YEAR },
      await bearer(Role.ANALYST, '0126'),
    );
    expect(result.errors).toBeUndefined();
    const own = result.data!.ownStatistics;
    expect(own.municipalityCode).toBe('0126');
    const truth = plain.get('0126')!.intakes_by_referral_source!.flat();
    own.cells.forEach((cell, index) => {
      if (cell.suppressed) expect(cell.value).toBeNull();
      else {
        expect(cell.value).toBe(truth[index]);
        expect(cell.value === 0 || cell.value! >= THRESHOLD).toBe(true);
      }
      if (truth[index]! > 0 && truth[index]! < THRESHOLD) expect(cell.suppressed).toBe(true);
    });
  });

  it('refuses statistics to a caseworker, and masked vectors to everyone but the region’s service', async () => {
    const regional = await ask('intakes_by_referral_source', Role.CASEWORKER, '0126');
    expect(regional.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const role of [Role.CASEWORKER, Role.ANALYST, Role.HOUSING_MANAGER]) {
      const masked = await postGraphQL(
        region.gateway.url,
        `query { maskedStatistics(round: "probe", participants: ["0126", "0127"], year: ${YEAR}) }`,
        {},
        await bearer(role, '0126'),
      );
      expect(masked.data?.maskedStatistics ?? null).toBeNull();
      expect(masked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const own = await postGraphQL(region.gateway.url, `query { ownStatistics(dataset: "exits_by_outcome", year: ${YEAR}) { year } }`, {}, await bearer(Role.CASEWORKER, '0126'));
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('serves the table as CSV and JSON at the gateway, to analysts with a token only', async () => {
    const url = new URL(`/stats/intakes_by_referral_source.csv?year=${YEAR}`, region.gateway.url);
    const csv = await fetch(url, { headers: await bearer(Role.ANALYST) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,municipality_code,dimension,category,measure,value,suppressed,reason');
    expect(lines).toHaveLength(1 + 4 * 5 + 4 + 5 + 1);
    expect(lines[1]).toMatch(new RegExp(`^${YEAR}Q1,ALL,referral_source,POLICE,intakes,[0-9]*,(true|false),(PRIMARY|SECONDARY|TABLE)?$`));

    const json = await fetch(new URL(`/stats/exits_by_outcome.json?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.COORDINATOR) });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { columns: string[]; rows: Record<string, unknown>[]; municipalitiesCovered: string[] };
    expect(body.columns).toEqual(['period', 'municipality_code', 'dimension', 'category', 'measure', 'value', 'suppressed', 'reason']);
    expect(body.rows).toHaveLength(4 * 3 + 4 + 3 + 1);
    expect(body.municipalitiesCovered).toEqual(ALL);

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await fetch(url, { headers: await bearer(Role.CASEWORKER, '0126') })).status).toBe(403);
    expect((await fetch(new URL('/stats/no_such_dataset.csv', region.gateway.url), { headers: await bearer(Role.ANALYST) })).status).toBe(404);
  });

  it('reruns the round without a municipality that is down and says which ones the table covers', async () => {
    await region.shards.get('0128')!.stopServing();
    const result = await ask('intakes_by_referral_source');
    expect(result.errors).toBeUndefined();
    const table = result.data!.statistics;
    const covered = ALL.filter((code) => code !== '0128');
    expect(table.municipalitiesCovered).toEqual(covered);
    expect(table.municipalitiesCovered).toHaveLength(7);
    expect(table.municipalitiesMissing).toEqual(['0128']);
    const truth = regionalTotals('intakes_by_referral_source', covered).flat();
    table.cells.forEach((cell, index) => !cell.suppressed && expect(cell.value).toBe(truth[index]));
  });
});
