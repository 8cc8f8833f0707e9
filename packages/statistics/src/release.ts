import { perturbCount, reduceKey } from './cell-key';
import { QUARTERS, blockKeys, blockTable, periodBounds, periodLabel, type CountDataset, type RatioDataset, type StatisticsDataset } from './layout';

/**
 * Why a released value is missing. None of them says anything about the size of
 * a count beyond what the published perturbed values say already:
 * - COARSENED: a municipality's quarter figure of a table too small to publish by quarter (its perturbed year
 *   total, or for active participants every perturbed quarter total, is below COARSEN_FACTOR × threshold):
 *   only the year figures (for active participants, the quarter totals) of that table are published;
 * - PROTECTED: a ratio whose perturbed support (the placements or bookings behind it) is below the threshold,
 *   or a ratio total over such a cell;
 * - NOT_ADDITIVE: a year total of a measure whose quarters do not add up (active participants); not released, not secret;
 * - NO_DATA: a ratio with nothing to divide by; not secret.
 */
export type ReleaseReason = 'COARSENED' | 'PROTECTED' | 'NOT_ADDITIVE' | 'NO_DATA';

/** Reasons that hide a value for privacy (the others say it does not exist). */
const SUPPRESSING: ReadonlySet<ReleaseReason> = new Set(['COARSENED', 'PROTECTED']);

/**
 * A municipal table is published by quarter only when its perturbed year total
 * (for active participants: its largest perturbed quarter total) reaches this
 * many times the threshold, i.e. the threshold per quarter on average. Below
 * that, most of its cells would be published as 0 or be mostly noise.
 */
export const COARSEN_FACTOR = 4;

export interface ReleasedValue {
  /** The perturbed count or the ratio; null when withheld or undefined (see reason). */
  value: number | null;
  /** True when withheld for privacy (COARSENED, PROTECTED). */
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
  /** Per quarter, over all categories (perturbed on its own: not the sum of the published cells). */
  rowTotals: ReleasedValue[];
  /** Per category, over the year (perturbed on its own). */
  columnTotals: ReleasedValue[];
  /** The year, over all categories (perturbed on its own). */
  total: ReleasedValue;
}

const published = (value: number): ReleasedValue => ({ value, suppressed: false, reason: null });
const missing = (reason: ReleaseReason): ReleasedValue => ({ value: null, suppressed: SUPPRESSING.has(reason), reason });

