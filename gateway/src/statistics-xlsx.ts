import { STATISTICS_COLUMNS, type StatisticsRow } from '@sodertorn/statistics';
import writeExcelFile, { type Cell, type Row } from 'write-excel-file/node';

/** What a workbook says about each year it holds, on its second sheet. */
export interface XlsxYear {
  year: number;
  release: number;
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  threshold: number;
  releasedAt: string;
}

/** The date columns: ISO days in the API, real dates in the workbook. */
const DATE_COLUMNS: ReadonlySet<string> = new Set(['period_start', 'period_end']);
/** Text that Excel must not read as a number (a kommunkod's leading zero) or a date (a period such as 2026). */
const TEXT = '@';
const DATE_FORMAT = 'yyyy-mm-dd';

/** One export value as a typed cell: numbers, booleans and dates as such, so no locale decides what they are. */
function cellOf(column: string, value: StatisticsRow[keyof StatisticsRow]): Cell {
  if (value === null) return null;
  if (DATE_COLUMNS.has(column) && typeof value === 'string') return { type: Date, value: new Date(`${value}T00:00:00Z`), format: DATE_FORMAT };
  if (typeof value === 'string') return { type: String, value, format: TEXT };
  return value;
}

/**
 * The export as an Excel workbook (write-excel-file): sheet `data` has the CSV's columns in the
 * same order with typed cells (a value is a number, a suppressed one empty; period_start and
 * period_end are dates; municipality_code and period stay text), so Swedish Excel and Power BI
 * read it as it is, whatever their locale; sheet `about` says, per year, which release it is and
 * which municipalities it covers. Columns stay stable, new ones only at the end, as in the CSV.
 */
export async function toXlsx(rows: readonly StatisticsRow[], years: readonly XlsxYear[]): Promise<Buffer> {
  const data: Row[] = [[...STATISTICS_COLUMNS], ...rows.map((row) => STATISTICS_COLUMNS.map((column) => cellOf(column, row[column])))];
  const about: Row[] = [
    ['year', 'release', 'released_at', 'threshold', 'municipalities_covered', 'municipalities_missing'],
    ...years.map((y) => [
      y.year,
      y.release,
      { type: Date, value: new Date(y.releasedAt), format: 'yyyy-mm-dd hh:mm:ss' },
      y.threshold,
      { type: String, value: y.municipalitiesCovered.join(','), format: TEXT },
      { type: String, value: y.municipalitiesMissing.join(','), format: TEXT },
    ]),
  ];
  return writeExcelFile([
    { data, sheet: 'data', stickyRowsCount: 1 },
    { data: about, sheet: 'about' },
  ]).toBuffer();
}
