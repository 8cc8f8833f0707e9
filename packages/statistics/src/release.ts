import { DisclosureError, protectTable } from './disclosure-control';
import { QUARTERS, periodLabel, type StatisticsDataset } from './layout';

/**
 * Why a released cell is suppressed: PRIMARY (0 < value < threshold), SECONDARY
 * (a complement, so that no small cell can be worked back out of the totals),
 * or TABLE (the table could not be protected with its totals — too few
 * positive rows or columns — so every positive cell and every total is withheld).
 */
export type ReleaseReason = 'PRIMARY' | 'SECONDARY' | 'TABLE';

export interface ReleasedCell {
  /** `2026Q3`. */
  period: string;
  category: string;
  /** The count, or null when suppressed. */
  value: number | null;
  suppressed: boolean;
  reason: ReleaseReason | null;
}

/** A table after disclosure control: safe to release. */
export interface ReleasedTable {
  dataset: string;
  measure: string;
  dimension: string;
  year: number;
  threshold: number;
  /** Row by row (quarter-major), in the dataset's category order. */
  cells: ReleasedCell[];
  /** Per quarter; null when withheld (reason TABLE). */
  rowTotals: (number | null)[];
  /** Per category; null when withheld (reason TABLE). */
  columnTotals: (number | null)[];
}

/**
 * Applies disclosure control (protectTable: primary threshold, secondary
 * suppression verified by LP) to one dataset's plain table (quarters × categories)
 * and lays it out for release.
 */
export async function releaseTable(dataset: StatisticsDataset, year: number, table: readonly (readonly number[])[], threshold: number): Promise<ReleasedTable> {
  const base = { dataset: dataset.name, measure: dataset.measure, dimension: dataset.dimension, year, threshold };
  const label = (row: number, column: number) => ({ period: periodLabel(year, QUARTERS[row]!), category: dataset.categories[column]! });
  try {
    const protectedTable = await protectTable(table, { threshold });
    return {
      ...base,
      threshold: protectedTable.threshold,
      cells: protectedTable.cells.flatMap((row, i) => row.map((cell, j) => ({ ...label(i, j), value: cell.value, suppressed: cell.suppressed, reason: cell.reason }))),
      rowTotals: protectedTable.rowTotals,
      columnTotals: protectedTable.columnTotals,
    };
  } catch (error) {
    if (!(error instanceof DisclosureError)) throw error;
    return {
      ...base,
      cells: table.flatMap((row, i) =>
        row.map((value, j) => (value === 0 ? { ...label(i, j), value: 0, suppressed: false, reason: null } : { ...label(i, j), value: null, suppressed: true, reason: 'TABLE' as const })),
      ),
      rowTotals: table.map(() => null),
      columnTotals: dataset.categories.map(() => null),
    };
  }
}
