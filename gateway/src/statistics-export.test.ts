import { STATISTICS_COLUMNS } from '@sodertorn/statistics';
import { MAX_EXPORT_YEARS, parseYears, statisticsRows, toCsv } from './statistics-export';

const row = (period: string, municipalityCode: string, category: string, value: number | null, reason: string | null = null) => ({
  period,
  municipalityCode,
  dimension: 'exit_outcome',
  category,
  measure: 'exits',
  unit: 'people',
  value,
  suppressed: value === null,
  reason,
});

const rows = [
  row('2025Q1', 'ALL', 'COMPLETED', 8),
  row('2025Q1', '0127', 'RELAPSE', null, 'COARSENED'),
  row('2025', 'ALL', 'TOTAL', 19),
  row('2025Q1', '0126', 'COMPLETED', null, 'COARSENED'),
  row('2025Q1', '0126', 'RE"LAPSE, odd', 0),
];

describe('the flat statistics export', () => {
  it('renames the regional rows to the stable columns, in order', () => {
    const flat = statisticsRows(rows);
    expect(flat).toHaveLength(rows.length);
    expect(Object.keys(flat[0]!)).toEqual(STATISTICS_COLUMNS);
    expect(flat[1]).toEqual({
      period: '2025Q1',
      municipality_code: '0127',
      dimension: 'exit_outcome',
      category: 'RELAPSE',
      measure: 'exits',
      value: null,
      suppressed: true,
      reason: 'COARSENED',
      unit: 'people',
    });
    expect(flat[3]).toMatchObject({ municipality_code: '0126', reason: 'COARSENED' });
  });

  it('writes CSV with the stable header, empty values for suppressed cells, quoting where needed and CRLF line ends', () => {
    const csv = toCsv(statisticsRows(rows));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('period,municipality_code,dimension,category,measure,value,suppressed,reason,unit');
    expect(lines[1]).toBe('2025Q1,ALL,exit_outcome,COMPLETED,exits,8,false,,people');
    expect(lines[2]).toBe('2025Q1,0127,exit_outcome,RELAPSE,exits,,true,COARSENED,people');
    expect(lines[5]).toBe('2025Q1,0126,exit_outcome,"RE""LAPSE, odd",exits,0,false,,people');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('the years of an export', () => {
  it('takes a year, a range or a list, ascending and without repeats', () => {
    expect(parseYears('2026')).toEqual([2026]);
    expect(parseYears('2024-2026')).toEqual([2024, 2025, 2026]);
    expect(parseYears('2026,2024,2026')).toEqual([2024, 2026]);
  });

  it('says what is wrong with anything else', () => {
    expect(parseYears('26')).toMatch(/four-digit years/);
    expect(parseYears('2026-2024')).toMatch(/runs backwards; write it as 2024-2026/);
    expect(parseYears('2000-2030')).toMatch(new RegExp(`at most ${MAX_EXPORT_YEARS} years`));
    expect(parseYears('2026;drop')).toMatch(/four-digit years/);
  });
});
