import type { Highs } from 'highs';
import { emptyAssignment, greedyFill, roundDown, type Assignment } from './assignment';
import { pairReducedCost, repairDuals, trivialBound, type DualBound } from './dual-bound';
import { SolverError, withModel } from '@sodertorn/solver';
import { MasterLp, type PairColumn } from './master-lp';
import type { PairTable } from './pair-table';
import { bestPattern } from './patterns';
import { solveReducedMip } from './reduced-mip';
import type { SolveStatistics } from './types';

/**
 * Exact batch matching, fast enough for hundreds of requests against
 * thousands of units.
 *
 * The plain integer programme (one binary per feasible pair, Σ sizes ≤ places
 * per unit) is correct but slow: 500 requests × 2,000 units give some 200,000
 * binaries, and HiGHS needs more than a minute for them. Its LP relaxation is
 * weak, too: it packs units with fractions of households. So the engine solves
 * a stronger formulation on a small part of the problem and proves it lost
 * nothing:
 *
 * 0. A greedy assignment; if every request got its best unit, it is optimal.
 * 1. Column generation on the configuration LP (master-lp.ts): start from each
 *    request's best few units and the greedy pairs; solve; price every other
 *    feasible pair and every packing pattern with the duals; add those that
 *    could improve the LP; repeat until none can. That LP's optimum bounds
 *    the integer optimum, usually within a few points or exactly.
 * 2. An assignment from the LP: its pairs at 1, plus a greedy fill.
 * 3. Proof by the dual bound (dual-bound.ts). Objectives are integers, so an
 *    assignment within 1 of the bound is optimal. Otherwise a better one can
 *    only use pairs and patterns whose reduced cost is below the remaining gap:
 *    HiGHS solves the MIP over just those, and its optimum, or ours if that is
 *    higher, is the optimum of the full programme.
 *
 * When the time budget runs out first (or the gap stays too wide for a MIP
 * of sensible size), the best assignment found is returned with optimal:
 * false and the proven upper bound.
 */
export interface BatchSolution {
  assignment: Assignment;
  optimal: boolean;
  upperBound: number;
  statistics: Omit<SolveStatistics, 'feasiblePairs' | 'solveMs'>;
}

/** Each request's best units in the first LP (besides its greedy pair). */
const INITIAL_PAIRS_PER_REQUEST = 5;
/** At most this many improving pairs per request join the LP per round. */
const PAIRS_PER_ROUND = 5;
const MAX_LP_ROUNDS = 200;
/**
 * Reduced-cost threshold of the first MIP. The optimum's pairs usually lie
 * within a few points of the LP bound, so a small MIP tends to find and prove
 * it; the threshold grows (×4) only when it does not.
 */
const FIRST_MIP_THRESHOLD = 4;
/** Larger reduced MIPs are not attempted: HiGHS is unlikely to finish them within a batch's budget. */
const MAX_MIP_PAIRS = 100_000;
/** A column improves the LP only if its reduced cost is below −this. */
const PRICING_TOLERANCE = 1e-6;
/** Slack for floating-point sums when comparing integer objectives with the bound. */
const BOUND_TOLERANCE = 1e-4;

export function solveBatch(highs: Highs, table: PairTable, timeLimitMs: number): BatchSolution {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const secondsLeft = () => Math.max(0.01, (timeLimitMs - elapsed()) / 1000);
  const statistics: BatchSolution['statistics'] = { lpColumns: 0, lpRounds: 0, mipColumns: 0, method: 'greedy' };

  let best = greedyFill(table, emptyAssignment(table));
  let bound = trivialBound(table);
  const provenOptimal = () => bound - best.value < 1 - BOUND_TOLERANCE;
  const finish = (optimal: boolean): BatchSolution => {
    if (!optimal) statistics.method = 'unproven';
    const upperBound = optimal ? best.value : Math.max(best.value, Math.floor(bound + BOUND_TOLERANCE));
    return { assignment: best, optimal, upperBound, statistics };
  };
  const improve = (candidate: Assignment | undefined) => {
    if (candidate && candidate.value > best.value) best = greedyFill(table, candidate);
  };
  if (table.pairCount === 0) {
    statistics.method = 'empty';
    return finish(true);
  }
  if (provenOptimal()) return finish(true);

  // 1–2. Column generation, and an assignment from the final LP.
  statistics.method = 'lp';
  const lp = withModel(highs, (model) => generateColumns(highs, model, table, best, statistics, () => elapsed() >= timeLimitMs, secondsLeft));
  if (lp.duals) bound = Math.min(bound, lp.duals.bound);
  improve(lp.rounded);
  if (provenOptimal()) return finish(true);
  if (!lp.duals || elapsed() >= timeLimitMs) return finish(false);

  // 3. Close the gap with MIPs over what could still matter, widening step by step.
  const duals = lp.duals;
  /** A better assignment uses only pairs and patterns with reduced cost ≤ this (dual-bound.ts). */
  const gap = () => bound - best.value - 1 + BOUND_TOLERANCE;
  let threshold = Math.min(gap(), FIRST_MIP_THRESHOLD);
  try {
    while (elapsed() < timeLimitMs) {
      const candidates = pairsWithin(table, duals, threshold);
      if (candidates.length > MAX_MIP_PAIRS) break;
      statistics.method = 'mip';
      const reduced = solveReducedMip(highs, table, candidates, duals, threshold, secondsLeft());
      statistics.mipColumns = reduced.columns;
      improve(reduced.assignment);
      if (reduced.status !== 'optimal') break;
      // Nothing better within the threshold; and anything better would lie within it.
      if (gap() <= threshold) return finish(true);
      threshold = Math.min(gap(), threshold * 4);
    }
  } catch (error) {
    // HiGHS failed (e.g. out of memory): the assignment in hand is still valid, only unproven.
    if (!(error instanceof SolverError)) throw error;
  }
  return finish(provenOptimal());
}

