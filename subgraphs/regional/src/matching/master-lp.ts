import type { Highs, Model } from 'highs';
import { runWithin } from '@sodertorn/solver';
import type { PairTable } from './pair-table';
import { maximalPatterns, patternKey, type Pattern } from './patterns';

/** A pair column: request placed in unit, with the pair's score. */
export interface PairColumn {
  kind: 'pair';
  request: number;
  unit: number;
  score: number;
}

/** A pattern column: unit hosts households of these sizes (see patterns.ts). */
export interface PatternColumn {
  kind: 'pattern';
  unit: number;
  pattern: Pattern;
}

export type MasterColumn = PairColumn | PatternColumn;

/** Maximal patterns added per unit up front; larger units get theirs by pricing instead. */
const PATTERNS_UP_FRONT = 32;

/**
 * The restricted master LP of column generation, on one persistent HiGHS model
 * that is re-solved warm (primal simplex from the previous basis) each time
 * columns are added: a re-solve costs milliseconds, a fresh solve far more.
 *
 * The configuration formulation:
 *
 *   max Σ score·x
 *   request i:        Σ_j x[i,j] ≤ 1
 *   slot (j, s):      Σ_{i of size s} x[i,j] − Σ_p count_p(s)·y[j,p] ≤ 0
 *   unit j:           Σ_p y[j,p] ≤ 1
 *   x, y ≥ 0
 *
 * Rows for a unit and its slots appear only when a pair column needs them.
 */
export class MasterLp {
  readonly columns: MasterColumn[] = [];
  private rowCount: number;
  /** Row of each unit's pattern choice, −1 until needed. */
  private readonly unitRow: Int32Array;
  /** Row of each (unit, household size) slot, −1 until needed; index unit·stride + size. */
  private readonly slotRow: Int32Array;
  private readonly sizesOf: number[][];
  private readonly pairsOf: Set<number>[];
  private readonly patternsOf: Set<string>[];
  /** Once patterns are fixed, new pairs may only use existing slots and no pattern may be added. */
  private patternsFixed = false;

  constructor(
    private readonly highs: Highs,
    private readonly model: Model,
    private readonly table: PairTable,
    /** One more than the largest household size: the slot index stride. */
    readonly stride: number,
  ) {
    const requests = table.requests.length;
    this.unitRow = new Int32Array(table.units.length).fill(-1);
    this.slotRow = new Int32Array(table.units.length * stride).fill(-1);
    this.sizesOf = table.units.map(() => []);
    this.pairsOf = table.requests.map(() => new Set());
    this.patternsOf = table.units.map(() => new Set());
    model.options.set({ presolve: 'off', simplex_strategy: 4 });
    this.addEmptyRows(new Float64Array(requests).fill(1));
    this.rowCount = requests;
  }

  hasPair(request: number, unit: number): boolean {
    return this.pairsOf[request]!.has(unit);
  }

  /** The household sizes that have slot rows in `unit`. */
  slotSizes(unit: number): readonly number[] {
    return this.sizesOf[unit]!;
  }

  /** Adds pair columns (ignoring those already present), the rows they need, and starting patterns. */
  addPairs(pairs: readonly { request: number; k: number }[]): number {
    const fresh: PairColumn[] = [];
    const newRows: number[] = [];
    const grown = new Set<number>();
    for (const { request, k } of pairs) {
      const unit = this.table.unitsOf[request]![k]!;
      if (this.pairsOf[request]!.has(unit)) continue;
      if (this.patternsFixed && !this.hasSlot(unit, this.table.requests[request]!.householdSize)) continue;
      this.pairsOf[request]!.add(unit);
      fresh.push({ kind: 'pair', request, unit, score: this.table.scoresOf[request]![k]! });
      if (this.unitRow[unit] === -1) {
        this.unitRow[unit] = this.rowCount + newRows.length;
        newRows.push(1);
      }
      const size = this.table.requests[request]!.householdSize;
      if (this.slotRow[unit * this.stride + size] === -1) {
        this.slotRow[unit * this.stride + size] = this.rowCount + newRows.length;
        newRows.push(0);
        this.sizesOf[unit]!.push(size);
        grown.add(unit);
      }
    }
    if (newRows.length > 0) {
      this.addEmptyRows(Float64Array.from(newRows));
      this.rowCount += newRows.length;
    }
    const patterns: PatternColumn[] = [];
    for (const unit of grown) {
      const capacity = this.table.units[unit]!.freePlaces;
      const sizes = this.sizesOf[unit]!;
      const all = maximalPatterns(sizes, capacity, PATTERNS_UP_FRONT) ?? sizes.map((size) => new Map([[size, Math.floor(capacity / size)]]));
      for (const pattern of all) patterns.push(...this.freshPattern(unit, pattern));
    }
    this.addColumns([...fresh, ...patterns]);
    return fresh.length;
  }

