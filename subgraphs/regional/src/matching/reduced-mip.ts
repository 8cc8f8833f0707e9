import type { Highs } from 'highs';
import { assignmentFromPairs, type Assignment } from './assignment';
import { patternReducedCost, type DualBound } from './dual-bound';
import { runWithin, SolverError, withModel } from '@sodertorn/solver';
import type { PairColumn } from './master-lp';
import type { PairTable } from './pair-table';
import { maximalPatterns, patternKey, type Pattern } from './patterns';

/** Units with more maximal patterns than this get a plain capacity row instead (still exact, only weaker). */
const MAX_PATTERNS_PER_UNIT = 256;

export interface ReducedMipResult {
  status: 'optimal' | 'time-limit';
  /** The best assignment HiGHS found, if any. */
  assignment?: Assignment;
  /** Variables in the MIP. */
  columns: number;
}

/**
 * Units that are interchangeable in the reduced problem: same free places,
 * same candidate requests at the same scores, same allowed patterns. Many
 * units are (same municipality, kind and size, differing only in attributes
 * no candidate request cares about), and a MIP over each of them separately is
 * both larger and full of symmetric solutions that branch-and-bound must
 * wade through. A class is one set of variables with the number of units as
 * its capacity; any integer solution for the class splits back into its units
 * (patterns to units, then households to slots of their size).
 */
interface UnitClass {
  units: number[];
  capacity: number;
  pairs: { request: number; score: number }[];
  /** Allowed patterns, or undefined for a unit with too many: then a plain capacity row, never shared. */
  patterns: Pattern[] | undefined;
}

/**
 * Solves the integer programme over `pairs` only, in the configuration
 * formulation of master-lp.ts with integer variables, over classes of
 * interchangeable units. Each unit gets the maximal patterns (over the sizes of
 * its pairs) whose reduced cost is at most `patternThreshold`. Why that loses
 * no better assignment is in dual-bound.ts: a pattern's reduced cost only
 * grows when slots are removed, so an assignment's multiset of sizes in a unit
 * always extends to a maximal pattern with reduced cost no higher.
 */
