import { parse as parseCsv } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { STATISTICS_BLOCKS, STATISTICS_DATASETS, type StatisticsDataset } from '@sodertorn/statistics';
import { todayInStockholm } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { LARGEST_NOISE, publishedCount, testShardRecordKey } from './support/cell-key-by-hand';
import { startFaultyProxy } from './support/faulty-proxy';
import { plainBlocksWithKeys, sumBlocks } from './support/plain-statistics';
import { queryRows } from './support/sql';
import { attack, type AttackedTable } from './support/statistics-attacker';
import { startTestRegion, type TestRegion } from './support/test-region';

/** The demo data (seeded with today = 2026-11-27) has intakes over three years and bookings from September 2026. */
const YEAR = 2026;
const THRESHOLD = 5;
const ALL = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];

const VALUE = 'value suppressed reason';
const STATISTICS = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      dataset measure dimension unit year release municipalitiesCovered municipalitiesMissing threshold
      missingReasons { municipalityCode reason }
      cells { period category ${VALUE} }
      rowTotals { ${VALUE} } columnTotals { ${VALUE} } total { ${VALUE} }
      rows { period municipalityCode dimension category measure unit ${VALUE} }
    }
  }
`;
const RELEASE = /* GraphQL */ `
  mutation Release($year: Int!) {
    releaseStatistics(year: $year)
  }
