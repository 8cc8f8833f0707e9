/**
 * Statistical disclosure control for two-dimensional count tables whose row
 * and column totals are published.
 *
 * 1. Primary suppression: a cell with 0 < value < threshold is suppressed
 *    (reason PRIMARY). The threshold defaults to 5, may be raised, and is never
 *    below 3 (a lower value throws).
 *
 *    Zeros are published. A zero says that nobody is in the cell, which points
 *    at no person; suppressing zeros would cost a great deal of information and
 *    is not the convention of Swedish official statistics either. A zero can
 *    still be suppressed as a complement (SECONDARY) when that is needed to hide
 *    a small cell — but only zeros whose row and column totals are positive:
 *    a cell in a line whose total is 0 is known to be 0 whatever is suppressed.
 *
 * 2. Secondary (complementary) suppression, so that no suppressed value can be
 *    worked out from the published cells and totals:
 *    a. Every row and every column with a suppressed cell gets at least two,
 *       repeated until nothing changes (a new complement may create a lone
 *       suppression in its crossing line). The complement added to a line is its
 *       non-suppressed eligible cell with the smallest positive value — the least
 *       information lost — preferring, among equal values, a cell whose crossing
 *       line already has a suppression (that closes a cycle instead of opening a
 *       new line), then the lowest index (deterministic). A zero is chosen only
 *       when the line has no positive candidate.
 *    b. The two-per-line rule is necessary but not sufficient: combinations of
 *       rows and columns can still pin a cell (e.g. a suppressed block whose other
 *       cells are published zeros). So every suppressed cell is then verified
 *       with a linear programme (`feasibleRange`, HiGHS): minimise and maximise the
 *       cell subject to the published cells, the published row and column totals
 *       and all cells ≥ 0. If some cell's range is narrower than 1, the smallest
 *       eligible cell in its row or column (anywhere, if those are exhausted) is
 *       suppressed as well, rule (a) is applied again, and everything is verified
 *       again — until all ranges are wide enough. This terminates: each pass adds
 *       a suppression, and with every eligible cell suppressed each cell ranges
 *       over max(0, r+c−N) … min(r, c), which is at least 1 wide once at least two
 *       rows and two columns have positive totals (checked up front).
 *
 * Tolerance: a suppressed cell is safe when max − min ≥ 1 − 1e-6. The constraint
 * matrix of a table with margins is totally unimodular, so with integer data
 * the LP optimum is attained at an integer point: a continuous range of at least
 * 1 means at least two integer values are consistent with what is published.
 * The 1e-6 absorbs the solver's floating-point error only. (A stricter policy,
 * e.g. a protection interval of ± the threshold, would change only
 * `MIN_RANGE`; it is not what this module promises.)
 *
 * Tables must have at least two rows and two columns: in a single row every
 * cell equals its column total.
 *
 * A table published next to tables that add up to it (the regional table and
 * the municipal ones) can still be worked out by differencing with them:
 * protectRegionalTable in hierarchy.ts handles that, with the complement rules
 * of this module (`complementRules`).
 */
import { solver } from './solver';

/** Smallest threshold accepted. */
export const MIN_THRESHOLD = 3;
/** Default threshold: cells 1–4 are suppressed. */
export const DEFAULT_THRESHOLD = 5;
/** The feasible range of a suppressed cell must be at least this wide. */
export const MIN_RANGE = 1;
/** Solver tolerance on MIN_RANGE. */
export const RANGE_TOLERANCE = 1e-6;

/**
 * PRIMARY: 0 < value < threshold. SECONDARY: a complement, so that no other
 * suppressed cell can be worked out. DIFFERENCING (regional tables only, see
 * hierarchy.ts): a regional cell that, together with the published municipal
 * tables, would pin a suppressed cell. protectTable gives only the first two.
 */
export type SuppressionReason = 'PRIMARY' | 'SECONDARY' | 'DIFFERENCING';

export interface ProtectedCell {
  /** The count, or null when suppressed. */
  value: number | null;
  suppressed: boolean;
  reason: SuppressionReason | null;
}

export interface ProtectedTable {
  cells: ProtectedCell[][];
  rowTotals: number[];
  columnTotals: number[];
  threshold: number;
}

export interface ProtectTableOptions {
  /** Cells with 0 < value < threshold are suppressed. Default 5; never below 3. */
  threshold?: number;
}

/** The table cannot be published with its totals without disclosing a small cell. */
export class DisclosureError extends Error {
  override readonly name = 'DisclosureError';
}

export interface FeasibleRange {
  min: number;
  max: number;
}

/** @internal Checks the shape and the counts of a plain table. */
export function assertTable(table: readonly (readonly number[])[]): { rows: number; columns: number } {
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  if (rows < 2 || columns < 2) {
    throw new RangeError(`a table needs at least 2 rows and 2 columns, got ${rows} × ${columns}`);
  }
  table.forEach((row, i) => {
    if (row.length !== columns) throw new RangeError(`row ${i} has ${row.length} cells, expected ${columns}`);
    row.forEach((value, j) => {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`cell (${i}, ${j}) must be a non-negative integer, got ${value}`);
      }
    });
  });
  return { rows, columns };
}

