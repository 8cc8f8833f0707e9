import type { PairTable } from './pair-table';
import { bestPattern, type Pattern } from './patterns';

/**
 * A feasible solution of the dual of the configuration LP (master-lp.ts), and
 * the upper bound it proves.
 *
 *   min Σ_i π[i] + Σ_j λ[j]
 *   s.t. π[i] + σ[j, size(i)] ≥ score[i,j]        for every feasible pair
 *        λ[j] ≥ Σ_s count_p(s)·σ[j,s]               for every pattern p of unit j
 *        π, σ, λ ≥ 0
 *
 * By weak duality any such prices bound every assignment, integer or not:
 *   objective = bound − Σ rc(pairs used) − Σ rc(patterns used),
 * where the reduced costs rc = π + σ − score (pairs) and λ − Σ count·σ
 * (patterns) are all ≥ 0. Two consequences the solver uses:
 * - an assignment worth `value` with value > bound − 1 is optimal, because
 *   every objective is an integer (weights.ts);
 * - an assignment worth at least value + 1 uses only pairs and patterns with
 *   rc ≤ bound − value − 1, so every other one can be left out of the MIP.
 */
export interface DualBound {
  /** π, one per request. */
  readonly request: Float64Array;
  /** σ, flat by unit·stride + household size. */
  readonly slot: Float64Array;
  readonly stride: number;
  /** λ, one per unit. */
  readonly unit: Float64Array;
  /** Σ π + Σ λ: no assignment scores more. */
  readonly bound: number;
}

/**
 * Turns the row duals HiGHS reports for a restricted LP into a dual solution
 * feasible for *all* pairs and patterns: negative values (solver noise) become
 * 0, each π[i] rises to cover its most violated pair, each λ[j] to the value of
 * the unit's best pattern. The bound is then valid whatever the restricted LP
 * missed; once column generation has converged, nothing rises and the bound
 * is the LP optimum.
 */
export function repairDuals(
  table: PairTable,
  raw: { request: Float64Array; slot: Float64Array; unit: Float64Array },
  stride: number,
  slotSizes: (unit: number) => readonly number[],
): DualBound {
  const slot = raw.slot.map((price) => Math.max(0, price));
  const request = new Float64Array(table.requests.length);
  const unit = new Float64Array(table.units.length);
  let bound = 0;
  table.requests.forEach((r, i) => {
    let price = Math.max(0, raw.request[i]!);
    const units = table.unitsOf[i]!;
    const scores = table.scoresOf[i]!;
    for (let k = 0; k < units.length; k++) {
      const needed = scores[k]! - slot[units[k]! * stride + r.householdSize]!;
      if (needed > price) price = needed;
    }
    request[i] = price;
    bound += price;
  });
  table.units.forEach((u, j) => {
    const best = bestPattern(slotSizes(j), (size) => slot[j * stride + size]!, u.freePlaces).value;
    unit[j] = Math.max(0, raw.unit[j]!, best);
    bound += unit[j]!;
  });
  return { request, slot, stride, unit, bound };
}

/** Reduced cost of placing request i (of `size`) in unit j with `score`. */
export function pairReducedCost(duals: DualBound, i: number, j: number, size: number, score: number): number {
  return duals.request[i]! + duals.slot[j * duals.stride + size]! - score;
}

/** Reduced cost of unit j using `pattern`. */
export function patternReducedCost(duals: DualBound, j: number, pattern: Pattern): number {
  let slots = 0;
  for (const [size, count] of pattern) slots += count * duals.slot[j * duals.stride + size]!;
  return duals.unit[j]! - slots;
}

/** The bound before any LP: every request in its best unit, capacities ignored. */
export function trivialBound(table: PairTable): number {
  return table.scoresOf.reduce((sum, scores) => sum + (scores.length > 0 ? scores[0]! : 0), 0);
}