export function solveReducedMip(
  highs: Highs,
  table: PairTable,
  pairs: readonly PairColumn[],
  duals: DualBound | undefined,
  patternThreshold: number,
  seconds: number,
): ReducedMipResult {
  const classes = classify(table, pairs, duals, patternThreshold);
  const rows = new RowIndex();
  const columns: { entries: [number, number][]; cost: number; upper: number }[] = [];
  const pairColumn: { column: number; unitClass: UnitClass; request: number; score: number }[] = [];
  const patternColumn: { column: number; unitClass: UnitClass; pattern: Pattern }[] = [];

  classes.forEach((unitClass, k) => {
    const count = unitClass.units.length;
    for (const { request, score } of unitClass.pairs) {
      const size = table.requests[request]!.householdSize;
      const capacityEntry: [number, number] = unitClass.patterns ? [rows.of(`s${k}_${size}`, 0), 1] : [rows.of(`c${k}`, unitClass.capacity), size];
      pairColumn.push({ column: columns.length, unitClass, request, score });
      columns.push({ entries: [[rows.of(`r${request}`, 1), 1], capacityEntry], cost: score, upper: 1 });
    }
    for (const pattern of unitClass.patterns ?? []) {
      const entries: [number, number][] = [[rows.of(`u${k}`, count), 1]];
      for (const [size, slots] of pattern) entries.push([rows.of(`s${k}_${size}`, 0), -slots]);
      patternColumn.push({ column: columns.length, unitClass, pattern });
      columns.push({ entries, cost: 0, upper: count });
    }
  });

  const starts = new Int32Array(columns.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  columns.forEach(({ entries }, c) => {
    entries.sort((a, b) => a[0] - b[0]);
    for (const [row, value] of entries) {
      indices.push(row);
      values.push(value);
    }
    starts[c + 1] = indices.length;
  });

  return withModel(highs, (model) => {
    model.passModel({
      numCols: columns.length,
      numRows: rows.upper.length,
      sense: highs.constants.objectiveSense.maximize,
      colCost: columns.map((column) => column.cost),
      colLower: new Float64Array(columns.length),
      colUpper: columns.map((column) => column.upper),
      rowLower: new Float64Array(rows.upper.length).fill(-highs.infinity),
      rowUpper: rows.upper,
      matrix: { format: 'csc', numRows: rows.upper.length, numCols: columns.length, starts, indices, values },
      integrality: new Int32Array(columns.length).fill(highs.constants.variableType.integer),
    });
    model.options.set({ mip_rel_gap: 0 });
    const status = runWithin(highs, model, seconds);
    const found = model.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible;
    if (!found) return { status, columns: columns.length };
    const x = model.getSolution().colValue;
    const chosenPairs = pairColumn.filter(({ column }) => x[column]! > 0.5);
    const chosenPatterns = patternColumn.flatMap((choice) => Array.from({ length: Math.round(x[choice.column]!) }, () => choice));
    return { status, columns: columns.length, assignment: assignmentFromPairs(table, disaggregate(table, chosenPairs, chosenPatterns)) };
  });
}

function classify(table: PairTable, pairs: readonly PairColumn[], duals: DualBound | undefined, patternThreshold: number): UnitClass[] {
  const byUnit = new Map<number, { request: number; score: number }[]>();
  for (const pair of pairs) {
    const list = byUnit.get(pair.unit) ?? [];
    list.push({ request: pair.request, score: pair.score });
    byUnit.set(pair.unit, list);
  }
  const classes = new Map<string, UnitClass>();
  for (const [unit, unitPairs] of byUnit) {
    const capacity = table.units[unit]!.freePlaces;
    const sizes = unitPairs.map(({ request }) => table.requests[request]!.householdSize);
    const patterns = maximalPatterns(sizes, capacity, MAX_PATTERNS_PER_UNIT)?.filter(
      (pattern) => duals === undefined || patternReducedCost(duals, unit, pattern) <= patternThreshold,
    );
    unitPairs.sort((a, b) => a.request - b.request);
    const key = patterns
      ? `${capacity}|${patterns.map(patternKey).sort().join(';')}|${unitPairs.map(({ request, score }) => `${request}:${score}`).join(',')}`
      : `unit ${unit}`;
    const existing = classes.get(key);
    if (existing) existing.units.push(unit);
    else classes.set(key, { units: [unit], capacity, pairs: unitPairs, patterns });
  }
  return [...classes.values()];
}

/** Splits a class-level solution back into units: patterns to units in turn, then households into slots of their size. */
function disaggregate(
  table: PairTable,
  chosenPairs: readonly { unitClass: UnitClass; request: number; score: number }[],
  chosenPatterns: readonly { unitClass: UnitClass; pattern: Pattern }[],
): PairColumn[] {
  const slots = new Map<UnitClass, Map<number, number[]>>();
  const nextUnit = new Map<UnitClass, number>();
  for (const { unitClass, pattern } of chosenPatterns) {
    const index = nextUnit.get(unitClass) ?? 0;
    const unit = unitClass.units[index];
    if (unit === undefined) throw new SolverError('HiGHS chose more patterns than a class has units');
    nextUnit.set(unitClass, index + 1);
    const bySize = slots.get(unitClass) ?? new Map<number, number[]>();
    for (const [size, count] of pattern) bySize.set(size, [...(bySize.get(size) ?? []), ...Array.from({ length: count }, () => unit)]);
    slots.set(unitClass, bySize);
  }
  return chosenPairs.map(({ unitClass, request, score }) => {
    if (!unitClass.patterns) return { kind: 'pair', request, unit: unitClass.units[0]!, score };
    const unit = slots.get(unitClass)?.get(table.requests[request]!.householdSize)?.shift();
    if (unit === undefined) throw new SolverError('HiGHS placed more households than its patterns have slots');
    return { kind: 'pair', request, unit, score };
  });
}

/** Rows by name, created on first use with their upper bound. */
class RowIndex {
  readonly upper: number[] = [];
  private readonly index = new Map<string, number>();

  of(name: string, upper: number): number {
    let row = this.index.get(name);
    if (row === undefined) {
      row = this.upper.length;
      this.index.set(name, row);
      this.upper.push(upper);
    }
    return row;
  }
}
