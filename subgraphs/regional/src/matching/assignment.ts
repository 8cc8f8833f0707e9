import { SolverError } from '@sodertorn/solver';
import type { PairColumn } from './master-lp';
import type { PairTable } from './pair-table';

/** Which unit each request is placed in (−1: none), the places taken in each unit, and the objective. */
export interface Assignment {
  readonly unitOf: Int32Array;
  readonly load: Int32Array;
  value: number;
}

export function emptyAssignment(table: PairTable): Assignment {
  return { unitOf: new Int32Array(table.requests.length).fill(-1), load: new Int32Array(table.units.length), value: 0 };
}

function fits(table: PairTable, assignment: Assignment, i: number, j: number): boolean {
  return assignment.load[j]! + table.requests[i]!.householdSize <= table.units[j]!.freePlaces;
}

function place(table: PairTable, assignment: Assignment, i: number, j: number, score: number): void {
  assignment.unitOf[i] = j;
  assignment.load[j]! += table.requests[i]!.householdSize;
  assignment.value += score;
}

/**
 * The assignment made of `pairs`, as a solver chose them. Anything a correct
 * solver cannot return (a request placed twice, a unit over capacity) is an
 * error, never a proposal.
 */
export function assignmentFromPairs(table: PairTable, pairs: readonly PairColumn[]): Assignment {
  const assignment = emptyAssignment(table);
  for (const pair of pairs) {
    if (assignment.unitOf[pair.request] !== -1 || !fits(table, assignment, pair.request, pair.unit)) {
      throw new SolverError('HiGHS returned an assignment that breaks a capacity or places a request twice');
    }
    place(table, assignment, pair.request, pair.unit, pair.score);
  }
  return assignment;
}

/**
 * Rounds an LP solution down: keeps the pairs at 1 (within tolerance) where
 * they fit, and drops the fractional ones (greedyFill places those requests
 * again where there is room).
 */
export function roundDown(table: PairTable, pairs: readonly { pair: PairColumn; value: number }[]): Assignment {
  const assignment = emptyAssignment(table);
  for (const { pair, value } of pairs) {
    if (!(value >= 1 - 1e-6)) continue;
    if (assignment.unitOf[pair.request] === -1 && fits(table, assignment, pair.request, pair.unit)) {
      place(table, assignment, pair.request, pair.unit, pair.score);
    }
  }
  return assignment;
}

/** The pairs an assignment uses, as columns. */
export function pairsOf(table: PairTable, assignment: Assignment): PairColumn[] {
  const pairs: PairColumn[] = [];
  assignment.unitOf.forEach((unit, request) => {
    if (unit === -1) return;
    const k = table.unitsOf[request]!.indexOf(unit);
    pairs.push({ kind: 'pair', request, unit, score: table.scoresOf[request]![k]! });
  });
  return pairs;
}

/**
 * Places every unplaced request that still fits somewhere, most valuable
 * request first, each in its best unit with room. Every score is positive, so
 * this only ever raises the objective; afterwards an unplaced request has no
 * feasible unit with room left, which is what CAPACITY_TAKEN means.
 */
export function greedyFill(table: PairTable, assignment: Assignment): Assignment {
  const waiting = table.requests
    .map((_, i) => i)
    .filter((i) => assignment.unitOf[i] === -1 && table.unitsOf[i]!.length > 0)
    .sort((a, b) => table.scoresOf[b]![0]! - table.scoresOf[a]![0]! || a - b);
  for (const i of waiting) {
    const units = table.unitsOf[i]!;
    for (let k = 0; k < units.length; k++) {
      if (fits(table, assignment, i, units[k]!)) {
        place(table, assignment, i, units[k]!, table.scoresOf[i]![k]!);
        break;
      }
    }
  }
  return assignment;
}
