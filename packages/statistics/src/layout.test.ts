import { datasetTable, statisticsVectorLength, STATISTICS_DATASETS, toStatisticsVector } from './layout';
import { releaseTable } from './release';

describe('the statistics cell layout', () => {
  it('lays datasets out in order, quarter-major, and reads each table back', () => {
    expect(statisticsVectorLength()).toBe(4 * 5 + 4 * 3);
    const vector = toStatisticsVector({
      intakes_by_referral_source: [{ quarter: 2, category: 'SELF', count: 7 }],
      exits_by_outcome: [{ quarter: 4, category: 'RELAPSE', count: 3 }, { quarter: 4, category: 'RELAPSE', count: 1 }],
    });
    expect(vector).toHaveLength(statisticsVectorLength());
    expect(vector[1 * 5 + 3]).toBe(7);
    expect(datasetTable(vector, 'intakes_by_referral_source')[1]).toEqual([0, 0, 0, 7, 0]);
    expect(datasetTable(vector, 'exits_by_outcome')[3]).toEqual([0, 0, 4]);
    expect(vector.reduce((a, b) => a + b, 0)).toBe(11);
  });

  it('refuses counts outside the layout', () => {
    expect(() => toStatisticsVector({ exits_by_outcome: [{ quarter: 5, category: 'RELAPSE', count: 1 }] })).toThrow(RangeError);
    expect(() => toStatisticsVector({ exits_by_outcome: [{ quarter: 1, category: 'UNKNOWN', count: 1 }] })).toThrow(RangeError);
    expect(() => datasetTable([1, 2], 'exits_by_outcome')).toThrow(RangeError);
  });
});

describe('releaseTable', () => {
  const exits = STATISTICS_DATASETS[1]!;

  it('labels every cell and says which are suppressed and why', async () => {
    const released = await releaseTable(exits, 2025, [[10, 2, 8], [9, 7, 6], [12, 11, 10], [5, 6, 7]], 5);
    expect(released.cells).toHaveLength(12);
    expect(released.cells[1]).toEqual({ period: '2025Q1', category: 'DISCONTINUED', value: null, suppressed: true, reason: 'PRIMARY' });
    expect(released.cells.filter((c) => c.reason === 'SECONDARY').length).toBeGreaterThan(0);
    expect(released.rowTotals).toEqual([20, 22, 33, 18]);
  });

  it('withholds every positive cell and all totals when the table cannot be protected', async () => {
    const released = await releaseTable(exits, 2025, [[2, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], 5);
    expect(released.cells[0]).toMatchObject({ value: null, suppressed: true, reason: 'TABLE' });
    expect(released.cells[1]).toMatchObject({ value: 0, suppressed: false });
    expect(released.rowTotals.every((t) => t === null)).toBe(true);
    expect(released.columnTotals.every((t) => t === null)).toBe(true);
  });
});
