import { DisclosureError, protectTable, type ProtectedTable } from './disclosure-control';
import { protectRegionalTable, type PublishedMunicipalTable } from './hierarchy';
import { QUARTERS, blockTable, periodLabel, type CountDataset, type RatioDataset, type StatisticsDataset } from './layout';

/**
 * Why a released value is missing:
 * - PRIMARY: a count with 0 < value < threshold, or a ratio over fewer people or bookings than the threshold;
 * - SECONDARY: a complement, so that no small cell can be worked back out of the published cells and totals
 *   (for a ratio's total: a cell of its line is suppressed);
 * - DIFFERENCING: a regional cell that, subtracted from the published municipal tables, would pin a suppressed municipal cell;
 * - TABLE: the table could not be protected with its totals (too few positive rows or columns), so every positive cell and every total is withheld;
 * - NOT_ADDITIVE: a year total of a measure whose quarters do not add up (active participants); not released, not secret;
 * - NO_DATA: a ratio with nothing to divide by (no placement ended, no place available); not secret.
 */
export type ReleaseReason = 'PRIMARY' | 'SECONDARY' | 'DIFFERENCING' | 'TABLE' | 'NOT_ADDITIVE' | 'NO_DATA';

/** Reasons that hide a value for privacy (the others say it does not exist). */
const SUPPRESSING: ReadonlySet<ReleaseReason> = new Set(['PRIMARY', 'SECONDARY', 'DIFFERENCING', 'TABLE']);

export interface ReleasedValue {
  /** The count or ratio; null when suppressed or undefined (see reason). */
  value: number | null;
  /** True when withheld for privacy (PRIMARY, SECONDARY, DIFFERENCING, TABLE). */
  suppressed: boolean;
  reason: ReleaseReason | null;
}

export interface ReleasedCell extends ReleasedValue {
  /** `2026Q3`. */
  period: string;
  category: string;
}

/** A table after disclosure control: safe to release. */
export interface ReleasedTable {
  dataset: string;
  measure: string;
  dimension: string;
  unit: StatisticsDataset['unit'];
  year: number;
  threshold: number;
  /** Row by row (quarter-major), in the dataset's category order. */
  cells: ReleasedCell[];
  /** Per quarter, over all categories. */
  rowTotals: ReleasedValue[];
  /** Per category, over the year. */
  columnTotals: ReleasedValue[];
  /** The year, over all categories. */
  total: ReleasedValue;
}

const published = (value: number): ReleasedValue => ({ value, suppressed: false, reason: null });
const missing = (reason: ReleaseReason): ReleasedValue => ({ value: null, suppressed: SUPPRESSING.has(reason), reason });