interface GeneratedColumns {
  /** The best dual bound seen (valid for the full problem). */
  duals?: DualBound;
  /** Rounded assignment from the last LP solved to optimality. */
  rounded?: Assignment;
}

function generateColumns(
  highs: Highs,
  model: ConstructorParameters<typeof MasterLp>[1],
  table: PairTable,
  greedy: Assignment,
  statistics: BatchSolution['statistics'],
  timeUp: () => boolean,
  secondsLeft: () => number,
): GeneratedColumns {
  const stride = Math.max(...table.requests.map((r) => r.householdSize)) + 1;
  const master = new MasterLp(highs, model, table, stride);
  const initial: { request: number; k: number }[] = [];
  table.unitsOf.forEach((units, i) => {
    for (let k = 0; k < Math.min(INITIAL_PAIRS_PER_REQUEST, units.length); k++) initial.push({ request: i, k });
    if (greedy.unitOf[i] !== -1) initial.push({ request: i, k: units.indexOf(greedy.unitOf[i]!) });
  });
  master.addPairs(initial);

  const result: GeneratedColumns = {};
  while (statistics.lpRounds < MAX_LP_ROUNDS && !timeUp()) {
    statistics.lpRounds++;
    if (master.solve(secondsLeft()) === 'time-limit') break;
    const raw = master.prices();
    const duals = repairDuals(table, raw, stride, (j) => master.slotSizes(j));
    if (!result.duals || duals.bound < result.duals.bound) result.duals = duals;
    const values = master.values();
    const pairs = master.columns.flatMap((column, c) => (column.kind === 'pair' ? [{ pair: column, value: values[c]! }] : []));
    result.rounded = greedyFill(table, roundDown(table, pairs));
    statistics.lpColumns = master.columns.length;
    if (addImprovingColumns(table, master, raw, stride) === 0) break;
  }
  if (result.duals) fixedPatternHeuristic(table, master, stride, result, timeUp, secondsLeft);
  return result;
}

/**
 * The primal heuristic of master-lp.ts: patterns fixed to the LP's favourites,
 * then column generation over pairs into those slots until no pair improves.
 * The LP stays a transportation problem, so its optimum is an assignment.
 */
function fixedPatternHeuristic(
  table: PairTable,
  master: MasterLp,
  stride: number,
  result: GeneratedColumns,
  timeUp: () => boolean,
  secondsLeft: () => number,
): void {
  master.fixPatterns();
  let solved = false;
  while (!timeUp()) {
    solved = master.solve(secondsLeft()) === 'optimal';
    if (!solved || addImprovingColumns(table, master, master.prices(), stride, true) === 0) break;
    solved = false;
  }
  if (!solved) return;
  const values = master.values();
  const pairs = master.columns.flatMap((column, c) => (column.kind === 'pair' ? [{ pair: column, value: values[c]! }] : []));
  const heuristic = greedyFill(table, roundDown(table, pairs));
  if (!result.rounded || heuristic.value > result.rounded.value) result.rounded = heuristic;
}

/** Pricing: adds the pairs and patterns with the most negative reduced costs under the LP's duals. Returns how many. */
function addImprovingColumns(table: PairTable, master: MasterLp, raw: ReturnType<MasterLp['prices']>, stride: number, existingSlotsOnly = false): number {
  const slot = (j: number, size: number) => Math.max(0, raw.slot[j * stride + size]!);
  const fresh: { request: number; k: number }[] = [];
  table.requests.forEach((request, i) => {
    const price = Math.max(0, raw.request[i]!);
    const units = table.unitsOf[i]!;
    const scores = table.scoresOf[i]!;
    const improving: { k: number; rc: number }[] = [];
    for (let k = 0; k < units.length; k++) {
      const rc = price + slot(units[k]!, request.householdSize) - scores[k]!;
      if (rc >= -PRICING_TOLERANCE || master.hasPair(i, units[k]!)) continue;
      if (!existingSlotsOnly || master.hasSlot(units[k]!, request.householdSize)) improving.push({ k, rc });
    }
    improving.sort((a, b) => a.rc - b.rc || a.k - b.k);
    for (const { k } of improving.slice(0, PAIRS_PER_ROUND)) fresh.push({ request: i, k });
  });
  let added = master.addPairs(fresh);
  table.units.forEach((unit, j) => {
    const sizes = master.slotSizes(j);
    if (sizes.length === 0) return;
    const best = bestPattern(sizes, (size) => slot(j, size), unit.freePlaces);
    if (best.value > Math.max(0, raw.unit[j]!) + PRICING_TOLERANCE && master.addPattern(j, best.pattern)) added++;
  });
  return added;
}

/** Every feasible pair whose reduced cost is at most `threshold`. */
function pairsWithin(table: PairTable, duals: DualBound, threshold: number): PairColumn[] {
  const pairs: PairColumn[] = [];
  table.unitsOf.forEach((units, i) => {
    const scores = table.scoresOf[i]!;
    const size = table.requests[i]!.householdSize;
    for (let k = 0; k < units.length; k++) {
      if (pairReducedCost(duals, i, units[k]!, size, scores[k]!) <= threshold) pairs.push({ kind: 'pair', request: i, unit: units[k]!, score: scores[k]! });
    }
  });
  return pairs;
}