`;

interface Value {
  value: number | null;
  suppressed: boolean;
  reason: string | null;
}
interface Cell extends Value {
  period: string;
  category: string;
}
interface Row extends Value {
  period: string;
  municipalityCode: string;
  category: string;
}
interface Table {
  dataset: string;
  unit: string;
  release: number;
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  missingReasons: { municipalityCode: string; reason: string }[];
  threshold: number;
  cells: Cell[];
  rowTotals: Value[];
  columnTotals: Value[];
  total: Value;
  rows: Row[];
}

type Blocks = Record<string, number[][]>;
/** One municipality's true blocks and the sums of its records' keys per cell, for one release. */
interface Plain {
  blocks: Blocks;
  keys: Blocks;
}

/** What a table should publish, worked out here from the raw rows and the documented method: cells, quarter totals, year figures, year total. */
interface Expected {
  cells: (number | null)[];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);
const cellsOf = (table: number[][], which: 'cell' | 'row' | 'column' | 'all', i = 0, j = 0) =>
  which === 'cell' ? [table[i]![j]!] : which === 'row' ? table[i]! : which === 'column' ? table.map((r) => r[j]!) : table.flat();

function expectedTable(dataset: StatisticsDataset, parts: readonly Plain[], coarsen: boolean): Expected {
  const block = (name: string, of: 'blocks' | 'keys') => sumBlocks(parts.map((p) => p[of][name]!));
  const width = dataset.categories.length;
  const quarters = [0, 1, 2, 3];
  const columns = dataset.categories.map((_, j) => j);
  if (dataset.kind === 'count') {
    const [counts, keys] = [block(dataset.block, 'blocks'), block(dataset.block, 'keys')];
    const value = (which: 'cell' | 'row' | 'column' | 'all', i = 0, j = 0) =>
      publishedCount(sum(cellsOf(counts, which, i, j)), sum(cellsOf(keys, which, i, j)), THRESHOLD);
    const rowTotals = quarters.map((i) => value('row', i));
    const total = value('all');
    // A municipal table below 4 × threshold (year total, or for active participants every quarter total) is published by year only.
    const coarsened = coarsen && (dataset.yearTotal ? total : Math.max(...rowTotals)) < 4 * THRESHOLD;
    return {
      cells: quarters.flatMap((i) => columns.map((j) => (coarsened ? null : value('cell', i, j)))),
      rowTotals: rowTotals.map((t) => (coarsened && dataset.yearTotal ? null : t)),
      columnTotals: columns.map((j) => (dataset.yearTotal ? value('column', 0, j) : null)),
      total: dataset.yearTotal ? total : null,
    };
  }
  const [numerator, denominator, support, supportKeys] = [
    block(dataset.numerator, 'blocks'),
    block(dataset.denominator, 'blocks'),
    block(dataset.support, 'blocks'),
    block(dataset.support, 'keys'),
  ];
  const factor = 10 ** dataset.decimals;
  const ratio = (which: 'cell' | 'row' | 'column' | 'all', i = 0, j = 0): number | null => {
    if (publishedCount(sum(cellsOf(support, which, i, j)), sum(cellsOf(supportKeys, which, i, j)), THRESHOLD) < THRESHOLD) return null;
    const den = sum(cellsOf(denominator, which, i, j));
    return den > 0 ? Math.round((sum(cellsOf(numerator, which, i, j)) / den) * factor) / factor : null;
  };
  const cells = quarters.flatMap((i) => columns.map((j) => ratio('cell', i, j)));
  // A ratio total over a protected cell is protected.
  const clear = (indices: number[]) => indices.every((k) => cells[k] !== null);
  return {
    cells,
    rowTotals: quarters.map((i) => (clear(columns.map((j) => i * width + j)) ? ratio('row', i) : null)),
    columnTotals: columns.map((j) => (clear(quarters.map((i) => i * width + j)) ? ratio('column', 0, j) : null)),
    total: clear(cells.map((_, k) => k)) ? ratio('all') : null,
  };
}

/** One table's published figures out of the long rows: cells, quarter totals, year figures, year total (null where not published). */
function publishedOf(rows: readonly Row[], code: string, dataset: StatisticsDataset, year: number): Expected {
  const mine = rows.filter((r) => r.municipalityCode === code);
  const at = (period: string, category: string) => mine.find((r) => r.period === period && r.category === category)?.value ?? null;
  return {
    cells: [1, 2, 3, 4].flatMap((q) => dataset.categories.map((c) => at(`${year}Q${q}`, c))),
    rowTotals: [1, 2, 3, 4].map((q) => at(`${year}Q${q}`, 'TOTAL')),
    columnTotals: dataset.categories.map((c) => at(String(year), c)),
    total: at(String(year), 'TOTAL'),
  };
}

const COUNT_DATASETS = STATISTICS_DATASETS.filter((d) => d.kind === 'count');

describe('End to end: joint statistics by secure aggregation and the cell key method', () => {
  let region: TestRegion;
  const proxies: Awaited<ReturnType<typeof startFaultyProxy>>[] = [];
  /** Every statistics answer a shard sent to the regional subgraph, as it went over the wire. */
  const traffic: { code: string; response: string }[] = [];
  /** Per year and release, each municipality's plain blocks and key sums. */
  const plain = new Map<string, Map<string, Plain>>();
  const today = todayInStockholm();

  const readPlain = async (year: number, release: number) => {
    const byCode = new Map<string, Plain>();
    for (const code of ALL)
      byCode.set(code, await plainBlocksWithKeys(region.shards.get(code)!.database.url, year, today, testShardRecordKey(code, year, release)));
    plain.set(`${year}/${release}`, byCode);
    return byCode;
  };
  const partsOf = (year: number, release: number, codes: readonly string[]) => codes.map((code) => plain.get(`${year}/${release}`)!.get(code)!);

  beforeAll(async () => {
    for (const code of ALL) {
      proxies.push(await startFaultyProxy('never', (request, response) => request.includes('statisticsContribution') && traffic.push({ code, response })));
    }
    region = await startTestRegion({
      regionalUrlOverrides: Object.fromEntries(ALL.map((code, i) => [code, proxies[i]!.url])),
      statisticsCoverageLockHours: 0,
    });
    ALL.forEach((code, i) => proxies[i]!.setTarget(region.shards.get(code)!.url));
    await readPlain(YEAR, 1);
    await readPlain(YEAR - 1, 1);
  });
  afterAll(async () => {
    await region.destroy();
    await Promise.all(proxies.map((p) => p.close()));
  });

  const ask = async (dataset: string, year = YEAR, role: Role = Role.ANALYST, municipality?: string) =>
    postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset, year }, await bearer(role, municipality, 'bi-tool'));
  const tables = new Map<string, Table>();

  it.each(STATISTICS_DATASETS.map((d) => [d.name, d] as const))(
    'releases %s: every regional figure is the cell key method’s, recomputed here from the raw rows',
    async (name, dataset) => {
      const result = await ask(name);
      expect(result.errors).toBeUndefined();
      const table = result.data!.statistics;
      tables.set(name, table);
      expect(table.release).toBe(1);
      expect(table.municipalitiesCovered).toEqual(ALL);
      expect(table.municipalitiesMissing).toEqual([]);
      expect(table.threshold).toBe(THRESHOLD);
      expect(table.cells).toHaveLength(4 * dataset.categories.length);
      const expected = expectedTable(dataset, partsOf(YEAR, 1, ALL), false);
      expect(publishedOf(table.rows, 'ALL', dataset, YEAR)).toEqual(expected);
      expect(table.cells.map((c) => c.value)).toEqual(expected.cells);

      const log = await queryRows<{ dataset: string; year: number; release: number; municipalities_covered: string[]; client_sub: string }>(
        region.regional.database.url,
        'select dataset, year, release, municipalities_covered, client_sub from statistics_release where dataset = $1 order by id desc limit 1',
        [name],
      );
      expect(log).toEqual([{ dataset: name, year: YEAR, release: 1, municipalities_covered: ALL, client_sub: 'bi-tool' }]);
    },
  );

  it('publishes no count in 1..threshold−1, and every count within the documented noise of the truth', () => {
    let published = 0;
    for (const dataset of COUNT_DATASETS) {
      if (dataset.kind !== 'count') continue;
      for (const code of ['ALL', ...ALL]) {
        const truth = sumBlocks(partsOf(YEAR, 1, code === 'ALL' ? ALL : [code]).map((p) => p.blocks[dataset.block]!)).flat();
        const shown = publishedOf(tables.get(dataset.name)!.rows, code, dataset, YEAR).cells;
        shown.forEach((value, k) => {
          if (value === null) return;
          published += 1;
          expect(value === 0 || value >= THRESHOLD).toBe(true);
          if (truth[k] === 0) expect(value).toBe(0);
          if (value > 0) expect(Math.abs(value - truth[k]!)).toBeLessThanOrEqual(LARGEST_NOISE);
          else expect(truth[k]).toBeLessThan(THRESHOLD + LARGEST_NOISE);
        });
      }
    }
    expect(published).toBeGreaterThan(100);
  });

  it('has real figures to protect: the demo year has intakes, active participants, placements and bookings', () => {
    const all = partsOf(YEAR, 1, ALL).map((p) => p.blocks);
    for (const block of [
      'intakes.gender',
      'active.gender',
      'exits.exit_outcome',
      'placements_started.unit_kind',
      'placements_ended.unit_kind',
      'place_days_booked.unit_kind',
    ]) {
      expect(
        sumBlocks(all.map((b) => b[block]!))
          .flat()
          .reduce((a, b) => a + b, 0),
      ).toBeGreaterThan(0);
    }
  });

  it.each(COUNT_DATASETS.map((d) => [d.name, d] as const))(
    'releases %s per municipality as each shard perturbed and coarsened it, recomputed here',
    async (name, dataset) => {
      const table = tables.get(name) ?? (await ask(name)).data!.statistics;
      for (const code of ALL) {
        expect(publishedOf(table.rows, code, dataset, YEAR)).toEqual(expectedTable(dataset, partsOf(YEAR, 1, [code]), true));
        const withheld = table.rows.filter((r) => r.municipalityCode === code && r.value === null);
        expect(withheld.every((r) => r.suppressed && r.reason === 'COARSENED')).toBe(true);
      }
    },
  );

  it('never receives a municipality’s plain vector, nor a small count in a municipal table: checked on the wire', async () => {
    const contributions = traffic.map(({ code, response }) => ({
      code,
      answer: JSON.parse(response) as { data?: { statisticsContribution?: { maskedCells: number[]; tables: { cells: Value[] }[] } } },
    }));
    const answered = contributions.filter((c) => c.answer.data?.statisticsContribution);
    // One round for the year: every dataset comes from it.
    expect(answered.length).toBe(ALL.length);
    const plainVectors = ALL.map((code) => STATISTICS_BLOCKS.flatMap((b) => plain.get(`${YEAR}/1`)!.get(code)!.blocks[b.name]!.flat()));
    for (const { answer } of answered) {
      const { maskedCells, tables: own } = answer.data!.statisticsContribution!;
      for (const p of plainVectors) expect(maskedCells.slice(0, p.length)).not.toEqual(p);
      // Masked cells are uniform over [0, 2^32): counts this small would be a giveaway.
      expect(maskedCells.filter((v) => v < 1_000_000).length).toBeLessThan(maskedCells.length / 10);
      expect(own).toHaveLength(COUNT_DATASETS.length);
      for (const cell of own.flatMap((t) => t.cells)) if (!cell.suppressed) expect(cell.value === 0 || cell.value! >= THRESHOLD).toBe(true);
    }
  });

  it('gives a municipality’s analyst its own table, perturbed in the shard with the first release’s keys', async () => {
    const result = await postGraphQL<{
      ownStatistics: { municipalityCode: string; threshold: number; cells: Cell[]; rowTotals: Value[]; columnTotals: Value[]; total: Value };
    }>(
      region.gateway.url,
      `query Own($year: Int!) { ownStatistics(dataset: "active_by_gender", year: $year) { municipalityCode threshold cells { period category ${VALUE} } rowTotals { ${VALUE} } columnTotals { ${VALUE} } total { ${VALUE} } } }`,
      { year: YEAR },
      await bearer(Role.ANALYST, '0126'),
    );
    expect(result.errors).toBeUndefined();
    const own = result.data!.ownStatistics;
    expect(own.municipalityCode).toBe('0126');
    const expected = expectedTable(
      STATISTICS_DATASETS.find((d) => d.name === 'active_by_gender')!,
      partsOf(YEAR, 1, ['0126']),
      true,
    );
    expect({
      cells: own.cells.map((c) => c.value),
      rowTotals: own.rowTotals.map((t) => t.value),
      columnTotals: own.columnTotals.map((t) => t.value),
      total: own.total.value,
    }).toEqual(expected);
  });

  it('refuses statistics to a caseworker, and round contributions to everyone but the region’s service, through the gateway and straight at a shard', async () => {
    const regional = await ask('intakes_by_referral_source', YEAR, Role.CASEWORKER, '0126');
    expect(regional.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const probe = `query { statisticsContribution(round: "probe", participants: ["0126", "0127"], year: ${YEAR}, release: 1) { maskedCells } }`;
    for (const role of [Role.CASEWORKER, Role.ANALYST, Role.COORDINATOR, Role.HOUSING_MANAGER]) {
      for (const url of [region.gateway.url, region.shards.get('0126')!.url]) {
        const result = await postGraphQL<{ statisticsContribution: unknown }>(url, probe, {}, await bearer(role, '0126'));
        expect(result.data?.statisticsContribution ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    // Even the region's service gets no round of two: each of the two could subtract its own vector from the total.
    const pair = await postGraphQL<{ statisticsContribution: unknown }>(region.shards.get('0126')!.url, probe, {}, await bearer(Role.SERVICE));
    expect(pair.data?.statisticsContribution ?? null).toBeNull();
    expect(pair.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(pair.errors?.[0]?.extensions?.fields).toEqual([
      expect.objectContaining({ field: 'participants', message: expect.stringMatching(/^must be at least 3/) }),
    ]);
    // Nor a fifth release of a year: each release draws new noise, and many could be averaged.
    const fifth = await postGraphQL<{ statisticsContribution: unknown }>(
      region.shards.get('0126')!.url,
      `query { statisticsContribution(round: "probe", participants: ["0126", "0127", "0128"], year: ${YEAR}, release: 5) { maskedCells } }`,
      {},
      await bearer(Role.SERVICE),
    );
    expect(fifth.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(fifth.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'release', message: expect.stringMatching(/^must be 1–4/) })]);
    const own = await postGraphQL(
      region.gateway.url,
      `query { ownStatistics(dataset: "exits_by_outcome", year: ${YEAR}) { year } }`,
      {},
      await bearer(Role.CASEWORKER, '0126'),
    );
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherAnalyst = await postGraphQL(
      region.shards.get('0126')!.url,
      `query { ownStatistics(dataset: "exits_by_outcome", year: ${YEAR}) { year } }`,
      {},
      await bearer(Role.ANALYST, '0127'),
    );
    expect(otherAnalyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const release = await postGraphQL(region.gateway.url, RELEASE, { year: YEAR }, await bearer(Role.ANALYST));
    expect(release.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('serves each dataset as CSV and JSON at the gateway, regional and per municipality, to analysts with a token only', async () => {
    const url = new URL(`/stats/intakes_by_referral_source.csv?year=${YEAR}`, region.gateway.url);
    const csv = await fetch(url, { headers: await bearer(Role.ANALYST) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,municipality_code,dimension,category,measure,value,suppressed,reason,unit,period_start,period_end,is_total');
    // Per table: 20 cells, 4 quarter totals, 5 category totals and the year total; the region and eight municipalities.
    expect(lines).toHaveLength(1 + 9 * (4 * 5 + 4 + 5 + 1));
    expect(lines[1]).toMatch(new RegExp(`^${YEAR}Q1,ALL,referral_source,POLICE,intakes,[0-9]+,false,,people,${YEAR}-01-01,${YEAR}-03-31,false$`));
    expect(lines.filter((l) => l.includes(',0136,'))).toHaveLength(4 * 5 + 4 + 5 + 1);

    const json = await fetch(new URL(`/stats/occupancy_by_unit_kind.json?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.COORDINATOR) });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { columns: string[]; rows: Record<string, unknown>[]; municipalitiesCovered: string[]; release: number };
    expect(body.columns).toEqual([
      ...['period', 'municipality_code', 'dimension', 'category', 'measure', 'value', 'suppressed', 'reason', 'unit'],
      ...['period_start', 'period_end', 'is_total'],
    ]);
    // A ratio dataset is regional only.
    expect(body.rows).toHaveLength(4 * 4 + 4 + 4 + 1);
    expect(body.rows.every((r) => r.municipality_code === 'ALL' && r.unit === 'share')).toBe(true);
    expect(body.municipalitiesCovered).toEqual(ALL);
    expect(body.release).toBe(1);

    // Several years in one file, for a BI tool that wants the history: the period says which.
    const span = await fetch(new URL(`/stats/exits_by_outcome.json?year=${YEAR - 1}-${YEAR}`, region.gateway.url), { headers: await bearer(Role.ANALYST) });
    expect(span.status).toBe(200);
    const both = (await span.json()) as { years: { year: number; municipalitiesCovered: string[] }[]; rows: { period: string }[]; year?: number };
    expect(both.years.map((y) => y.year)).toEqual([YEAR - 1, YEAR]);
    expect(both.year).toBeUndefined();
    expect(new Set(both.rows.map((r) => r.period.slice(0, 4)))).toEqual(new Set([String(YEAR - 1), String(YEAR)]));
    expect(
      (await fetch(new URL(`/stats/exits_by_outcome.csv?year=${YEAR}-${YEAR - 1}`, region.gateway.url), { headers: await bearer(Role.ANALYST) })).status,
    ).toBe(400);

    const index = await fetch(new URL('/stats', region.gateway.url), { headers: await bearer(Role.ANALYST) });
    const datasets = ((await index.json()) as { datasets: { name: string; csv: string }[] }).datasets;
    expect(datasets.map((d) => d.name)).toEqual(STATISTICS_DATASETS.map((d) => d.name));
    expect(datasets[0]!.csv).toBe(`/stats/${STATISTICS_DATASETS[0]!.name}.csv`);

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await fetch(url, { headers: await bearer(Role.CASEWORKER, '0126') })).status).toBe(403);
    expect((await fetch(new URL('/stats', region.gateway.url), { headers: await bearer(Role.CASEWORKER, '0126') })).status).toBe(403);
    expect((await fetch(new URL('/stats/no_such_dataset.csv', region.gateway.url), { headers: await bearer(Role.ANALYST) })).status).toBe(404);
  });

  it('serves the Swedish Excel variant (semicolons, decimal comma, UTF-8 with BOM) with the same values as the JSON, read back by a CSV parser', async () => {
    for (const dataset of ['occupancy_by_unit_kind', 'intakes_by_referral_source']) {
      const headers = await bearer(Role.ANALYST);
      const answer = await fetch(new URL(`/stats/${dataset}.csv?year=${YEAR}&locale=sv`, region.gateway.url), { headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="${dataset}-${YEAR}-sv.csv"`);
      const bytes = Buffer.from(await answer.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records = parseCsv(bytes, { bom: true, delimiter: ';', columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
      const json = (await (await fetch(new URL(`/stats/${dataset}.json?year=${YEAR}`, region.gateway.url), { headers })).json()) as {
        rows: Record<string, string | number | boolean | null>[];
      };
      expect(records).toHaveLength(json.rows.length);
      records.forEach((record, i) => {
        const row = json.rows[i]!;
        // Swedish decimals: a comma, never a point.
        expect(record.value).not.toContain('.');
        expect(record.value === '' ? null : Number(record.value!.replace(',', '.'))).toBe(row.value);
        expect(record).toMatchObject({
          period: row.period,
          municipality_code: row.municipality_code,
          category: row.category,
          suppressed: String(row.suppressed),
        });
        expect(record).toMatchObject({ period_start: row.period_start, period_end: row.period_end, is_total: String(row.is_total) });
      });
      if (dataset === 'occupancy_by_unit_kind') expect(records.some((r) => /^0,[0-9]+$/.test(r.value!))).toBe(true);
      // The periods as dates, and the totals marked (written out here, not taken from the code).
      expect(records.find((r) => r.period === `${YEAR}Q3`)).toMatchObject({ period_start: `${YEAR}-07-01`, period_end: `${YEAR}-09-30`, is_total: 'false' });
      expect(records.find((r) => r.period === `${YEAR}Q4` && r.category === 'TOTAL')).toMatchObject({ period_end: `${YEAR}-12-31`, is_total: 'true' });
      expect(records.filter((r) => r.period === String(YEAR)).every((r) => r.is_total === 'true' && r.period_start === `${YEAR}-01-01`)).toBe(true);
    }
    const unknown = await fetch(new URL(`/stats/exits_by_outcome.csv?year=${YEAR}&locale=de`, region.gateway.url), { headers: await bearer(Role.ANALYST) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]).toMatchObject({
      extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'locale', message: expect.stringMatching(/^must be sv/) }] },
    });
  });

  it('serves an Excel workbook with typed cells (numbers, dates, text kommunkoder) holding the JSON export’s values, read back by an XLSX reader', async () => {
    const headers = await bearer(Role.ANALYST);
    for (const dataset of ['occupancy_by_unit_kind', 'intakes_by_referral_source']) {
      const answer = await fetch(new URL(`/stats/${dataset}.xlsx?year=${YEAR}`, region.gateway.url), { headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="${dataset}-${YEAR}.xlsx"`);
      const sheets = await readXlsxFile(Buffer.from(await answer.arrayBuffer()));
      expect(sheets.map((s) => s.sheet)).toEqual(['data', 'about']);
      const json = (await (await fetch(new URL(`/stats/${dataset}.json?year=${YEAR}`, region.gateway.url), { headers })).json()) as {
        columns: string[];
        release: number;
        municipalitiesCovered: string[];
        rows: Record<string, string | number | boolean | null>[];
      };
      const [header, ...rows] = sheets[0]!.data;
      expect(header).toEqual(json.columns);
      expect(rows).toHaveLength(json.rows.length);
      rows.forEach((row, i) => {
        const expected = json.rows[i]!;
        const cell = (column: string) => row[json.columns.indexOf(column)];
        // A number is a number (no decimal separator to misread), a withheld value an empty cell, never 0.
        expect(cell('value') ?? null).toBe(expected.value);
        expect(cell('suppressed')).toBe(expected.suppressed);
        expect(cell('is_total')).toBe(expected.is_total);
        // Text stays text: Huddinge is 0126, not 126; the year's period 2026 is not a number.
        expect([cell('municipality_code'), cell('period'), cell('category')]).toEqual([expected.municipality_code, expected.period, expected.category]);
        // Dates are dates.
        expect([cell('period_start'), cell('period_end')].map((d) => (d as unknown as Date).toISOString().slice(0, 10))).toEqual([
          expected.period_start,
          expected.period_end,
        ]);
      });
      // Intakes are published per municipality too (occupancy for the region only).
      if (dataset === 'intakes_by_referral_source') expect(rows.some((row) => row[json.columns.indexOf('municipality_code')] === '0126')).toBe(true);
      const [aboutHeader, aboutRow] = sheets[1]!.data;
      expect(aboutHeader).toEqual(['year', 'release', 'released_at', 'threshold', 'municipalities_covered', 'municipalities_missing']);
      expect([aboutRow![0], aboutRow![1], aboutRow![4]]).toEqual([YEAR, json.release, json.municipalitiesCovered.join(',')]);
    }
    const withLocale = await fetch(new URL(`/stats/exits_by_outcome.xlsx?year=${YEAR}&locale=sv`, region.gateway.url), { headers });
    expect(withLocale.status).toBe(400);
    expect(((await withLocale.json()) as { errors: { extensions: { fields: { field: string }[] } }[] }).errors[0]!.extensions.fields[0]!.field).toBe('locale');
  });

  it('shows the release log to the region’s coordinators, and to no one else', async () => {
    const query = `query { statisticsReleases(clientSub: "bi-tool", limit: 1000) { dataset year release municipalitiesCovered clientSub requestId releasedAt } }`;
    const result = await postGraphQL<{
      statisticsReleases: { dataset: string; year: number; release: number; municipalitiesCovered: string[]; clientSub: string; requestId: string }[];
    }>(region.gateway.url, query, {}, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    const log = result.data!.statisticsReleases;
    expect(new Set(log.map((e) => e.dataset))).toEqual(new Set(STATISTICS_DATASETS.map((d) => d.name)));
    expect(log.every((e) => e.clientSub === 'bi-tool' && e.year === YEAR && e.release === 1 && e.requestId.length > 0)).toBe(true);
    for (const role of [Role.ANALYST, Role.CASEWORKER]) {
      const refused = await postGraphQL(region.gateway.url, query, {}, await bearer(role, role === Role.CASEWORKER ? '0126' : undefined));
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  /** Every count table of both years as the attacker reads them, from the released rows. */
  const attackedTables = async (year: number, release: number): Promise<AttackedTable[]> => {
    const out: AttackedTable[] = [];
    for (const dataset of COUNT_DATASETS) {
      const table = year === YEAR && release === 1 && tables.has(dataset.name) ? tables.get(dataset.name)! : (await ask(dataset.name, year)).data!.statistics;
      expect(table.release).toBe(release);
      for (const code of ['ALL', ...ALL]) {
        const p = publishedOf(table.rows, code, dataset, year);
        const width = dataset.categories.length;
        out.push({
          release,
          municipalityCode: code,
          dataset: dataset.name,
          year,
          cells: [0, 1, 2, 3].map((i) => p.cells.slice(i * width, (i + 1) * width)),
          rowTotals: p.rowTotals,
          columnTotals: p.columnTotals,
          total: p.total,
        });
      }
    }
    return out;
  };
  const lastQuarter = {
    year: Math.min(Number(today.slice(0, 4)), YEAR),
    quarter: Number(today.slice(0, 4)) > YEAR ? 4 : Math.ceil(Number(today.slice(5, 7)) / 3),
  };
  const truthOf = (release: number, code: string, block: string, year: number) =>
    sumBlocks(partsOf(year, year === YEAR ? release : 1, code === 'ALL' ? ALL : [code]).map((p) => p.blocks[block]!));

  it('withstands issue #20’s attacker on the demo data: an insider who links every table of two years pins no small count of the others', async () => {
    const result = await attack({
      tables: [...(await attackedTables(YEAR - 1, 1)), ...(await attackedTables(YEAR, 1))],
      municipalities: ALL,
      threshold: THRESHOLD,
      lastQuarter,
      truth: truthOf,
      insider: '0127',
    });
    expect(result.checked).toBeGreaterThan(100);
    expect(result.disclosed).toEqual([]);
  });

  it('answers every later request with the stored release, even after new data, and a new release only when a coordinator makes one; the two releases give the newcomer away to no attacker', async () => {
    const before = await ask('intakes_by_gender');
    const caseworker = await bearer(Role.CASEWORKER, '0136');
    const registered = await postGraphQL<{ registerParticipant: { id: string } }>(
      region.gateway.url,
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          firstName: 'Testa',
          lastName: 'Exempelsson',
          personalIdentityNumber: '19950312-9810',
          birthDate: '1995-03-12',
          gender: 'FEMALE',
          householdAdults: 1,
          householdChildren: 0,
          referralSource: 'SOCIAL_SERVICES',
          riskLevel: 'MEDIUM',
          excludedMunicipalities: ['0180'],
          intakeDate: `${YEAR}-11-20`,
          responsibleCaseworker: 'caseworker-0136-1',
        },
      },
      caseworker,
    );
    expect(registered.errors).toBeUndefined();
    // Stable: the same numbers as before the intake.
    const again = await ask('intakes_by_gender');
    expect(again.data!.statistics.release).toBe(1);
    expect(again.data!.statistics.rows).toEqual(before.data!.statistics.rows);

    const made = await postGraphQL<{ releaseStatistics: number }>(region.gateway.url, RELEASE, { year: YEAR }, await bearer(Role.COORDINATOR));
    expect(made.errors).toBeUndefined();
    expect(made.data!.releaseStatistics).toBe(2);
    await readPlain(YEAR, 2);
    const second = await ask('intakes_by_gender');
    expect(second.data!.statistics.release).toBe(2);
    const dataset = STATISTICS_DATASETS.find((d) => d.name === 'intakes_by_gender')!;
    expect(publishedOf(second.data!.statistics.rows, 'ALL', dataset, YEAR)).toEqual(expectedTable(dataset, partsOf(YEAR, 2, ALL), false));
    expect(publishedOf(second.data!.statistics.rows, '0136', dataset, YEAR)).toEqual(expectedTable(dataset, partsOf(YEAR, 2, ['0136']), true));

    const result = await attack({
      tables: [...(await attackedTables(YEAR, 1)), ...(await attackedTables(YEAR, 2))],
      municipalities: ALL,
      threshold: THRESHOLD,
      lastQuarter,
      truth: truthOf,
      newIntake: { municipalityCode: '0136', year: YEAR, quarter: 4, gender: 'FEMALE', ageBand: '31_40', referralSource: 'SOCIAL_SERVICES' },
    });
    expect(result.inferred).toEqual([]);
    expect(result.disclosed).toEqual([]);
  });

  it('answers the stored release while a municipality is down, and makes a new release without it, saying which ones it covers', async () => {
    proxies[ALL.indexOf('0128')]!.setMode('down');
    try {
      const stored = await ask('exits_by_outcome');
      expect(stored.errors).toBeUndefined();
      expect(stored.data!.statistics.municipalitiesCovered).toEqual(ALL);
      const made = await postGraphQL<{ releaseStatistics: number }>(region.gateway.url, RELEASE, { year: YEAR }, await bearer(Role.COORDINATOR));
      expect(made.errors).toBeUndefined();
      const table = (await ask('exits_by_outcome')).data!.statistics;
      const covered = ALL.filter((code) => code !== '0128');
      expect(table.release).toBe(3);
      expect(table.municipalitiesCovered).toEqual(covered);
      expect(table.municipalitiesMissing).toEqual(['0128']);
      expect(table.missingReasons[0]!.reason).toMatch(/0128 is unavailable/);
      expect(table.rows.some((r) => r.municipalityCode === '0128')).toBe(false);
      await readPlain(YEAR, 3);
      const dataset = STATISTICS_DATASETS.find((d) => d.name === 'exits_by_outcome')!;
      expect(publishedOf(table.rows, 'ALL', dataset, YEAR)).toEqual(expectedTable(dataset, partsOf(YEAR, 3, covered), false));
    } finally {
      proxies[ALL.indexOf('0128')]!.setMode('pass');
    }
  });
});

describe('End to end: the coverage lock keeps totals over different municipalities from being subtracted', () => {
  let region: TestRegion;
  const proxies: Awaited<ReturnType<typeof startFaultyProxy>>[] = [];

  beforeAll(async () => {
    for (let i = 0; i < ALL.length; i++) proxies.push(await startFaultyProxy('never'));
    region = await startTestRegion({ regionalUrlOverrides: Object.fromEntries(ALL.map((code, i) => [code, proxies[i]!.url])) });
    ALL.forEach((code, i) => proxies[i]!.setTarget(region.shards.get(code)!.url));
  });
  afterAll(async () => {
    await region.destroy();
    await Promise.all(proxies.map((p) => p.close()));
  });

  const ask = async () =>
    postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset: 'exits_by_outcome', year: YEAR }, await bearer(Role.ANALYST));
  const release = async () => postGraphQL<{ releaseStatistics: number }>(region.gateway.url, RELEASE, { year: YEAR }, await bearer(Role.COORDINATOR));
  const proxy = (code: string) => proxies[ALL.indexOf(code)]!;

  it('covers seven while one is down, stays with those seven in a new release after it is back, and refuses a release over a third set', async () => {
    proxy('0128').setMode('down');
    const whileDown = await ask();
    expect(whileDown.errors).toBeUndefined();
    const seven = ALL.filter((code) => code !== '0128');
    expect(whileDown.data!.statistics.municipalitiesCovered).toEqual(seven);

    proxy('0128').setMode('pass');
    expect((await release()).data?.releaseStatistics).toBe(2);
    const afterwards = await ask();
    expect(afterwards.errors).toBeUndefined();
    expect(afterwards.data!.statistics.release).toBe(2);
    // All eight now would let the region subtract the seven and learn 0128's own figures.
    expect(afterwards.data!.statistics.municipalitiesCovered).toEqual(seven);
    expect(afterwards.data!.statistics.missingReasons).toEqual([
      { municipalityCode: '0128', reason: expect.stringMatching(/^left out until .*an earlier round of 2026 covered other municipalities$/) },
    ]);

    proxy('0127').setMode('down');
    try {
      const refused = await release();
      expect(refused.data?.releaseStatistics ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('STATISTICS_UNAVAILABLE');
      expect(refused.errors?.[0]?.message).toMatch(/could be subtracted.*0127 cannot take part now/);
      // The stored release still answers.
      const csv = await fetch(new URL(`/stats/exits_by_outcome.csv?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.ANALYST) });
      expect(csv.status).toBe(200);
      expect((await ask()).data!.statistics.release).toBe(2);
    } finally {
      proxy('0127').setMode('pass');
    }
    // Every shard that took part only ever did so over the same seven.
    for (const code of seven) {
      const sets = await queryRows<{ participants: string[] }>(
        region.shards.get(code)!.database.url,
        'select distinct participants from statistics_participation where year = $1',
        [YEAR],
      );
      expect(sets).toEqual([{ participants: seven }]);
    }
  });
});
