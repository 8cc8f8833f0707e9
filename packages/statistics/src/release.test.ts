import { statisticsDataset, type CountDataset, type RatioDataset } from './layout';
import { longFormatRows, publishedCounts, releaseCountTable, releaseRatioTable, STATISTICS_COLUMNS } from './release';

const exits = statisticsDataset('exits_by_outcome') as CountDataset;
const active = statisticsDataset('active_by_gender') as CountDataset;
const length = statisticsDataset('average_placement_length_by_unit_kind') as RatioDataset;

describe('releaseCountTable', () => {
  it('labels every cell and says which are suppressed and why', async () => {
    const released = await releaseCountTable(exits, 2025, [[10, 2, 8], [9, 7, 6], [12, 11, 10], [5, 6, 7]], 5);
    expect(released.cells).toHaveLength(12);
    expect(released.cells[1]).toEqual({ period: '2025Q1', category: 'DISCONTINUED', value: null, suppressed: true, reason: 'PRIMARY' });
    expect(released.cells.filter((c) => c.reason === 'SECONDARY').length).toBeGreaterThan(0);
    expect(released.rowTotals.map((t) => t.value)).toEqual([20, 22, 33, 18]);
    expect(released.columnTotals.map((t) => t.value)).toEqual([36, 26, 31]);
    expect(released.total).toEqual({ value: 93, suppressed: false, reason: null });
  });

  it('withholds every positive cell and all totals when the table cannot be protected', async () => {
    const released = await releaseCountTable(exits, 2025, [[2, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], 5);
    expect(released.cells[0]).toMatchObject({ value: null, suppressed: true, reason: 'TABLE' });
    expect(released.cells[1]).toMatchObject({ value: 0, suppressed: false });
    expect(released.rowTotals.every((t) => t.value === null && t.reason === 'TABLE')).toBe(true);
    expect(released.total).toMatchObject({ value: null, suppressed: true, reason: 'TABLE' });
  });

  it('releases no year totals for a measure whose quarters do not add up (active participants)', async () => {
    const released = await releaseCountTable(active, 2025, [[10, 20, 0], [11, 21, 0], [12, 22, 0], [13, 23, 0]], 5);
    expect(released.rowTotals.map((t) => t.value)).toEqual([30, 32, 34, 36]);
    expect(released.columnTotals.every((t) => t.value === null && !t.suppressed && t.reason === 'NOT_ADDITIVE')).toBe(true);
    const rows = longFormatRows(released, '0126');
    expect(rows.filter((r) => r.period === '2025')).toEqual([]);
    expect(rows).toHaveLength(12 + 4);
  });
});

describe('releaseRatioTable', () => {
  const zeros = () => [0, 1, 2, 3].map(() => [0, 0, 0, 0]);

  it('publishes a ratio over at least the threshold or nobody, suppresses one over fewer, and totals only over published cells', () => {
    const numerator = zeros();
    const denominator = zeros();
    numerator[0] = [600, 90, 0, 0];
    denominator[0] = [6, 2, 0, 0];
    numerator[1] = [1000, 0, 0, 0];
    denominator[1] = [8, 0, 0, 0];
    const released = releaseRatioTable(length, 2026, { numerator, denominator, support: denominator }, 5);
    expect(released.cells[0]).toMatchObject({ period: '2026Q1', category: 'PROTECTED', value: 100, suppressed: false });
    expect(released.cells[1]).toMatchObject({ category: 'TRAINING_FLAT', value: null, suppressed: true, reason: 'PRIMARY' });
    expect(released.cells[2]).toMatchObject({ value: null, suppressed: false, reason: 'NO_DATA' });
    expect(released.rowTotals[0]).toMatchObject({ value: null, suppressed: true, reason: 'SECONDARY' });
    expect(released.rowTotals[1]).toMatchObject({ value: 125, suppressed: false });
    expect(released.columnTotals[0]).toMatchObject({ value: 114.3, suppressed: false }); // 1600 / 14, rounded to 1 decimal
    expect(released.columnTotals[1]).toMatchObject({ suppressed: true, reason: 'SECONDARY' });
    expect(released.total).toMatchObject({ suppressed: true, reason: 'SECONDARY' });
  });
});

describe('the long format', () => {
  it('has one row per cell and total, in the stable columns, and a published municipal view with nulls where withheld', async () => {
    const released = await releaseCountTable(exits, 2025, [[10, 2, 8], [9, 7, 6], [12, 11, 10], [5, 6, 7]], 5);
    const rows = longFormatRows(released, '0126');
    expect(rows).toHaveLength(12 + 4 + 3 + 1);
    for (const row of rows) expect(Object.keys(row)).toEqual([...STATISTICS_COLUMNS]);
    expect(rows.at(-1)).toMatchObject({ period: '2025', category: 'TOTAL', value: 93, municipality_code: '0126', unit: 'people' });
    const view = publishedCounts(released, '0126');
    expect(view.cells[0]![1]).toBeNull();
    expect(view.rowTotals).toEqual([20, 22, 33, 18]);
  });
});

describe('the regional release beside municipal tables', () => {
  it('withholds a regional zero over a suppressed municipal cell when the whole table must be withheld', async () => {
    // One positive row: the regional table cannot be protected with its totals.
    const regional = [[0, 0, 0], [0, 0, 0], [0, 0, 0], [3, 0, 9]];
    const municipal = [{ municipalityCode: '0126', cells: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [null, null, 9]], rowTotals: [0, 0, 0, 12], columnTotals: [3, 0, 9] }];
    const released = await releaseCountTable(exits, 2025, regional, 5, municipal);
    expect(released.cells[9]).toMatchObject({ value: null, suppressed: true, reason: 'TABLE' });
    expect(released.cells[10]).toMatchObject({ value: null, suppressed: true, reason: 'TABLE' });
    expect(released.cells[0]).toMatchObject({ value: 0, suppressed: false });
  });
});
