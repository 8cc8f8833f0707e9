import { STATISTICS_COLUMNS, statisticsRows, toCsv } from './statistics-export';

const table = {
  dataset: 'exits_by_outcome',
  measure: 'exits',
  dimension: 'exit_outcome',
  year: 2025,
  municipalitiesCovered: ['0126', '0127'],
  municipalitiesMissing: [],
  threshold: 5,
  releasedAt: '2026-01-01T00:00:00.000Z',
  rowTotals: [12, 7],
  columnTotals: [10, 9],
  cells: [
    { period: '2025Q1', category: 'COMPLETED', value: 8, suppressed: false, reason: null },
    { period: '2025Q1', category: 'RELAPSE', value: null, suppressed: true, reason: 'PRIMARY' },
    { period: '2025Q2', category: 'COMPLETED', value: null, suppressed: true, reason: 'SECONDARY' },
    { period: '2025Q2', category: 'RELAPSE', value: 5, suppressed: false, reason: null },
  ],
};

describe('the flat statistics export', () => {
  it('lists every cell, the quarter totals, the category totals and the grand total in long format', () => {
    const rows = statisticsRows(table);
    expect(rows).toHaveLength(4 + 2 + 2 + 1);
    expect(rows[1]).toEqual({ period: '2025Q1', municipality_code: 'ALL', dimension: 'exit_outcome', category: 'RELAPSE', measure: 'exits', value: null, suppressed: true, reason: 'PRIMARY' });
    expect(rows.slice(4).map((r) => [r.period, r.category, r.value])).toEqual([
      ['2025Q1', 'TOTAL', 12], ['2025Q2', 'TOTAL', 7], ['2025', 'COMPLETED', 10], ['2025', 'RELAPSE', 9], ['2025', 'TOTAL', 19],
    ]);
  });

  it('writes CSV with the stable header, empty values for suppressed cells and CRLF line ends', () => {
    const csv = toCsv(statisticsRows(table));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(STATISTICS_COLUMNS.join(','));
    expect(lines[0]).toBe('period,municipality_code,dimension,category,measure,value,suppressed,reason');
    expect(lines[1]).toBe('2025Q1,ALL,exit_outcome,COMPLETED,exits,8,false,');
    expect(lines[2]).toBe('2025Q1,ALL,exit_outcome,RELAPSE,exits,,true,PRIMARY');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('marks withheld totals as suppressed', () => {
    const rows = statisticsRows({ ...table, rowTotals: [null, null], columnTotals: [null, null] });
    expect(rows.slice(4).every((r) => r.value === null && r.suppressed && r.reason === 'TABLE')).toBe(true);
  });
});
