import { reduceKey } from './cell-key';

/**
 * The cell layout of the joint statistics: shared code, so that every shard
 * computes its cell vector in the same order and the region reads the sum back
 * in that order. Changing it changes what every deployment sends, so the
 * version label goes into every round label and a mixed deployment fails
 * loudly (vectors of the wrong length) instead of summing unlike cells.
 *
 * The vector is made of BLOCKS. A block is one additive integer quantity
 * counted per municipality in SQL (see the municipal subgraph's statistics
 * module) for one calendar year: rows are the four quarters, columns the
 * categories of one dimension, laid out quarter-major. Blocks are summed over
 * the municipalities by secure aggregation, so each must be a plain integer
 * that adds up across municipalities (counts, day sums).
 *
 * DATASETS are what is released. A COUNT dataset is one block released as a
 * table perturbed by the cell key method (cell-key.ts) (`intakes_by_referral_source`, …). A RATIO dataset
 * divides one block by another (average placement length = placement days /
 * placements ended; occupancy = place-days booked / place-days available); a
 * third block, its SUPPORT, counts the people or bookings behind each ratio and
 * decides whether it may be published.
 *
 * A KEYED block counts records (participants, bookings): after all blocks'
 * counts the vector carries, for every cell of every keyed block in the same
 * order, the sum of the cell's record keys (cell-key.ts). Summed over the
 * municipalities like the counts, they give the regional cell keys.
 */
export const STATISTICS_LAYOUT_VERSION = 'v3';

/**
 * The fewest municipalities a secure-aggregation round may have: one alone has
 * no mask, and of two, each could subtract its own vector from the total and
 * have the other's. Shards refuse smaller rounds; the region does not ask.
 */
export const MIN_PARTICIPANTS = 3;

/** Age bands, the same as a placement request's needs profile. */
export const AGE_BANDS = ['UNDER_18', '18_20', '21_25', '26_30', '31_40', '41_PLUS'] as const;
export const GENDERS = ['FEMALE', 'MALE', 'OTHER'] as const;
export const REFERRAL_SOURCES = ['POLICE', 'SOCIAL_SERVICES', 'PRISON_AND_PROBATION', 'SELF', 'OTHER'] as const;
export const EXIT_OUTCOMES = ['COMPLETED', 'DISCONTINUED', 'RELAPSE'] as const;
export const UNIT_KINDS = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'] as const;

export const QUARTERS = [1, 2, 3, 4] as const;

export interface StatisticsBlock {
  /** Stable name, e.g. `intakes.referral_source`. */
  name: string;
  categories: readonly string[];
  /** Whether it counts records and so carries cell keys (day sums do not). */
  keyed: boolean;
}

/**
 * Every block, in vector order. What each counts (per quarter of the year, per
 * category) is defined once, in SQL, in the municipal subgraph's
 * `statistics.service.ts`; docs/statistics-for-bi.md says it in words.
 */
export const STATISTICS_BLOCKS: readonly StatisticsBlock[] = [
  { name: 'intakes.referral_source', categories: REFERRAL_SOURCES, keyed: true },
  { name: 'intakes.age_band', categories: AGE_BANDS, keyed: true },
  { name: 'intakes.gender', categories: GENDERS, keyed: true },
  { name: 'active.age_band', categories: AGE_BANDS, keyed: true },
  { name: 'active.gender', categories: GENDERS, keyed: true },
  { name: 'exits.exit_outcome', categories: EXIT_OUTCOMES, keyed: true },
  { name: 'placements_started.unit_kind', categories: UNIT_KINDS, keyed: true },
  { name: 'placements_ended.unit_kind', categories: UNIT_KINDS, keyed: true },
  { name: 'placement_days_ended.unit_kind', categories: UNIT_KINDS, keyed: false },
  { name: 'place_days_booked.unit_kind', categories: UNIT_KINDS, keyed: false },
  { name: 'place_days_available.unit_kind', categories: UNIT_KINDS, keyed: false },
  { name: 'bookings_overlapping.unit_kind', categories: UNIT_KINDS, keyed: true },
];