/** @internal The row and column totals of a plain table. */
export function totals(table: readonly (readonly number[])[]): { rowTotals: number[]; columnTotals: number[] } {
  const rowTotals = table.map((row) => row.reduce((sum, v) => sum + v, 0));
  const columnTotals = table[0]!.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  return { rowTotals, columnTotals };
}

/**
 * The range of values that suppressed cell (i, j) can take given everything
 * published: the non-suppressed cells, the row totals and the column totals,
 * all cells ≥ 0 (continuous LP, solved with HiGHS; see the module comment for
 * why that equals the integer range).
 *
 * @param table the true counts
 * @param suppressed suppressed[i][j] is true for each suppressed cell
 */
export async function feasibleRange(
  table: readonly (readonly number[])[],
  suppressed: readonly (readonly boolean[])[],
  i: number,
  j: number,
): Promise<FeasibleRange> {
  assertTable(table);
  if (suppressed.length !== table.length || suppressed.some((row, r) => row.length !== table[r]!.length)) {
    throw new RangeError('the suppression mask must have the shape of the table');
  }
  if (!suppressed[i]?.[j]) throw new RangeError(`cell (${i}, ${j}) is not suppressed`);
  const highs = await solver();
  const lp = (sense: 'Minimize' | 'Maximize'): string => rangeLp(table, suppressed, i, j, sense);
  const solve = (sense: 'Minimize' | 'Maximize'): number => {
    const solution = highs.solve(lp(sense), { output_flag: false });
    if (solution.Status !== 'Optimal') {
      throw new Error(`HiGHS could not ${sense.toLowerCase()} cell (${i}, ${j}): ${solution.Status}`);
    }
    return solution.ObjectiveValue;
  };
  return { min: solve('Minimize'), max: solve('Maximize') };
}

/**
 * CPLEX LP text: the suppressed cells are the variables x_r_c ≥ 0 (the LP
 * format's default bounds); each row and column with suppressed cells says that
 * they add up to its total minus its published cells.
 */
function rangeLp(
  table: readonly (readonly number[])[],
  suppressed: readonly (readonly boolean[])[],
  i: number,
  j: number,
  sense: 'Minimize' | 'Maximize',
): string {
  const name = (r: number, c: number): string => `x_${r}_${c}`;
  const constraints: string[] = [];
  const line = (label: string, cells: [number, number][]): void => {
    const hidden = cells.filter(([r, c]) => suppressed[r]![c]);
    if (hidden.length === 0) return;
    const rhs = hidden.reduce((sum, [r, c]) => sum + table[r]![c]!, 0);
    constraints.push(` ${label}: ${hidden.map(([r, c]) => name(r, c)).join(' + ')} = ${rhs}`);
  };
  const rows = table.length;
  const columns = table[0]!.length;
  for (let r = 0; r < rows; r++) line(`row_${r}`, Array.from({ length: columns }, (_, c) => [r, c]));
  for (let c = 0; c < columns; c++) line(`col_${c}`, Array.from({ length: rows }, (_, r) => [r, c]));
  return [sense, ` obj: ${name(i, j)}`, 'Subject To', ...constraints, 'End', ''].join('\n');
}

/**
 * Suppresses the small cells of `table` and enough complementary cells that
 * none of them can be derived from what is published (see the module comment).
 *
 * @throws RangeError for a malformed table or a threshold below 3
 * @throws DisclosureError when a small cell cannot be hidden because fewer than
 *   two rows or two columns have a positive total
 */
export async function protectTable(
  table: readonly (readonly number[])[],
  options: ProtectTableOptions = {},
): Promise<ProtectedTable> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < MIN_THRESHOLD) {
    throw new RangeError(`the threshold must be an integer of at least ${MIN_THRESHOLD}, got ${threshold}`);
  }
  const { rows, columns } = assertTable(table);
  const { rowTotals, columnTotals } = totals(table);

  const reason: (SuppressionReason | null)[][] = table.map((row) =>
    row.map((value) => (value > 0 && value < threshold ? 'PRIMARY' : null)),
  );
  const hasPrimary = reason.some((row) => row.some((r) => r !== null));
  if (hasPrimary) {
    const positiveRows = rowTotals.filter((t) => t > 0).length;
    const positiveColumns = columnTotals.filter((t) => t > 0).length;
    if (positiveRows < 2 || positiveColumns < 2) {
      throw new DisclosureError(
        'the table has small cells but fewer than two rows or columns with a positive total: ' +
          'its totals disclose every cell',
      );
    }
  }

  const rules = complementRules(table, reason, rowTotals, columnTotals);

  /** Rule (b): the first suppressed cell whose LP range is too narrow, if any. */
  const firstUnsafe = async (): Promise<[number, number] | undefined> => {
    const mask = reason.map((row) => row.map((x) => x !== null));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if (!mask[r]![c]) continue;
        const { min, max } = await feasibleRange(table, mask, r, c);
        if (max - min < MIN_RANGE - RANGE_TOLERANCE) return [r, c];
      }
    }
    return undefined;
  };

  if (hasPrimary) {
    for (;;) {
      rules.twoPerLine();
      const unsafe = await firstUnsafe();
      if (!unsafe) break;
      const [r, c] = unsafe;
      const next = rules.complementNear(r, c);
      // Unreachable given the up-front check (see the module comment), kept as a guard.
      if (!next) throw new DisclosureError(`cell (${r}, ${c}) cannot be protected`);
      reason[next[0]]![next[1]] = 'SECONDARY';
    }
  }

  return {
    cells: table.map((row, r) =>
      row.map((value, c) => {
        const why = reason[r]![c] ?? null;
        return why === null ? { value, suppressed: false, reason: null } : { value: null, suppressed: true, reason: why };
      }),
    ),
    rowTotals,
    columnTotals,
    threshold,
  };
}

