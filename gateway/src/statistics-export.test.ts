import { STATISTICS_COLUMNS } from '@sodertorn/statistics';
import { MAX_EXPORT_YEARS, parseYears, statisticsRows } from './statistics-export';

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
  periodStart: '2025-01-01',
  periodEnd: period.includes('Q') ? '2025-03-31' : '2025-12-31',
  isTotal: category === 'TOTAL' || !period.includes('Q'),
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
      period_start: '2025-01-01',
      period_end: '2025-03-31',
      is_total: false,
    });
    expect(flat[3]).toMatchObject({ municipality_code: '0126', reason: 'COARSENED' });
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