interface DatasetBase {
  /** Stable name, used in URLs, GraphQL and the release log. */
  name: string;
  /** What is counted or measured (the `measure` column of the long format). */
  measure: string;
  /** The column dimension (the `dimension` column of the long format). */
  dimension: string;
  /** The unit of `value`: people, placements, days, or a share (0–1). */
  unit: 'people' | 'placements' | 'days' | 'share';
  categories: readonly string[];
  /**
   * Whether the year has a figure of its own: not for `active` (a person active
   * all year would count four times), so its year totals are not released.
   */
  yearTotal: boolean;
}

export interface CountDataset extends DatasetBase {
  kind: 'count';
  block: string;
}

export interface RatioDataset extends DatasetBase {
  kind: 'ratio';
  numerator: string;
  denominator: string;
  /** How many people or bookings stand behind each ratio: a ratio over fewer than the threshold is suppressed. */
  support: string;
  /** Decimals the released value is rounded to. */
  decimals: number;
}

export type StatisticsDataset = CountDataset | RatioDataset;

const count = (name: string, block: string, measure: string, unit: CountDataset['unit'], yearTotal = true): CountDataset => {
  const definition = STATISTICS_BLOCKS.find((b) => b.name === block)!;
  return { kind: 'count', name, block, measure, dimension: block.split('.')[1]!, unit, categories: definition.categories, yearTotal };
};

