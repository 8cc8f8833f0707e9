import { blockKeys, blockTable, periodBounds, STATISTICS_BLOCKS, STATISTICS_DATASETS, statisticsVectorLength, toStatisticsVector } from './layout';

describe('the statistics cell layout', () => {
  it('lays blocks out in order, quarter-major, and reads each table back', () => {
    // 12 blocks: 5 + 6 + 3 + 6 + 3 + 3 categories, then six by unit kind (4); four quarters each.
    // Then the key sums of the nine keyed blocks (all but the three day sums).
    const counts = 4 * (5 + 6 + 3 + 6 + 3 + 3 + 6 * 4);
    expect(statisticsVectorLength()).toBe(counts + counts - 4 * 3 * 4);
    const vector = toStatisticsVector({
      'intakes.referral_source': [{ quarter: 2, category: 'SELF', count: 7, keySum: 70_000 }],
      'exits.exit_outcome': [
        { quarter: 4, category: 'RELAPSE', count: 3, keySum: 65_535 },
        { quarter: 4, category: 'RELAPSE', count: 1, keySum: 2 },
      ],
      'place_days_available.unit_kind': [{ quarter: 1, category: 'SUPPORTED', count: 720 }],
    });
    expect(vector).toHaveLength(statisticsVectorLength());
    // The first block is intakes by referral source: row 2 (index 1), column SELF (index 3).
    expect(vector[1 * 5 + 3]).toBe(7);
    expect(blockTable(vector, 'intakes.referral_source')[1]).toEqual([0, 0, 0, 7, 0]);
    expect(blockTable(vector, 'exits.exit_outcome')[3]).toEqual([0, 0, 4]);
    expect(blockTable(vector, 'place_days_available.unit_kind')[0]).toEqual([0, 0, 0, 720]);
    expect(vector.slice(0, counts).reduce((a, b) => a + b, 0)).toBe(731);
    // Key sums are reduced modulo 2^16 and come after every count, in block order.
    expect(vector[counts + 1 * 5 + 3]).toBe(70_000 - 65_536);
    expect(blockKeys(vector, 'intakes.referral_source')[1]).toEqual([0, 0, 0, 70_000 - 65_536, 0]);
    expect(blockKeys(vector, 'exits.exit_outcome')[3]).toEqual([0, 0, 1]);
    expect(() => blockKeys(vector, 'place_days_available.unit_kind')).toThrow(/no keyed statistics block/);
    expect(() => toStatisticsVector({ 'exits.exit_outcome': [{ quarter: 1, category: 'RELAPSE', count: 1 }] })).toThrow(/key sum/);
  });

  it('refuses counts outside the layout', () => {
    expect(() => toStatisticsVector({ 'exits.exit_outcome': [{ quarter: 5, category: 'RELAPSE', count: 1, keySum: 0 }] })).toThrow(RangeError);
    expect(() => toStatisticsVector({ 'exits.exit_outcome': [{ quarter: 1, category: 'UNKNOWN', count: 1, keySum: 0 }] })).toThrow(RangeError);
    expect(() => toStatisticsVector({ 'exits.nonsense': [] })).toThrow(/unknown statistics block/);
    expect(() => toStatisticsVector({ 'exits.exit_outcome': [{ quarter: 1, category: 'RELAPSE', count: -1, keySum: 0 }] })).toThrow(RangeError);
    expect(() => blockTable([1, 2], 'exits.exit_outcome')).toThrow(RangeError);
  });

  it('names only blocks that exist, and every dataset has unique name and the categories of its blocks', () => {
    const blocks = new Map(STATISTICS_BLOCKS.map((b) => [b.name, b]));
    expect(new Set(STATISTICS_DATASETS.map((d) => d.name)).size).toBe(STATISTICS_DATASETS.length);
    for (const dataset of STATISTICS_DATASETS) {
      const used = dataset.kind === 'count' ? [dataset.block] : [dataset.numerator, dataset.denominator, dataset.support];
      for (const name of used) expect(blocks.get(name)?.categories).toEqual(dataset.categories);
    }
  });
});

describe('periodBounds', () => {
  it('gives the first and last day of each quarter and of the year', () => {
    expect(periodBounds('2026Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodBounds('2026Q2')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodBounds('2026Q3')).toEqual({ start: '2026-07-01', end: '2026-09-30' });
    expect(periodBounds('2026Q4')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodBounds('2028')).toEqual({ start: '2028-01-01', end: '2028-12-31' });
  });

  it('refuses anything that is not a period label', () => {
    for (const text of ['2026Q5', '2026Q', '26Q1', '2026-Q1', '']) expect(() => periodBounds(text)).toThrow(/not a period label/);
  });
});
