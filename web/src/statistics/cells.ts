import type { StatisticsTableQuery } from '../gql/graphql';

export type StatisticsRow = StatisticsTableQuery['statistics']['rows'][number];
/** The regional rows' municipalityCode in the long format. */
export const REGION = 'ALL';
/** The long format's category of a total over the categories. */
export const TOTAL = 'TOTAL';
export const SUPPRESSION_REASONS = ['COARSENED', 'PROTECTED', 'NOT_ADDITIVE', 'NO_DATA'] as const;

/** The quarters of a year as the API names them (2026Q1 …), then the year itself (its totals). */
export function periodsOf(year: number): { quarters: string[]; year: string } {
  return { quarters: [1, 2, 3, 4].map((q) => `${year}Q${q}`), year: String(year) };
}

type Table = StatisticsTableQuery['statistics'];
type Value = Pick<StatisticsRow, 'value' | 'suppressed' | 'reason'>;

/**
 * One area's figures (the region's or a municipality's) by period|category. The long format has
 * no year row where a year total does not exist (active participants): the region's come from the
 * table's own year totals, with the API's reason; a municipality's are the same NOT_ADDITIVE.
 */
export function cellsOf(table: Table, area: string, categories: readonly string[]): Map<string, Value> {
  const cells = new Map<string, Value>(table.rows.filter((r) => r.municipalityCode === area).map((r) => [`${r.period}|${r.category}`, r]));
  const year = String(table.year);
  const yearTotals: Value[] = area === REGION ? [...table.columnTotals, table.total] : [];
  [...categories, TOTAL].forEach((category, i) => {
    const key = `${year}|${category}`;
    if (!cells.has(key)) cells.set(key, yearTotals[i] ?? { value: null, suppressed: true, reason: 'NOT_ADDITIVE' });
  });
  return cells;
}

/** A released value as Swedes read it: counts whole, days with a decimal, shares as per cent. */
export function formatValue(value: number, unit: string, language: string): string {
  const locale = language === 'en' ? 'en-GB' : 'sv-SE';
  if (unit === 'share') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 }).format(value);
}
