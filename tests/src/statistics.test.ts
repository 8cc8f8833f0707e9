import { jointFeasibleRange, MIN_RANGE, RANGE_TOLERANCE, STATISTICS_BLOCKS, STATISTICS_DATASETS, type StatisticsDataset } from '@sodertorn/statistics';
import { todayInStockholm } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { startFaultyProxy } from './support/faulty-proxy';
import { plainBlocks, sumBlocks } from './support/plain-statistics';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

/** The demo data (seeded with today = 2026-11-27) has intakes over three years and bookings from September 2026. */
const YEAR = 2026;
const THRESHOLD = 5;
const ALL = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const SUPPRESSING = ['PRIMARY', 'SECONDARY', 'DIFFERENCING', 'TABLE'];

const VALUE = 'value suppressed reason';
const STATISTICS = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      dataset measure dimension unit year municipalitiesCovered municipalitiesMissing threshold
      missingReasons { municipalityCode reason }
      cells { period category ${VALUE} }
      rowTotals { ${VALUE} } columnTotals { ${VALUE} } total { ${VALUE} }
      rows { period municipalityCode dimension category measure unit ${VALUE} }
    }
  }
`;

interface Value { value: number | null; suppressed: boolean; reason: string | null }
interface Cell extends Value { period: string; category: string }
interface Row extends Value { period: string; municipalityCode: string; category: string }
interface Table {
  dataset: string;
  unit: string;
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

/** The true table of a dataset over some municipalities' plain blocks: counts, or the ratio with its support. */
function truthOf(dataset: StatisticsDataset, blocks: readonly Blocks[]): { value: (i: number, j: number) => number | null; support: (i: number, j: number) => number } {
  const sum = (block: string) => sumBlocks(blocks.map((b) => b[block]!));
  if (dataset.kind === 'count') {
    const table = sum(dataset.block);
    return { value: (i, j) => table[i]![j]!, support: (i, j) => table[i]![j]! };
  }
  const [numerator, denominator, support] = [sum(dataset.numerator), sum(dataset.denominator), sum(dataset.support)];
  const factor = 10 ** dataset.decimals;
  return {
    value: (i, j) => (denominator[i]![j]! > 0 ? Math.round((numerator[i]![j]! / denominator[i]![j]!) * factor) / factor : null),
    support: (i, j) => support[i]![j]!,
  };
}

/** The plain vector of one municipality in the shared layout (blocks in order, quarter-major). */
const plainVector = (blocks: Blocks) => STATISTICS_BLOCKS.flatMap((b) => blocks[b.name]!.flat());

const COUNT_DATASETS = STATISTICS_DATASETS.filter((d) => d.kind === 'count');

describe('End to end: joint statistics by secure aggregation and disclosure control', () => {
  let region: TestRegion;
  const proxies: Awaited<ReturnType<typeof startFaultyProxy>>[] = [];
  /** Every statistics answer a shard sent to the regional subgraph, as it went over the wire. */
  const traffic: { code: string; response: string }[] = [];
  const plain = new Map<string, Blocks>();

  beforeAll(async () => {
    for (const code of ALL) {
      proxies.push(await startFaultyProxy('never', (request, response) => request.includes('statisticsContribution') && traffic.push({ code, response })));
    }
    region = await startTestRegion({
      regionalUrlOverrides: Object.fromEntries(ALL.map((code, i) => [code, proxies[i]!.url])),
      statisticsCoverageLockHours: 0,
    });
    ALL.forEach((code, i) => proxies[i]!.setTarget(region.shards.get(code)!.url));
    const today = todayInStockholm();
    for (const code of ALL) plain.set(code, await plainBlocks(region.shards.get(code)!.database.url, YEAR, today));
  });
  afterAll(async () => {
    await region.destroy();
    await Promise.all(proxies.map((p) => p.close()));
  });

  const ask = async (dataset: string, role: Role = Role.ANALYST, municipality?: string) =>
    postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset, year: YEAR }, await bearer(role, municipality, 'bi-tool'));
  const blocksOf = (codes: readonly string[]) => codes.map((code) => plain.get(code)!);
  const tables = new Map<string, Table>();

  it.each(STATISTICS_DATASETS.map((d) => [d.name, d] as const))('releases %s: every published regional figure equals the truth over the eight databases', async (name, dataset) => {
    const result = await ask(name);
    expect(result.errors).toBeUndefined();
    const table = result.data!.statistics;
    tables.set(name, table);
    expect(table.municipalitiesCovered).toEqual(ALL);
    expect(table.municipalitiesMissing).toEqual([]);
    expect(table.threshold).toBe(THRESHOLD);
    const truth = truthOf(dataset, blocksOf(ALL));
    const width = dataset.categories.length;
    expect(table.cells).toHaveLength(4 * width);
    table.cells.forEach((cell, index) => {
      const [i, j] = [Math.floor(index / width), index % width];
      const support = truth.support(i, j);
      if (cell.suppressed) expect(cell.value).toBeNull();
      else expect(cell.value).toBe(truth.value(i, j));
      // A small count, or a ratio over few people, is never published.
      if (support > 0 && support < THRESHOLD) expect(['PRIMARY', 'TABLE']).toContain(cell.reason);
      if (cell.suppressed) expect(SUPPRESSING).toContain(cell.reason);
    });
    if (dataset.kind === 'count') {
      const table2 = sumBlocks(blocksOf(ALL).map((b) => b[dataset.block]!));
      // Totals are published unless the whole table is withheld (TABLE).
      const withheld = table.rowTotals.some((t) => t.reason === 'TABLE');
      table.rowTotals.forEach((t, i) => expect(t.value).toBe(withheld ? null : table2[i]!.reduce((a, b) => a + b, 0)));
      if (dataset.yearTotal) table.columnTotals.forEach((t, j) => expect(t.value).toBe(withheld ? null : table2.reduce((a, row) => a + row[j]!, 0)));
      else expect(table.columnTotals.every((t) => t.reason === 'NOT_ADDITIVE' && !t.suppressed)).toBe(true);
    }

    const log = await queryRows<{ dataset: string; year: number; municipalities_covered: string[]; client_sub: string }>(
      region.regional.database.url,
      'select dataset, year, municipalities_covered, client_sub from statistics_release where dataset = $1 order by id desc limit 1',
      [name],
    );
    expect(log).toEqual([{ dataset: name, year: YEAR, municipalities_covered: ALL, client_sub: 'bi-tool' }]);
  });

  it('has real figures to protect: the demo year has intakes, active participants, placements and bookings', () => {
    const all = blocksOf(ALL);
    for (const block of ['intakes.gender', 'active.gender', 'exits.exit_outcome', 'placements_started.unit_kind', 'placements_ended.unit_kind', 'place_days_booked.unit_kind']) {
      expect(sumBlocks(all.map((b) => b[block]!)).flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
  });

  it.each(COUNT_DATASETS.map((d) => [d.name, d] as const))('releases %s per municipality as each shard protected it', async (name, dataset) => {
    const table = tables.get(name) ?? (await ask(name)).data!.statistics;
    if (dataset.kind !== 'count') throw new Error('count datasets only');
    for (const code of ALL) {
      const own = plain.get(code)![dataset.block]!;
      const cells = table.rows.filter((r) => r.municipalityCode === code && /Q[1-4]$/.test(r.period) && r.category !== 'TOTAL');
      expect(cells).toHaveLength(4 * dataset.categories.length);
      cells.forEach((cell, index) => {
        const value = own[Math.floor(index / dataset.categories.length)]![index % dataset.categories.length]!;
        if (value > 0 && value < THRESHOLD) expect(cell.suppressed).toBe(true);
        if (!cell.suppressed) expect(cell.value).toBe(value);
      });
    }
  });

  it.each(COUNT_DATASETS.map((d) => [d.name, d] as const))('%s: no suppressed cell, regional or municipal, can be worked out from everything published together', async (name, dataset) => {
    const table = tables.get(name) ?? (await ask(name)).data!.statistics;
    const width = dataset.categories.length;
    const published = (code: string) => {
      const rows = table.rows.filter((r) => r.municipalityCode === code);
      const cells = rows.filter((r) => /Q[1-4]$/.test(r.period) && r.category !== 'TOTAL');
      const total = (period: string, category: string) => rows.find((r) => r.period === period && r.category === category)?.value ?? null;
      return {
        municipalityCode: code,
        cells: [0, 1, 2, 3].map((i) => cells.slice(i * width, (i + 1) * width).map((c) => c.value)),
        rowTotals: [1, 2, 3, 4].map((q) => total(`${YEAR}Q${q}`, 'TOTAL')),
        columnTotals: dataset.categories.map((category) => total(String(YEAR), category)),
      };
    };
    const regional = published('ALL');
    const municipal = ALL.map(published);
    // The simplest attack first: a published regional cell over exactly one hidden municipal cell is that cell.
    regional.cells.forEach((row, i) => row.forEach((value, j) => value !== null && expect(municipal.filter((m) => m.cells[i]![j] === null).length).not.toBe(1)));
    // Then every suppressed cell against the whole publication, as a linear programme.
    const suppressed = [
      ...regional.cells.flatMap((row, i) => row.flatMap((v, j) => (v === null ? [{ table: 'regional' as const, row: i, column: j }] : []))),
      ...municipal.flatMap((m, k) => m.cells.flatMap((row, i) => row.flatMap((v, j) => (v === null ? [{ table: k, row: i, column: j }] : [])))),
    ];
    for (const cell of suppressed) {
      const range = await jointFeasibleRange(regional, municipal, cell);
      expect(range.max - range.min).toBeGreaterThanOrEqual(MIN_RANGE - RANGE_TOLERANCE);
    }
  });

  it('never receives a municipality’s plain vector, nor a small count in a municipal table: checked on the wire', async () => {
    const contributions = traffic.map(({ code, response }) => ({ code, answer: JSON.parse(response) as { data?: { statisticsContribution?: { maskedCells: number[]; table: { cells: Value[] } | null } } } }));
    const answered = contributions.filter((c) => c.answer.data?.statisticsContribution);
    expect(answered.length).toBeGreaterThanOrEqual(STATISTICS_DATASETS.length * ALL.length);
    const plainVectors = ALL.map((code) => plainVector(plain.get(code)!));
    for (const { answer } of answered) {
      const { maskedCells, table } = answer.data!.statisticsContribution!;
      for (const p of plainVectors) expect(maskedCells).not.toEqual(p);
      // Masked cells are uniform over [0, 2^32): counts this small would be a giveaway.
      expect(maskedCells.filter((v) => v < 1_000_000).length).toBeLessThan(maskedCells.length / 10);
      for (const cell of table?.cells ?? []) if (!cell.suppressed) expect(cell.value === 0 || cell.value! >= THRESHOLD).toBe(true);
    }
    // Count datasets came with each municipality's own table, so the check above had tables to look at.
    expect(answered.filter((c) => c.answer.data!.statisticsContribution!.table !== null).length).toBeGreaterThanOrEqual(ALL.length);
  });

  it('gives a municipality’s analyst its own table, protected in the shard', async () => {
    const result = await postGraphQL<{ ownStatistics: { municipalityCode: string; threshold: number; cells: Cell[] } }>(
      region.gateway.url,
      `query Own($year: Int!) { ownStatistics(dataset: "intakes_by_age_band", year: $year) { municipalityCode threshold cells { period category ${VALUE} } } }`,
      { year: YEAR },
      await bearer(Role.ANALYST, '0126'),
    );
    expect(result.errors).toBeUndefined();
    const own = result.data!.ownStatistics;
    expect(own.municipalityCode).toBe('0126');
    const truth = plain.get('0126')!['intakes.age_band']!.flat();
    expect(own.cells).toHaveLength(truth.length);
    own.cells.forEach((cell, index) => {
      if (cell.suppressed) expect(cell.value).toBeNull();
      else expect(cell.value).toBe(truth[index]);
      if (truth[index]! > 0 && truth[index]! < THRESHOLD) expect(cell.suppressed).toBe(true);
    });
  });

  it('refuses statistics to a caseworker, and round contributions to everyone but the region’s service, through the gateway and straight at a shard', async () => {
    const regional = await ask('intakes_by_referral_source', Role.CASEWORKER, '0126');
    expect(regional.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const probe = `query { statisticsContribution(round: "probe", participants: ["0126", "0127"], year: ${YEAR}) { maskedCells } }`;
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
    expect(pair.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(pair.errors?.[0]?.message).toMatch(/at least 3 participants/);
    const own = await postGraphQL(region.gateway.url, `query { ownStatistics(dataset: "exits_by_outcome", year: ${YEAR}) { year } }`, {}, await bearer(Role.CASEWORKER, '0126'));
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherAnalyst = await postGraphQL(region.shards.get('0126')!.url, `query { ownStatistics(dataset: "exits_by_outcome", year: ${YEAR}) { year } }`, {}, await bearer(Role.ANALYST, '0127'));
    expect(otherAnalyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('serves each dataset as CSV and JSON at the gateway, regional and per municipality, to analysts with a token only', async () => {
    const url = new URL(`/stats/intakes_by_referral_source.csv?year=${YEAR}`, region.gateway.url);
    const csv = await fetch(url, { headers: await bearer(Role.ANALYST) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,municipality_code,dimension,category,measure,value,suppressed,reason,unit');
    // Per table: 20 cells, 4 quarter totals, 5 category totals and the year total; the region and eight municipalities.
    expect(lines).toHaveLength(1 + 9 * (4 * 5 + 4 + 5 + 1));
    expect(lines[1]).toMatch(new RegExp(`^${YEAR}Q1,ALL,referral_source,POLICE,intakes,[0-9]*,(true|false),(PRIMARY|SECONDARY|DIFFERENCING|TABLE)?,people$`));
    expect(lines.filter((l) => l.includes(',0136,'))).toHaveLength(4 * 5 + 4 + 5 + 1);

    const json = await fetch(new URL(`/stats/occupancy_by_unit_kind.json?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.COORDINATOR) });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { columns: string[]; rows: Record<string, unknown>[]; municipalitiesCovered: string[] };
    expect(body.columns).toEqual(['period', 'municipality_code', 'dimension', 'category', 'measure', 'value', 'suppressed', 'reason', 'unit']);
    // A ratio dataset is regional only.
    expect(body.rows).toHaveLength(4 * 4 + 4 + 4 + 1);
    expect(body.rows.every((r) => r.municipality_code === 'ALL' && r.unit === 'share')).toBe(true);
    expect(body.municipalitiesCovered).toEqual(ALL);

    // Several years in one file, for a BI tool that wants the history: the period says which.
    const span = await fetch(new URL('/stats/exits_by_outcome.json?year=2025-2026', region.gateway.url), { headers: await bearer(Role.ANALYST) });
    expect(span.status).toBe(200);
    const both = (await span.json()) as { years: { year: number; municipalitiesCovered: string[] }[]; rows: { period: string }[]; year?: number };
    expect(both.years.map((y) => y.year)).toEqual([2025, 2026]);
    expect(both.year).toBeUndefined();
    expect(new Set(both.rows.map((r) => r.period.slice(0, 4)))).toEqual(new Set(['2025', '2026']));
    expect((await fetch(new URL('/stats/exits_by_outcome.csv?year=2026-2025', region.gateway.url), { headers: await bearer(Role.ANALYST) })).status).toBe(400);

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

  it('shows the release log to the region’s coordinators, and to no one else', async () => {
    const query = `query { statisticsReleases(clientSub: "bi-tool", limit: 1000) { dataset year municipalitiesCovered clientSub requestId releasedAt } }`;
    const result = await postGraphQL<{ statisticsReleases: { dataset: string; year: number; municipalitiesCovered: string[]; clientSub: string; requestId: string }[] }>(
      region.gateway.url, query, {}, await bearer(Role.COORDINATOR),
    );
    expect(result.errors).toBeUndefined();
    const log = result.data!.statisticsReleases;
    expect(new Set(log.map((e) => e.dataset))).toEqual(new Set(STATISTICS_DATASETS.map((d) => d.name)));
    expect(log.every((e) => e.clientSub === 'bi-tool' && e.year === YEAR && e.requestId.length > 0)).toBe(true);
    for (const role of [Role.ANALYST, Role.CASEWORKER]) {
      const refused = await postGraphQL(region.gateway.url, query, {}, await bearer(role, role === Role.CASEWORKER ? '0126' : undefined));
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('reruns the round without a municipality that is down and says which ones the table covers', async () => {
    proxies[ALL.indexOf('0128')]!.setMode('down');
    try {
      const result = await ask('intakes_by_referral_source');
      expect(result.errors).toBeUndefined();
      const table = result.data!.statistics;
      const covered = ALL.filter((code) => code !== '0128');
      expect(table.municipalitiesCovered).toEqual(covered);
      expect(table.municipalitiesMissing).toEqual(['0128']);
      expect(table.missingReasons[0]!.reason).toMatch(/could not be reached/);
      expect(table.rows.some((r) => r.municipalityCode === '0128')).toBe(false);
      const truth = sumBlocks(blocksOf(covered).map((b) => b['intakes.referral_source']!)).flat();
      expect(table.cells).toHaveLength(truth.length);
      expect(table.cells.some((cell) => !cell.suppressed)).toBe(true);
      table.cells.forEach((cell, index) => !cell.suppressed && expect(cell.value).toBe(truth[index]));
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

  const ask = async () => postGraphQL<{ statistics: Table }>(region.gateway.url, STATISTICS, { dataset: 'exits_by_outcome', year: YEAR }, await bearer(Role.ANALYST));
  const proxy = (code: string) => proxies[ALL.indexOf(code)]!;

  it('covers seven while one is down, stays with those seven after it is back, and refuses a third set', async () => {
    proxy('0128').setMode('down');
    const whileDown = await ask();
    expect(whileDown.errors).toBeUndefined();
    const seven = ALL.filter((code) => code !== '0128');
    expect(whileDown.data!.statistics.municipalitiesCovered).toEqual(seven);

    proxy('0128').setMode('pass');
    const afterwards = await ask();
    expect(afterwards.errors).toBeUndefined();
    // All eight now would let the region subtract the seven and learn 0128's own figures.
    expect(afterwards.data!.statistics.municipalitiesCovered).toEqual(seven);
    expect(afterwards.data!.statistics.missingReasons).toEqual([{ municipalityCode: '0128', reason: expect.stringMatching(/^left out until .*an earlier round of 2026 covered other municipalities$/) }]);

    proxy('0127').setMode('down');
    try {
      const refused = await ask();
      expect(refused.data?.statistics ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('STATISTICS_UNAVAILABLE');
      expect(refused.errors?.[0]?.message).toMatch(/could be subtracted/);
      const csv = await fetch(new URL(`/stats/exits_by_outcome.csv?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.ANALYST) });
      expect(csv.status).toBe(503);
      expect(((await csv.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/0127 cannot take part now/);
    } finally {
      proxy('0127').setMode('pass');
    }
    // Every shard that took part only ever did so over the same seven.
    for (const code of seven) {
      const sets = await queryRows<{ participants: string[] }>(region.shards.get(code)!.database.url, 'select distinct participants from statistics_participation where year = $1', [YEAR]);
      expect(sets).toEqual([{ participants: seven }]);
    }
  });
});