function labelCells(dataset: StatisticsDataset, year: number, values: ReleasedValue[][]): ReleasedCell[] {
  return values.flatMap((row, i) => row.map((value, j) => ({ period: periodLabel(year, QUARTERS[i]!), category: dataset.categories[j]!, ...value })));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Releases a count dataset: primary and secondary suppression (protectTable),
 * or, when `municipal` tables are given (the region), the joint protection of
 * the regional table against differencing with them (protectRegionalTable).
 * Row totals (per quarter) and, for additive measures, the year totals are
 * published; a table that cannot be protected is withheld (TABLE), or with
 * `strict`, the DisclosureError is thrown.
 */
export async function releaseCountTable(
  dataset: CountDataset,
  year: number,
  table: readonly (readonly number[])[],
  threshold: number,
  municipal?: readonly PublishedMunicipalTable[],
  options: { strict?: boolean } = {},
): Promise<ReleasedTable> {
  const base = { dataset: dataset.name, measure: dataset.measure, dimension: dataset.dimension, unit: dataset.unit, year };
  let protectedTable: ProtectedTable;
  try {
    protectedTable = municipal ? await protectRegionalTable(table, municipal, { threshold }) : await protectTable(table, { threshold });
  } catch (error) {
    if (!(error instanceof DisclosureError) || options.strict) throw error;
    return {
      ...base,
      threshold,
      // A zero is public anyway, unless a municipal table hides a cell under it: then the zero would give that cell away.
      cells: labelCells(dataset, year, table.map((row, i) => row.map((value, j) => (value === 0 && !municipal?.some((m) => m.cells[i]![j] === null) ? published(0) : missing('TABLE'))))),
      rowTotals: table.map(() => missing('TABLE')),
      columnTotals: dataset.categories.map(() => missing(dataset.yearTotal ? 'TABLE' : 'NOT_ADDITIVE')),
      total: missing(dataset.yearTotal ? 'TABLE' : 'NOT_ADDITIVE'),
    };
  }
  return {
    ...base,
    threshold: protectedTable.threshold,
    cells: labelCells(dataset, year, protectedTable.cells.map((row) => row.map((cell) => (cell.suppressed ? missing(cell.reason!) : published(cell.value!))))),
    rowTotals: protectedTable.rowTotals.map(published),
    columnTotals: protectedTable.columnTotals.map((value) => (dataset.yearTotal ? published(value) : missing('NOT_ADDITIVE'))),
    total: dataset.yearTotal ? published(sum(protectedTable.rowTotals)) : missing('NOT_ADDITIVE'),
  };
}

/** The plain blocks a ratio dataset is computed from, each quarters × categories. */
export interface RatioInputs {
  numerator: readonly (readonly number[])[];
  denominator: readonly (readonly number[])[];
  support: readonly (readonly number[])[];
}

/**
 * Releases a ratio dataset (average placement length, occupancy).
 *
 * A ratio is published when the people or bookings behind it (its support) are
 * none or at least the threshold; otherwise it is suppressed (PRIMARY). Neither
 * the numerator, the denominator nor the support is published, only the
 * rounded ratio. A total (per quarter, per category over the year, the year) is
 * published only when no cell inside it is suppressed (else SECONDARY): a total
 * over a suppressed cell and published ones would let a small group's figure be
 * worked back out, and no complement suppression is needed this way.
 */
export function releaseRatioTable(dataset: RatioDataset, year: number, inputs: RatioInputs, threshold: number): ReleasedTable {
  const { numerator, denominator, support } = inputs;
  const factor = 10 ** dataset.decimals;
  const ratio = (num: number, den: number): ReleasedValue => (den > 0 ? published(Math.round((num / den) * factor) / factor) : missing('NO_DATA'));
  const cells = support.map((row, i) =>
    row.map((people, j) => (people > 0 && people < threshold ? missing('PRIMARY') : ratio(numerator[i]![j]!, denominator[i]![j]!))),
  );
  const rows = QUARTERS.map((_, i) => i);
  const columns = dataset.categories.map((_, j) => j);
  const over = (cellsOf: [number, number][]): ReleasedValue => {
    if (cellsOf.some(([i, j]) => cells[i]![j]!.suppressed)) return missing('SECONDARY');
    return ratio(sum(cellsOf.map(([i, j]) => numerator[i]![j]!)), sum(cellsOf.map(([i, j]) => denominator[i]![j]!)));
  };
  const all = rows.flatMap((i) => columns.map((j) => [i, j] as [number, number]));
  return {
    dataset: dataset.name,
    measure: dataset.measure,
    dimension: dataset.dimension,
    unit: dataset.unit,
    year,
    threshold,
    cells: labelCells(dataset, year, cells),
    rowTotals: rows.map((i) => over(columns.map((j) => [i, j]))),
    columnTotals: columns.map((j) => (dataset.yearTotal ? over(rows.map((i) => [i, j])) : missing('NOT_ADDITIVE'))),
    total: dataset.yearTotal ? over(all) : missing('NOT_ADDITIVE'),
  };
}

/**
 * Releases one dataset from a whole statistics vector: a municipality's own
 * table (in its shard), or the regional one without municipal tables.
 */
export async function releaseDataset(dataset: StatisticsDataset, year: number, vector: readonly number[], threshold: number): Promise<ReleasedTable> {
  if (dataset.kind === 'count') return releaseCountTable(dataset, year, blockTable(vector, dataset.block), threshold);
  const inputs = { numerator: blockTable(vector, dataset.numerator), denominator: blockTable(vector, dataset.denominator), support: blockTable(vector, dataset.support) };
  return releaseRatioTable(dataset, year, inputs, threshold);
}

/** A municipality's own released table, as its shard sent it. */
export type MunicipalReleasedTable = ReleasedTable & { municipalityCode: string };

/**
 * The region's release of one dataset: the regional table from the summed
 * vector and, for a count dataset, the covered municipalities' own tables
 * beside it, protected together against differencing (protectRegionalTable).
 *
 * A municipal table that its shard could only protect by withholding its totals
 * would have them given back by the regional totals minus the other
 * municipalities' totals. Then the municipal totals are left out of this
 * release (DIFFERENCING) and the regional table is protected without them;
 * only if that fails too is the regional table withheld (TABLE). A ratio
 * dataset is released regionally only.
 */
export async function releaseRegionalDataset(
  dataset: StatisticsDataset,
  year: number,
  vector: readonly number[],
  threshold: number,
  municipal: readonly MunicipalReleasedTable[],
): Promise<{ regional: ReleasedTable; municipal: MunicipalReleasedTable[] }> {
  if (dataset.kind === 'ratio') return { regional: await releaseDataset(dataset, year, vector, threshold), municipal: [] };
  const table = blockTable(vector, dataset.block);
  const withTotals = municipal.map((m) => publishedCounts(m, m.municipalityCode));
  try {
    return { regional: await releaseCountTable(dataset, year, table, threshold, withTotals, { strict: true }), municipal: [...municipal] };
  } catch (error) {
    if (!(error instanceof DisclosureError)) throw error;
  }
  const withoutTotals = municipal.map(withheldTotals);
  const regional = await releaseCountTable(dataset, year, table, threshold, withoutTotals.map((m) => publishedCounts(m, m.municipalityCode)));
  return { regional, municipal: withoutTotals };
}

/** The same municipal table with every total left out (DIFFERENCING), its cells as they were. */
function withheldTotals(table: MunicipalReleasedTable): MunicipalReleasedTable {
  const hide = (total: ReleasedValue): ReleasedValue => (total.reason === 'NOT_ADDITIVE' || total.suppressed ? total : missing('DIFFERENCING'));
  return { ...table, rowTotals: table.rowTotals.map(hide), columnTotals: table.columnTotals.map(hide), total: hide(table.total) };
}

/** What a released municipal table says to the region's joint protection: published cells and totals, null where withheld. */
export function publishedCounts(table: ReleasedTable, municipalityCode: string): PublishedMunicipalTable {
  const width = table.columnTotals.length;
  return {
    municipalityCode,
    cells: table.rowTotals.map((_, i) => table.cells.slice(i * width, (i + 1) * width).map((c) => c.value)),
    rowTotals: table.rowTotals.map((t) => t.value),
    columnTotals: table.columnTotals.map((t) => t.value),
  };
}

/** The code in the long format's `municipality_code` column for regional totals. */
export const REGION_CODE = 'ALL';

/**
 * The stable columns of the flat statistics export (tidy long format, one row
 * per cell or total). Documented in the README ("Statistics for BI tools"); add
 * columns at the end only.
 */
export const STATISTICS_COLUMNS = ['period', 'municipality_code', 'dimension', 'category', 'measure', 'value', 'suppressed', 'reason', 'unit'] as const;
export type StatisticsRow = Record<(typeof STATISTICS_COLUMNS)[number], string | number | boolean | null>;

/**
 * A released table in the long format: every cell, then each quarter's TOTAL,
 * then the year's figure per category and its TOTAL (period `2026`). Totals
 * that do not exist (NOT_ADDITIVE) are left out.
 */
export function longFormatRows(table: ReleasedTable, municipalityCode: string): StatisticsRow[] {
  const row = (period: string, category: string, value: ReleasedValue): StatisticsRow => ({
    period,
    municipality_code: municipalityCode,
    dimension: table.dimension,
    category,
    measure: table.measure,
    value: value.value,
    suppressed: value.suppressed,
    reason: value.reason,
    unit: table.unit,
  });
  const year = String(table.year);
  const categories = table.cells.slice(0, table.columnTotals.length).map((c) => c.category);
  return [
    ...table.cells.map((cell) => row(cell.period, cell.category, cell)),
    ...table.rowTotals.map((total, i) => row(periodLabel(table.year, QUARTERS[i]!), 'TOTAL', total)),
    ...table.columnTotals.map((total, j) => row(year, categories[j]!, total)),
    row(year, 'TOTAL', table.total),
  ].filter((r) => r.reason !== 'NOT_ADDITIVE');
}