  /** Adds a pattern column unless the unit already has it. */
  addPattern(unit: number, pattern: Pattern): boolean {
    if (this.patternsFixed) return false;
    const fresh = this.freshPattern(unit, pattern);
    this.addColumns(fresh);
    return fresh.length > 0;
  }

  solve(seconds: number): 'optimal' | 'time-limit' {
    return runWithin(this.highs, this.model, seconds);
  }

  /** Row duals of the last solve: π per request, σ per slot (flat, unit·stride + size; 0 without a row), λ per unit. */
  prices(): { request: Float64Array; slot: Float64Array; unit: Float64Array } {
    const dual = this.model.getSolution().rowDual;
    const request = Float64Array.from({ length: this.table.requests.length }, (_, i) => dual[i]!);
    const slot = Float64Array.from(this.slotRow, (row) => (row === -1 ? 0 : dual[row]!));
    const unit = Float64Array.from(this.unitRow, (row) => (row === -1 ? 0 : dual[row]!));
    return { request, slot, unit };
  }

  /** Column values of the last solve, parallel to `columns`. */
  values(): Float64Array {
    return this.model.getSolution().colValue;
  }

  objective(): number {
    return this.model.getObjectiveValue();
  }

  /** Whether `unit` has a slot row for households of `size` (so a pair there adds no row). */
  hasSlot(unit: number, size: number): boolean {
    return this.slotRow[unit * this.stride + size] !== -1;
  }

  /**
   * Starts the primal heuristic: gives each unit the pattern the LP uses most
   * and fixes it (y = 1, all its other patterns 0). With every pattern fixed
   * the rest is a transportation problem (requests to slots, integral
   * capacities), whose LP optimum is integral. After this, solve() and pair
   * pricing into existing slots (hasSlot) find the best assignment for these
   * patterns.
   */
  fixPatterns(): void {
    const values = this.values();
    const chosen = new Map<number, number>();
    this.columns.forEach((column, c) => {
      if (column.kind !== 'pattern') return;
      const current = chosen.get(column.unit);
      if (current === undefined || values[c]! > values[current]! + 1e-9) chosen.set(column.unit, c);
    });
    const patternColumns = this.columns.flatMap((column, c) => (column.kind === 'pattern' ? [c] : []));
    this.patternsFixed = true;
    if (patternColumns.length === 0) return;
    const bound = Float64Array.from(patternColumns, (c) => (chosen.get(this.columns[c]!.unit) === c ? 1 : 0));
    this.model.changeColsBounds({ kind: 'set', indices: patternColumns }, bound, bound);
  }

  private freshPattern(unit: number, pattern: Pattern): PatternColumn[] {
    const key = patternKey(pattern);
    if (this.patternsOf[unit]!.has(key)) return [];
    this.patternsOf[unit]!.add(key);
    return [{ kind: 'pattern', unit, pattern }];
  }

  private addEmptyRows(upper: Float64Array): void {
    const n = upper.length;
    this.model.addRows({
      lower: new Float64Array(n).fill(-this.highs.infinity),
      upper,
      matrix: {
        format: 'csr',
        numRows: n,
        numCols: this.columns.length,
        starts: new Int32Array(n + 1),
        indices: new Int32Array(0),
        values: new Float64Array(0),
      },
    });
  }

  private addColumns(columns: readonly MasterColumn[]): void {
    if (columns.length === 0) return;
    const starts = new Int32Array(columns.length + 1);
    const indices: number[] = [];
    const values: number[] = [];
    const cost = new Float64Array(columns.length);
    columns.forEach((column, c) => {
      const entries: [number, number][] = [];
      if (column.kind === 'pair') {
        cost[c] = column.score;
        entries.push([column.request, 1], [this.slotRow[column.unit * this.stride + this.table.requests[column.request]!.householdSize]!, 1]);
      } else {
        entries.push([this.unitRow[column.unit]!, 1]);
        for (const [size, count] of column.pattern) {
          const row = this.slotRow[column.unit * this.stride + size]!;
          if (row !== -1) entries.push([row, -count]);
        }
      }
      entries.sort((a, b) => a[0] - b[0]);
      for (const [row, value] of entries) {
        indices.push(row);
        values.push(value);
      }
      starts[c + 1] = indices.length;
    });
    this.model.addCols({
      cost,
      lower: new Float64Array(columns.length),
      upper: new Float64Array(columns.length).fill(this.highs.infinity),
      matrix: { format: 'csc', numRows: this.rowCount, numCols: columns.length, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
    });
    this.columns.push(...columns);
  }
}