export const STATISTICS_DATASETS: readonly StatisticsDataset[] = [
  count('intakes_by_referral_source', 'intakes.referral_source', 'intakes', 'people'),
  count('intakes_by_age_band', 'intakes.age_band', 'intakes', 'people'),
  count('intakes_by_gender', 'intakes.gender', 'intakes', 'people'),
  count('active_by_age_band', 'active.age_band', 'active_participants', 'people', false),
  count('active_by_gender', 'active.gender', 'active_participants', 'people', false),
  count('exits_by_outcome', 'exits.exit_outcome', 'exits', 'people'),
  count('placements_started_by_unit_kind', 'placements_started.unit_kind', 'placements_started', 'placements'),
  count('placements_ended_by_unit_kind', 'placements_ended.unit_kind', 'placements_ended', 'placements'),
  {
    kind: 'ratio',
    name: 'average_placement_length_by_unit_kind',
    measure: 'average_placement_length',
    dimension: 'unit_kind',
    unit: 'days',
    categories: UNIT_KINDS,
    numerator: 'placement_days_ended.unit_kind',
    denominator: 'placements_ended.unit_kind',
    support: 'placements_ended.unit_kind',
    decimals: 1,
    yearTotal: true,
  },
  {
    kind: 'ratio',
    name: 'occupancy_by_unit_kind',
    measure: 'occupancy',
    dimension: 'unit_kind',
    unit: 'share',
    categories: UNIT_KINDS,
    numerator: 'place_days_booked.unit_kind',
    denominator: 'place_days_available.unit_kind',
    support: 'bookings_overlapping.unit_kind',
    decimals: 3,
    yearTotal: true,
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

/** The first and last day (ISO dates) of a period label: `2026Q3` → 2026-07-01…2026-09-30, `2026` → the whole year. */
export function periodBounds(period: string): { start: string; end: string } {
  const match = /^([0-9]{4})(?:Q([1-4]))?$/.exec(period);
  if (!match) throw new Error(`not a period label: ${period}`);
  const year = match[1]!;
  if (!match[2]) return { start: `${year}-01-01`, end: `${year}-12-31` };
  const firstMonth = (Number(match[2]) - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  // Day 0 of the month after is the last day of the quarter's last month (30 or 31 for quarter ends).
  const lastDay = new Date(Date.UTC(Number(year), lastMonth, 0)).getUTCDate();
  const month = (m: number) => String(m).padStart(2, '0');
  return { start: `${year}-${month(firstMonth)}-01`, end: `${year}-${month(lastMonth)}-${lastDay}` };
}

/** Number of cells of the whole vector: every block's counts, then every keyed block's key sums. */
export function statisticsVectorLength(): number {
  const cells = (blocks: readonly StatisticsBlock[]) => blocks.reduce((n, b) => n + QUARTERS.length * b.categories.length, 0);
  return cells(STATISTICS_BLOCKS) + cells(STATISTICS_BLOCKS.filter((b) => b.keyed));
}

/** One cell of a block: the quarter (1–4), the category, how many, and for a keyed block the sum of the records' keys. */
export interface StatisticsCount {
  quarter: number;
  category: string;
  count: number;
  keySum?: number;
}

/**
 * Lays the counts of every block out as one vector (blocks in order, each
 * quarter-major), then the key sums of the keyed blocks (modulo 2^16) in the
 * same order. Counts of unknown blocks, categories or quarters are an error;
 * a block without counts is all zeros.
 */
export function toStatisticsVector(counts: Readonly<Record<string, readonly StatisticsCount[]>>): number[] {
  for (const name of Object.keys(counts)) {
    if (!STATISTICS_BLOCKS.some((b) => b.name === name)) throw new RangeError(`unknown statistics block ${name}`);
  }
  const countPart: number[] = [];
  const keyPart: number[] = [];
  for (const block of STATISTICS_BLOCKS) {
    const table = QUARTERS.map(() => block.categories.map(() => 0));
    const keys = QUARTERS.map(() => block.categories.map(() => 0));
    for (const { quarter, category, count: n, keySum } of counts[block.name] ?? []) {
      const column = block.categories.indexOf(category);
      if (column < 0 || !QUARTERS.includes(quarter as 1)) {
        throw new RangeError(`${block.name}: no cell for quarter ${quarter}, category ${category}`);
      }
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${block.name}: a count must be a non-negative integer, got ${n}`);
      if (block.keyed && !Number.isSafeInteger(keySum)) throw new RangeError(`${block.name}: a keyed block's cell needs its key sum`);
      table[quarter - 1]![column]! += n;
      if (block.keyed) keys[quarter - 1]![column] = reduceKey(keys[quarter - 1]![column]! + keySum!);
    }
    countPart.push(...table.flat());
    if (block.keyed) keyPart.push(...keys.flat());
  }
  return [...countPart, ...keyPart];
}

function assertLength(vector: readonly number[]): void {
  if (vector.length !== statisticsVectorLength()) {
    throw new RangeError(`a statistics vector has ${statisticsVectorLength()} cells, got ${vector.length}`);
  }
}

/** Reads one block's table (quarters × categories) back out of a vector laid out by toStatisticsVector. */
export function blockTable(vector: readonly number[], name: string): number[][] {
  assertLength(vector);
  return tableAt(vector, STATISTICS_BLOCKS, name, 0);
}

/** One keyed block's cell keys (quarters × categories), each reduced modulo 2^16, from a vector laid out by toStatisticsVector. */
export function blockKeys(vector: readonly number[], name: string): number[][] {
  assertLength(vector);
  const start = STATISTICS_BLOCKS.reduce((n, b) => n + QUARTERS.length * b.categories.length, 0);
  return tableAt(
    vector,
    STATISTICS_BLOCKS.filter((b) => b.keyed),
    name,
    start,
  ).map((row) => row.map(reduceKey));
}

function tableAt(vector: readonly number[], blocks: readonly StatisticsBlock[], name: string, start: number): number[][] {
  let offset = start;
  for (const block of blocks) {
    const width = block.categories.length;
    if (block.name === name) {
      return QUARTERS.map((_, row) => vector.slice(offset + row * width, offset + (row + 1) * width));
    }
    offset += QUARTERS.length * width;
  }
  throw new RangeError(`no ${start === 0 ? '' : 'keyed '}statistics block ${name}`);
}
