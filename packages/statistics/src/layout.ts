/**
 * The cell layout of the joint statistics: shared code, so that every shard
 * computes its cell vector in the same order and the region reads the sum back
 * in that order. Changing it changes what every deployment sends: add a dataset
 * at the end (new version label) rather than reorder.
 *
 * A dataset is a table for one calendar year: rows are the four quarters
 * (`2026Q1` … `2026Q4`), columns the categories of one dimension. Its cells are
 * counted per municipality in SQL (see the municipal subgraph's statistics
 * module) and laid out row by row (quarter-major); the datasets follow one
 * another in the order of STATISTICS_DATASETS.
 *
 * - `intakes_by_referral_source`: participants by quarter of intake date × referral source.
 * - `exits_by_outcome`: participants by quarter of exit date × exit outcome.
 */
export const STATISTICS_LAYOUT_VERSION = 'v1';

export interface StatisticsDataset {
  /** Stable name, used in URLs and the release log. */
  name: string;
  /** What is counted (the `measure` column of the long format). */
  measure: string;
  /** The column dimension (the `dimension` column of the long format). */
  dimension: string;
  /** The column categories, in order. */
  categories: readonly string[];
}

export const QUARTERS = [1, 2, 3, 4] as const;

export const STATISTICS_DATASETS: readonly StatisticsDataset[] = [
  {
    name: 'intakes_by_referral_source',
    measure: 'intakes',
    dimension: 'referral_source',
    categories: ['POLICE', 'SOCIAL_SERVICES', 'PRISON_AND_PROBATION', 'SELF', 'OTHER'],
  },
  {
    name: 'exits_by_outcome',
    measure: 'exits',
    dimension: 'exit_outcome',
    categories: ['COMPLETED', 'DISCONTINUED', 'RELAPSE'],
  },
];

/** The dataset of this name, or undefined. */
export function statisticsDataset(name: string): StatisticsDataset | undefined {
  return STATISTICS_DATASETS.find((d) => d.name === name);
}

/** `2026Q3`. */
export function periodLabel(year: number, quarter: number): string {
  return `${year}Q${quarter}`;
}

/** Number of cells of the whole vector (all datasets). */
export function statisticsVectorLength(): number {
  return STATISTICS_DATASETS.reduce((n, d) => n + QUARTERS.length * d.categories.length, 0);
}

/** One count of a dataset: the quarter (1–4), the category, how many. */
export interface StatisticsCount {
  quarter: number;
  category: string;
  count: number;
}

/**
 * Lays the counts of every dataset out as one vector (datasets in order, each
 * quarter-major). Counts of unknown categories or quarters are an error.
 */
export function toStatisticsVector(counts: Readonly<Record<string, readonly StatisticsCount[]>>): number[] {
  const vector: number[] = [];
  for (const dataset of STATISTICS_DATASETS) {
    const table = QUARTERS.map(() => dataset.categories.map(() => 0));
    for (const { quarter, category, count } of counts[dataset.name] ?? []) {
      const column = dataset.categories.indexOf(category);
      if (column < 0 || !QUARTERS.includes(quarter as 1)) {
        throw new RangeError(`${dataset.name}: no cell for quarter ${quarter}, category ${category}`);
      }
      table[quarter - 1]![column]! += count;
    }
    vector.push(...table.flat());
  }
  return vector;
}

/** Reads one dataset's table (quarters × categories) back out of a vector laid out by toStatisticsVector. */
export function datasetTable(vector: readonly number[], name: string): number[][] {
  if (vector.length !== statisticsVectorLength()) {
    throw new RangeError(`a statistics vector has ${statisticsVectorLength()} cells, got ${vector.length}`);
  }
  let offset = 0;
  for (const dataset of STATISTICS_DATASETS) {
    const width = dataset.categories.length;
    if (dataset.name === name) {
      return QUARTERS.map((_, row) => vector.slice(offset + row * width, offset + (row + 1) * width));
    }
    offset += QUARTERS.length * width;
  }
  throw new RangeError(`unknown statistics dataset ${name}`);
}
