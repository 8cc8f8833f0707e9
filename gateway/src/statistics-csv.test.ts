import type { StatisticsRow } from '@sodertorn/statistics';
import { CSV_DIALECTS, csvDialectOf, toCsv } from './statistics-csv';

const row = (category: string, value: number | null, reason: string | null = null): StatisticsRow => ({
  period: '2025Q1',
  municipality_code: '0126',
  dimension: 'unit_kind',
  category,
  measure: 'occupancy',
  value,
  suppressed: value === null,
  reason,
  unit: 'share',
  period_start: '2025-01-01',
  period_end: '2025-03-31',
  is_total: category === 'TOTAL',
});
const rows = [row('PROTECTED', 0.75), row('TRAINING_FLAT', null, 'PROTECTED'), row('RE"LAPSE, odd; too', 12), row('TOTAL', 0.5)];
const HEADER = [
  'period',
  'municipality_code',
  'dimension',
  'category',
  'measure',
  'value',
  'suppressed',
  'reason',
  'unit',
  'period_start',
  'period_end',
  'is_total',
];

describe('the CSV of a statistics export', () => {
  it('writes RFC 4180 by default: the stable header, empty values for suppressed cells, quoting where needed, CRLF line ends', () => {
    const csv = toCsv(rows);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.split('\r\n')).toEqual([
      HEADER.join(','),
      '2025Q1,0126,unit_kind,PROTECTED,occupancy,0.75,false,,share,2025-01-01,2025-03-31,false',
      '2025Q1,0126,unit_kind,TRAINING_FLAT,occupancy,,true,PROTECTED,share,2025-01-01,2025-03-31,false',
      '2025Q1,0126,unit_kind,"RE""LAPSE, odd; too",occupancy,12,false,,share,2025-01-01,2025-03-31,false',
      '2025Q1,0126,unit_kind,TOTAL,occupancy,0.5,false,,share,2025-01-01,2025-03-31,true',
      '',
    ]);
  });

  it('writes what Swedish Excel opens as it is: a byte order mark, semicolons and decimal commas, quoting what holds a semicolon', () => {
    const csv = toCsv(rows, CSV_DIALECTS.sv);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual([
      HEADER.join(';'),
      '2025Q1;0126;unit_kind;PROTECTED;occupancy;0,75;false;;share;2025-01-01;2025-03-31;false',
      '2025Q1;0126;unit_kind;TRAINING_FLAT;occupancy;;true;PROTECTED;share;2025-01-01;2025-03-31;false',
      '2025Q1;0126;unit_kind;"RE""LAPSE, odd; too";occupancy;12;false;;share;2025-01-01;2025-03-31;false',
      '2025Q1;0126;unit_kind;TOTAL;occupancy;0,5;false;;share;2025-01-01;2025-03-31;true',
      '',
    ]);
  });

  it('takes ?locale=sv or nothing, and names the parameter for anything else', () => {
    expect(csvDialectOf(undefined)).toBe(CSV_DIALECTS.default);
    expect(csvDialectOf('sv')).toBe(CSV_DIALECTS.sv);
    for (const other of ['SV', 'en', '', ['sv', 'sv']]) expect(csvDialectOf(other)).toMatch(/^must be sv/);
  });
});