function labelCells(dataset: StatisticsDataset, year: number, values: ReleasedValue[][]): ReleasedCell[] {
  return values.flatMap((row, i) => row.map((value, j) => ({ period: periodLabel(year, QUARTERS[i]!), category: dataset.categories[j]!, ...value })));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const rowOf = (table: readonly (readonly number[])[], i: number) => table[i]!;
const columnOf = (table: readonly (readonly number[])[], j: number) => table.map((row) => row[j]!);

/** A table's counts with the cell keys of the same cells (sums of record keys, any integer; reduced here). */
export interface KeyedCounts {
  counts: readonly (readonly number[])[];
  keys: readonly (readonly number[])[];
}

/**
 * Releases a count dataset by the cell key method (cell-key.ts): every cell and
 * every total is perturbed from its own cell key, the key of a total being the
 * sum of its cells' keys (the sum of its records' keys). Totals are therefore
 * not the sums of the published cells, but the same records give the same
 * value wherever they are counted. With `coarsen` (a municipality's own table),
 * a table too small to publish by quarter gives only its year figures
 * (COARSENED; see COARSEN_FACTOR).
 */
export function releaseCountTable(
  dataset: CountDataset,
  year: number,
  table: KeyedCounts,
  threshold: number,
  options: { coarsen?: boolean } = {},
): ReleasedTable {
  const { counts, keys } = table;
  const perturbed = (cells: readonly number[], cellKeys: readonly number[]) => perturbCount(sum(cells), reduceKey(sum(cellKeys)), threshold);
  const rows = QUARTERS.map((_, i) => i);
  const columns = dataset.categories.map((_, j) => j);
  const cells = rows.map((i) => columns.map((j) => perturbCount(counts[i]![j]!, reduceKey(keys[i]![j]!), threshold)));
  const rowTotals = rows.map((i) => perturbed(rowOf(counts, i), rowOf(keys, i)));
  const columnTotals = columns.map((j) => perturbed(columnOf(counts, j), columnOf(keys, j)));
  const total = perturbed(counts.flat(), keys.flat());
  const size = dataset.yearTotal ? total : Math.max(...rowTotals);
  const coarsened = options.coarsen === true && size < COARSEN_FACTOR * threshold;
  return {
    dataset: dataset.name,
    measure: dataset.measure,
    dimension: dataset.dimension,
    unit: dataset.unit,
    year,
    threshold,
    cells: labelCells(
      dataset,
      year,
      cells.map((row) => row.map((value) => (coarsened ? missing('COARSENED') : published(value)))),
    ),
    // Active participants keep their quarter totals when coarsened: they have no year figures to fall back on.
    rowTotals: rowTotals.map((value) => (coarsened && dataset.yearTotal ? missing('COARSENED') : published(value))),
    columnTotals: columnTotals.map((value) => (dataset.yearTotal ? published(value) : missing('NOT_ADDITIVE'))),
    total: dataset.yearTotal ? published(total) : missing('NOT_ADDITIVE'),
  };
}

/** The plain blocks a ratio dataset is computed from, each quarters × categories, with the support's cell keys. */
export interface RatioInputs {
  numerator: readonly (readonly number[])[];
  denominator: readonly (readonly number[])[];
  support: KeyedCounts;
}

/**
 * Releases a ratio dataset (average placement length, occupancy), regionally.
 *
 * A ratio is published when its support (the placements or bookings behind
 * it), perturbed by the cell key method, reaches the threshold; else it is
 * PROTECTED. For average placement length the support is the placements ended,
 * the same records as that dataset's cell, so the decision shows nothing that
 * table does not. The numerator and denominator are never published, only the
 * rounded ratio. A total (per quarter, per category over the year, the year)
 * is published only when no cell inside it is protected and its own perturbed
 * support reaches the threshold: a total over a protected cell and published
 * ones would let the protected cell's ratio be estimated.
 */
export function releaseRatioTable(dataset: RatioDataset, year: number, inputs: RatioInputs, threshold: number): ReleasedTable {
  const { numerator, denominator, support } = inputs;
  const factor = 10 ** dataset.decimals;
  const over = (cellsOf: [number, number][], inner: ReleasedValue[][] | null): ReleasedValue => {
    if (inner && cellsOf.some(([i, j]) => inner[i]![j]!.reason === 'PROTECTED')) return missing('PROTECTED');
    const people = sum(cellsOf.map(([i, j]) => support.counts[i]![j]!));
    const key = reduceKey(sum(cellsOf.map(([i, j]) => support.keys[i]![j]!)));
    if (perturbCount(people, key, threshold) < threshold) return missing('PROTECTED');
    const [num, den] = [sum(cellsOf.map(([i, j]) => numerator[i]![j]!)), sum(cellsOf.map(([i, j]) => denominator[i]![j]!))];
    return den > 0 ? published(Math.round((num / den) * factor) / factor) : missing('NO_DATA');
  };
  const rows = QUARTERS.map((_, i) => i);
  const columns = dataset.categories.map((_, j) => j);
  const cells = rows.map((i) => columns.map((j) => over([[i, j]], null)));
  const all = rows.flatMap((i) => columns.map((j) => [i, j] as [number, number]));
  return {
    dataset: dataset.name,
    measure: dataset.measure,
    dimension: dataset.dimension,
    unit: dataset.unit,
    year,
    threshold,
    cells: labelCells(dataset, year, cells),
    rowTotals: rows.map((i) =>
      over(
        columns.map((j) => [i, j]),
        cells,
      ),
    ),
    columnTotals: columns.map((j) =>
      dataset.yearTotal
        ? over(
            rows.map((i) => [i, j]),
            cells,
          )
        : missing('NOT_ADDITIVE'),
    ),
    total: dataset.yearTotal ? over(all, cells) : missing('NOT_ADDITIVE'),
  };
}

/**
 * Releases one dataset from a whole statistics vector (counts and cell keys):
 * a municipality's own table in its shard (`coarsen`), or the regional one.
 */
export function releaseDataset(
  dataset: StatisticsDataset,
  year: number,
  vector: readonly number[],
  threshold: number,
  options: { coarsen?: boolean } = {},
): ReleasedTable {
  if (dataset.kind === 'count')
    return releaseCountTable(dataset, year, { counts: blockTable(vector, dataset.block), keys: blockKeys(vector, dataset.block) }, threshold, options);
  const inputs = {
    numerator: blockTable(vector, dataset.numerator),
    denominator: blockTable(vector, dataset.denominator),
    support: { counts: blockTable(vector, dataset.support), keys: blockKeys(vector, dataset.support) },
  };
  return releaseRatioTable(dataset, year, inputs, threshold);
}

/** A municipality's own released table, as its shard sent it. */
export type MunicipalReleasedTable = ReleasedTable & { municipalityCode: string };

/** The code in the long format's `municipality_code` column for regional totals. */
export const REGION_CODE = 'ALL';

/**
 * The stable columns of the flat statistics export (tidy long format, one row
 * per cell or total). Documented in the docs/statistics-for-bi.md; add
 * columns at the end only.
 */
export const STATISTICS_COLUMNS = [
  'period',
  'municipality_code',
  'dimension',
  'category',
  'measure',
  'value',
  'suppressed',
  'reason',
  'unit',
  // Added for BI tools: the period as dates, and which rows are totals (a plain SUM over rows with is_total false counts each record's cell once).
  'period_start',
  'period_end',
  'is_total',
] as const;
export type StatisticsRow = Record<(typeof STATISTICS_COLUMNS)[number], string | number | boolean | null>;

/**
 * A released table in the long format: every cell, then each quarter's TOTAL,
 * then the year's figure per category and its TOTAL (period `2026`). Totals
 * that do not exist (NOT_ADDITIVE) are left out.
 */
export function longFormatRows(table: ReleasedTable, municipalityCode: string): StatisticsRow[] {
  const row = (period: string, category: string, value: ReleasedValue): StatisticsRow => {
    const { start, end } = periodBounds(period);
    return {
      period,
      municipality_code: municipalityCode,
      dimension: table.dimension,
      category,
      measure: table.measure,
      value: value.value,
      suppressed: value.suppressed,
      reason: value.reason,
      unit: table.unit,
      period_start: start,
      period_end: end,
      // A quarter's TOTAL, or any year figure (a year is the sum of its quarters).
      is_total: category === 'TOTAL' || !period.includes('Q'),
    };
  };
  const year = String(table.year);
  const categories = table.cells.slice(0, table.columnTotals.length).map((c) => c.category);
  return [
    ...table.cells.map((cell) => row(cell.period, cell.category, cell)),
    ...table.rowTotals.map((total, i) => row(periodLabel(table.year, QUARTERS[i]!), 'TOTAL', total)),
    ...table.columnTotals.map((total, j) => row(year, categories[j]!, total)),
    row(year, 'TOTAL', table.total),
  ].filter((r) => r.reason !== 'NOT_ADDITIVE');
}