/** @internal The complement rules of protectTable, acting on a suppression state. */
export interface ComplementRules {
  /** Rule (a): at least two suppressed cells in every line that has one, to a fixpoint (new ones SECONDARY). */
  twoPerLine(): void;
  /**
   * The complement to add when suppressed cell (r, c) is still pinned: the best
   * eligible cell of its row or column, else of the whole table; undefined when
   * no cell is eligible any more. Not suppressed here: the caller gives the reason.
   */
  complementNear(r: number, c: number): [number, number] | undefined;
}

/**
 * @internal The complement rules of protectTable (module comment, 2a and the
 * choice in 2b) over `reason`, which the caller owns and may change between
 * calls. `hideable(r, c)` false marks a cell whose value is public anyway, as a
 * regional cell whose municipal cells are all published (hierarchy.ts):
 * suppressing it hides nothing, so it is never taken as a complement and does
 * not count towards the two-per-line rule. protectTable treats every cell as
 * hideable.
 */
export function complementRules(
  table: readonly (readonly number[])[],
  reason: (SuppressionReason | null)[][],
  rowTotals: readonly number[],
  columnTotals: readonly number[],
  hideable: (r: number, c: number) => boolean = () => true,
): ComplementRules {
  const rows = table.length;
  const columns = table[0]!.length;
  const counts = (r: number, c: number): boolean => reason[r]![c] !== null && hideable(r, c);
  const eligible = (r: number, c: number): boolean =>
    reason[r]![c] === null && rowTotals[r]! > 0 && columnTotals[c]! > 0 && hideable(r, c);
  const rowCount = (r: number): number => reason[r]!.filter((_, c) => counts(r, c)).length;
  const columnCount = (c: number): number => reason.filter((_, r) => counts(r, c)).length;

  /** The best complement among `cells`: smallest positive value, then crossing line already hit, then order. */
  const pick = (cells: [number, number][], crossingCount: (r: number, c: number) => number) => {
    let best: [number, number] | undefined;
    let bestKey: [number, number, number] | undefined;
    for (const [r, c] of cells) {
      if (!eligible(r, c)) continue;
      const value = table[r]![c]!;
      const key: [number, number, number] = [value === 0 ? 1 : 0, value, crossingCount(r, c) > 0 ? 0 : 1];
      if (
        !bestKey ||
        key[0] < bestKey[0] ||
        (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))
      ) {
        best = [r, c];
        bestKey = key;
      }
    }
    return best;
  };
  const rowCells = (r: number): [number, number][] => Array.from({ length: columns }, (_, c) => [r, c]);
  const columnCells = (c: number): [number, number][] => Array.from({ length: rows }, (_, r) => [r, c]);

  return {
    twoPerLine(): void {
      for (let changed = true; changed; ) {
        changed = false;
        for (let r = 0; r < rows; r++) {
          if (rowCount(r) !== 1) continue;
          const cell = pick(rowCells(r), (_, c) => columnCount(c));
          if (!cell) throw new DisclosureError(`no complement available in row ${r}`);
          reason[cell[0]]![cell[1]] = 'SECONDARY';
          changed = true;
        }
        for (let c = 0; c < columns; c++) {
          if (columnCount(c) !== 1) continue;
          const cell = pick(columnCells(c), (r) => rowCount(r));
          if (!cell) throw new DisclosureError(`no complement available in column ${c}`);
          reason[cell[0]]![cell[1]] = 'SECONDARY';
          changed = true;
        }
      }
    },
    complementNear(r: number, c: number): [number, number] | undefined {
      const all: [number, number][] = rowCells(0).flatMap(([, col]) => columnCells(col));
      return (
        pick([...rowCells(r), ...columnCells(c)], (rr, cc) => (rr === r ? columnCount(cc) : rowCount(rr))) ??
        pick(all, (rr, cc) => rowCount(rr) + columnCount(cc))
      );
    },
  };
}
