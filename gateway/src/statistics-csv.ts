import { STATISTICS_COLUMNS, type StatisticsRow } from '@sodertorn/statistics';

/**
 * How a CSV file is spelled for the tool that opens it.
 * - `default`: RFC 4180 (`,`, decimal point), what Power Query and scripts read with no settings.
 * - `sv`: what Swedish Excel opens by double-click as it is: `;` between fields (the list separator
 *   of the sv-SE locale), decimal comma, and a UTF-8 byte order mark so å, ä and ö survive (without
 *   it Excel reads the file as Windows-1252).
 */
export interface CsvDialect {
  separator: ',' | ';';
  decimalComma: boolean;
  byteOrderMark: boolean;
}

export const CSV_DIALECTS = {
  default: { separator: ',', decimalComma: false, byteOrderMark: false },
  sv: { separator: ';', decimalComma: true, byteOrderMark: true },
} as const satisfies Record<string, CsvDialect>;

/** The dialect `?locale=` of an export asks for (absent: the default), or a message naming the parameter. */
export function csvDialectOf(locale: unknown): CsvDialect | string {
  if (locale === undefined) return CSV_DIALECTS.default;
  if (locale === 'sv') return CSV_DIALECTS.sv;
  return 'must be sv (Swedish Excel: semicolons, decimal comma, UTF-8 with a byte order mark) or left out (RFC 4180 CSV)';
}

function field(value: string | number | boolean | null, dialect: CsvDialect): string {
  if (value === null) return '';
  const text = typeof value === 'number' && dialect.decimalComma ? String(value).replace('.', ',') : String(value);
  const needsQuotes = text.includes(dialect.separator) || /["\r\n]/.test(text);
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV with a header line and CRLF line ends, in `dialect`. */
export function toCsv(rows: readonly StatisticsRow[], dialect: CsvDialect = CSV_DIALECTS.default): string {
  const line = (values: readonly (string | number | boolean | null)[]) => values.map((value) => field(value, dialect)).join(dialect.separator);
  const lines = [line(STATISTICS_COLUMNS), ...rows.map((row) => line(STATISTICS_COLUMNS.map((column) => row[column])))];
  return (dialect.byteOrderMark ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
