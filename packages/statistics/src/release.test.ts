import { statisticsDataset, toStatisticsVector, type CountDataset, type RatioDataset } from './layout';
import { COARSEN_FACTOR, longFormatRows, REGION_CODE, releaseCountTable, releaseDataset, releaseRatioTable, STATISTICS_COLUMNS } from './release';

const exits = statisticsDataset('exits_by_outcome') as CountDataset;
const active = statisticsDataset('active_by_gender') as CountDataset;
const length = statisticsDataset('average_placement_length_by_unit_kind') as RatioDataset;
const occupancy = statisticsDataset('occupancy_by_unit_kind') as RatioDataset;

// Cell keys with known noise (docs/statistics.md's table): 30000 → 0, 50000 → +1, 60000 → +2, 10000 → −2, 65535 → +14.
const ZERO = 30000;
const constant = (key: number) => [0, 1, 2, 3].map(() => [key, key, key]);

describe('releaseCountTable', () => {
  it('perturbs every cell and total from its own cell key, the key of a total being the sum of its cells’ keys', () => {
    const keys = [
      [ZERO, 50000, 10000],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const counts = [
      [10, 2, 8],
      [9, 7, 6],
      [12, 11, 10],
      [5, 6, 7],
    ];
    const released = releaseCountTable(exits, 2025, { counts, keys }, 5);
    expect(released.cells).toHaveLength(12);
    expect(released.cells[0]).toEqual({ period: '2025Q1', category: 'COMPLETED', value: 10, suppressed: false, reason: null });
    // 2 + 1 = 3 is below the threshold: the minimum-frequency rule publishes 0.
    expect(released.cells[1]).toMatchObject({ value: 0, suppressed: false });
    expect(released.cells[2]).toMatchObject({ value: 6 });
    // Key 0 means noise −14: 9 − 14 and 7 − 14 are below the threshold.
    expect(released.cells.slice(3, 6).map((c) => c.value)).toEqual([0, 0, 0]);
    // Row 1's key: 30000 + 50000 + 10000 = 90000 ≡ 24464 (mod 2^16), noise 0: 20 as it is.
    expect(released.rowTotals[0]!.value).toBe(20);
    expect(released.rowTotals[1]!.value).toBe(22 - 14);
    expect(released.columnTotals.map((t) => t.value)).toEqual([36, 26 + 1, 31 - 2]);
    // The year's key is 90000 again: noise 0.
    expect(released.total).toEqual({ value: 93, suppressed: false, reason: null });
    for (const value of [...released.cells, ...released.rowTotals, ...released.columnTotals]) expect(value.value === 0 || value.value! >= 5).toBe(true);
  });

  it('gives the same records the same value: the same counts and keys release the same table', () => {
    const table = {
      counts: [
        [4, 0, 9],
        [1, 1, 1],
        [0, 0, 0],
        [30, 2, 2],
      ],
      keys: [
        [123, 0, 4567],
        [8, 9, 10],
        [0, 0, 0],
        [40000, 222, 333],
      ],
    };
    expect(releaseCountTable(exits, 2025, table, 5)).toEqual(releaseCountTable(exits, 2025, table, 5));
  });

  it('releases no year totals for a measure whose quarters do not add up (active participants)', () => {
    const released = releaseCountTable(
      active,
      2025,
      {
        counts: [
          [10, 20, 0],
          [11, 21, 0],
          [12, 22, 0],
          [13, 23, 0],
        ],
        keys: constant(ZERO),
      },
      5,
    );
    expect(released.rowTotals.map((t) => t.value)).toEqual([30, 32, 34, 36]);
    expect(released.columnTotals.every((t) => t.value === null && !t.suppressed && t.reason === 'NOT_ADDITIVE')).toBe(true);
    const rows = longFormatRows(released, '0126');
    expect(rows.filter((r) => r.period === '2025')).toEqual([]);
    expect(rows).toHaveLength(12 + 4);
    // The 12 cells, then each quarter's TOTAL: only those are marked as totals; each row carries its period's dates.
    expect(rows.map((r) => r.is_total)).toEqual([...Array(12).fill(false), ...Array(4).fill(true)]);
    expect(rows.filter((r) => r.category === 'TOTAL').map((r) => [r.period, r.period_start, r.period_end])).toEqual([
      ['2025Q1', '2025-01-01', '2025-03-31'],
      ['2025Q2', '2025-04-01', '2025-06-30'],
      ['2025Q3', '2025-07-01', '2025-09-30'],
      ['2025Q4', '2025-10-01', '2025-12-31'],
    ]);
  });

  it('coarsens a municipal table too small to publish by quarter to its year figures', () => {
    const small = {
      counts: [
        [3, 0, 1],
        [2, 0, 0],
        [4, 1, 0],
        [3, 0, 0],
      ],
      keys: constant(ZERO),
    };
    expect(COARSEN_FACTOR * 5).toBe(20);
    // Year total 14 (noise 0 on key 3 × 30000 × … ≡ some key: checked below), below 20: by year only.
    const coarse = releaseCountTable(
      exits,
      2025,
      {
        ...small,
        keys: [
          [ZERO, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
      },
      5,
      { coarsen: true },
    );
    expect(coarse.total.value).toBe(14);
    expect(coarse.cells.every((c) => c.value === null && c.suppressed && c.reason === 'COARSENED')).toBe(true);
    expect(coarse.rowTotals.every((t) => t.reason === 'COARSENED')).toBe(true);
    expect(coarse.columnTotals.map((t) => t.value)).toEqual([12, 0, 0]);
    // The region's table of the same counts is not coarsened.
    expect(
      releaseCountTable(
        exits,
        2025,
        {
          ...small,
          keys: [
            [ZERO, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
          ],
        },
        5,
      ).cells.every((c) => c.reason === null),
    ).toBe(true);
    // Active participants keep their quarter totals.
    const activeSmall = releaseCountTable(
      active,
      2025,
      {
        counts: [
          [6, 0, 0],
          [7, 0, 0],
          [8, 0, 0],
          [9, 0, 0],
        ],
        keys: constant(ZERO),
      },
      5,
      { coarsen: true },
    );
    expect(activeSmall.cells.every((c) => c.reason === 'COARSENED')).toBe(true);
    expect(activeSmall.rowTotals.map((t) => t.value)).toEqual([6, 7, 8, 9]);
    // Big enough: published by quarter.
    const big = releaseCountTable(
      exits,
      2025,
      {
        counts: [
          [8, 0, 0],
          [6, 0, 0],
          [5, 0, 0],
          [6, 0, 0],
        ],
        keys: [
          [ZERO, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
      },
      5,
      { coarsen: true },
    );
    expect(big.total.value).toBe(25);
    expect(big.cells.every((c) => !c.suppressed)).toBe(true);
  });
});

describe('coarsening at its edges', () => {
  const oneKey = [
    [ZERO, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];

  it('publishes by quarter a table whose perturbed year total is exactly COARSEN_FACTOR × threshold', () => {
    // Year total 20 on key 30000 (noise 0): 20 is not below 4 × 5.
    const counts = [
      [8, 0, 0],
      [4, 0, 0],
      [4, 0, 0],
      [4, 0, 0],
    ];
    const released = releaseCountTable(exits, 2025, { counts, keys: oneKey }, 5, { coarsen: true });
    expect(released.total.value).toBe(20);
    expect(released.cells.every((c) => c.reason === null)).toBe(true);
    const smaller = releaseCountTable(exits, 2025, { counts: [[7, 0, 0], ...counts.slice(1)], keys: oneKey }, 5, { coarsen: true });
    expect(smaller.total.value).toBe(19);
    expect(smaller.cells.every((c) => c.reason === 'COARSENED')).toBe(true);
  });

  it('judges active participants by their largest quarter, not their smallest', () => {
    // Quarter totals 25, 6, 7, 8 (keys 3 × 30000 per row: noise 0). 25 reaches 20, so nothing is coarsened.
    const released = releaseCountTable(
      active,
      2025,
      {
        counts: [
          [25, 0, 0],
          [6, 0, 0],
          [7, 0, 0],
          [8, 0, 0],
        ],
        keys: constant(ZERO),
      },
      5,
      { coarsen: true },
    );
    expect(released.rowTotals.map((t) => t.value)).toEqual([25, 6, 7, 8]);
    expect(released.cells.map((c) => c.value)).toEqual([25, 0, 0, 6, 0, 0, 7, 0, 0, 8, 0, 0]);
  });
});

describe('releaseRatioTable', () => {
  const zeros = () => [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const keys = () => [0, 1, 2, 3].map(() => [ZERO, ZERO, ZERO, ZERO]);

  it('publishes a ratio whose perturbed support reaches the threshold, protects the others, and totals only over published cells', () => {
    const numerator = zeros();
    const denominator = zeros();
    numerator[0] = [600, 90, 0, 0];
    denominator[0] = [6, 2, 0, 0];
    numerator[1] = [1000, 0, 0, 0];
    denominator[1] = [8, 0, 0, 0];
    numerator[2] = [300, 0, 0, 0];
    denominator[2] = [5, 0, 0, 0];
    numerator[3] = [700, 0, 0, 0];
    denominator[3] = [7, 0, 0, 0];
    const released = releaseRatioTable(length, 2026, { numerator, denominator, support: { counts: denominator, keys: keys() } }, 5);
    expect(released.cells[0]).toMatchObject({ period: '2026Q1', category: 'PROTECTED', value: 100, suppressed: false });
    expect(released.cells[1]).toMatchObject({ category: 'TRAINING_FLAT', value: null, suppressed: true, reason: 'PROTECTED' });
    // Nothing ended: the support is 0 and so below the threshold, the same answer as a small one.
    expect(released.cells[2]).toMatchObject({ value: null, suppressed: true, reason: 'PROTECTED' });
    // A total over a protected cell is protected too, so that the protected ratio cannot be estimated from it.
    expect(released.rowTotals.every((t) => t.reason === 'PROTECTED')).toBe(true);
    // Column 1 over 26 placements; its key is 4 × 30000 ≡ 54464 (noise +1), so the support is published.
    expect(released.columnTotals[0]).toMatchObject({ value: 100, suppressed: false }); // 2600 / 26
    expect(released.columnTotals[1]).toMatchObject({ suppressed: true, reason: 'PROTECTED' });
    expect(released.total).toMatchObject({ suppressed: true, reason: 'PROTECTED' });
    // A support of 4 with noise +1 is 5: published, though the true count is small; noise works both ways.
    const four = releaseRatioTable(
      length,
      2026,
      {
        numerator: [[40, 0, 0, 0], ...zeros().slice(1)],
        denominator: [[4, 0, 0, 0], ...zeros().slice(1)],
        support: { counts: [[4, 0, 0, 0], ...zeros().slice(1)], keys: [[50000, 0, 0, 0], ...zeros().slice(1)] },
      },
      5,
    );
    expect(four.cells[0]).toMatchObject({ value: 10, suppressed: false });
  });

  it('says NO_DATA, not secret, for a ratio with support but nothing to divide by', () => {
    // Occupancy: 10 bookings overlap the quarter (published: key 30000, noise 0), but no place-days were available.
    const support = zeros();
    support[0] = [10, 0, 0, 0];
    const numerator = zeros();
    numerator[0] = [50, 0, 0, 0];
    const released = releaseRatioTable(occupancy, 2026, { numerator, denominator: zeros(), support: { counts: support, keys: keys() } }, 5);
    expect(released.cells[0]).toEqual({ period: '2026Q1', category: 'PROTECTED', value: null, suppressed: false, reason: 'NO_DATA' });
    // 50 of 200 place-days booked: 0.25.
    const denominator = zeros();
    denominator[0] = [200, 0, 0, 0];
    expect(releaseRatioTable(occupancy, 2026, { numerator, denominator, support: { counts: support, keys: keys() } }, 5).cells[0]!.value).toBe(0.25);
  });

  it('releases no year totals of a ratio whose quarters do not add up', () => {
    const numerator = zeros();
    const denominator = zeros();
    numerator[0] = [600, 0, 0, 0];
    denominator[0] = [6, 0, 0, 0];
    const released = releaseRatioTable({ ...length, yearTotal: false }, 2026, { numerator, denominator, support: { counts: denominator, keys: keys() } }, 5);
    expect(released.cells[0]!.value).toBe(100);
    expect(released.columnTotals).toEqual([0, 1, 2, 3].map(() => ({ value: null, suppressed: false, reason: 'NOT_ADDITIVE' })));
    expect(released.total).toEqual({ value: null, suppressed: false, reason: 'NOT_ADDITIVE' });
  });
});

describe('releaseDataset', () => {
  it('reads a count dataset’s counts and cell keys out of the statistics vector', () => {
    const vector = toStatisticsVector({
      'exits.exit_outcome': [
        { quarter: 1, category: 'COMPLETED', count: 10, keySum: 30000 },
        { quarter: 1, category: 'DISCONTINUED', count: 10, keySum: 50000 },
        { quarter: 2, category: 'RELAPSE', count: 10, keySum: 10000 },
      ],
    });
    const released = releaseDataset(exits, 2025, vector, 5);
    // 10 + 0, 10 + 1, 10 − 2; every other cell counted nothing.
    expect(released.cells.map((c) => c.value)).toEqual([10, 11, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
    expect(released.dataset).toBe('exits_by_outcome');
  });

  it('passes coarsening on to a count dataset', () => {
    const vector = toStatisticsVector({ 'exits.exit_outcome': [{ quarter: 1, category: 'COMPLETED', count: 10, keySum: 30000 }] });
    expect(releaseDataset(exits, 2025, vector, 5, { coarsen: true }).cells[0]!.reason).toBe('COARSENED');
  });

  it('reads a ratio dataset’s numerator, denominator and support out of the statistics vector', () => {
    const vector = toStatisticsVector({
      'placement_days_ended.unit_kind': [{ quarter: 1, category: 'PROTECTED', count: 600 }],
      'placements_ended.unit_kind': [
        { quarter: 1, category: 'PROTECTED', count: 6, keySum: 30000 },
        { quarter: 1, category: 'TRAINING_FLAT', count: 2, keySum: 30000 },
      ],
    });
    const released = releaseDataset(length, 2026, vector, 5);
    expect(released.dataset).toBe('average_placement_length_by_unit_kind');
    // 600 days over 6 placements; the 2 placements of training flats are below the threshold.
    expect(released.cells[0]).toMatchObject({ value: 100, suppressed: false });
    expect(released.cells[1]).toMatchObject({ value: null, reason: 'PROTECTED' });
  });
});

describe('the long format', () => {
  it('has one row per cell and total, in the stable columns', () => {
    const released = releaseCountTable(
      exits,
      2025,
      {
        counts: [
          [10, 2, 8],
          [9, 7, 6],
          [12, 11, 10],
          [5, 6, 7],
        ],
        keys: constant(ZERO),
      },
      5,
    );
    const rows = longFormatRows(released, '0126');
    expect(rows).toHaveLength(12 + 4 + 3 + 1);
    for (const row of rows) expect(Object.keys(row)).toEqual([...STATISTICS_COLUMNS]);
    expect(rows[0]).toMatchObject({ period: '2025Q1', category: 'COMPLETED', value: 10, municipality_code: '0126', unit: 'people', reason: null });
    expect(rows.at(-1)).toMatchObject({ period: '2025', category: 'TOTAL', municipality_code: '0126' });
    expect(rows.slice(12, 16).map((r) => [r.period, r.category])).toEqual([
      ['2025Q1', 'TOTAL'],
      ['2025Q2', 'TOTAL'],
      ['2025Q3', 'TOTAL'],
      ['2025Q4', 'TOTAL'],
    ]);
    expect(rows.slice(16).map((r) => [r.period, r.category])).toEqual([
      ['2025', 'COMPLETED'],
      ['2025', 'DISCONTINUED'],
      ['2025', 'RELAPSE'],
      ['2025', 'TOTAL'],
    ]);
  });

  it('marks regional rows with the code the export documents, ALL', () => {
    expect(REGION_CODE).toBe('ALL');
  });
});
