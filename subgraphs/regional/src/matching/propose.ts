import type { Highs } from 'highs';
import { constraintsMet, exclusionsOf, explainNoFeasibleUnit, isFeasible } from './constraints';
import { loadSolver } from '@sodertorn/solver';
import { buildPairTable } from './pair-table';
import { randomBatch } from './random-batch';
import { scorePair } from './score';
import { solveBatch } from './solve-batch';
import type { MatchOptions, MatchRequest, MatchResult, MatchUnit, Proposal, RankedUnit, UnmatchedRequest } from './types';
import { validateBatch, validateRequest, validateUnit } from './validate';

const DEFAULT_TIME_LIMIT_MS = 10_000;

/**
 * Matches all open requests against all free units at once, maximising the
 * total score (see weights.ts) under the hard constraints (constraints.ts).
 * The answer is optimal unless the time budget ran out (then `optimal` is
 * false and `upperBound` says how far off it can be at most).
 *
 * The solve itself is synchronous WebAssembly: it blocks the event loop for
 * its duration (under a second for 500 requests × 2,000 units; see bench/).
 * Only loading HiGHS, once per process, is asynchronous; call
 * prepareMatching() at start to take that and the warm-up off the first batch.
 *
 * Throws MatchingInputError for malformed input, SolverError if HiGHS fails.
 */
export async function proposePlacements(requests: readonly MatchRequest[], units: readonly MatchUnit[], options: MatchOptions = {}): Promise<MatchResult> {
  validateBatch(requests, units);
  const highs = await matchingSolver();
  const started = performance.now();
  const table = buildPairTable(requests, units);
  const solved = solveBatch(highs, table, Math.max(0, (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS) - (performance.now() - started)));

  const proposals: Proposal[] = [];
  const unmatched: UnmatchedRequest[] = [];
  requests.forEach((request, i) => {
    const j = solved.assignment.unitOf[i]!;
    if (j >= 0) proposals.push({ requestRef: request.ref, ...explainPair(request, units[j]!) });
    else unmatched.push(explainUnmatched(request, units, table.unitsOf[i]!, solved.optimal));
  });
  return {
    proposals,
    unmatched,
    objective: solved.assignment.value,
    optimal: solved.optimal,
    upperBound: solved.upperBound,
    statistics: { ...solved.statistics, feasiblePairs: table.pairCount, solveMs: Math.round(performance.now() - started) },
  };
}

const warmedUp = new WeakSet<Highs>();

/**
 * HiGHS, loaded once and warmed up on a made-up batch that goes through every
 * stage (LP, heuristic, MIP): WebAssembly code starts in V8's baseline tier and
 * is optimised only once it has run, which would otherwise make the first real
 * batch about twice as slow. The warm-up costs about a second, once.
 */
async function matchingSolver(): Promise<Highs> {
  const highs = await loadSolver();
  if (!warmedUp.has(highs)) {
    warmedUp.add(highs);
    const batch = randomBatch({ seed: 1, requests: 200, units: 800, supply: 'tight' });
    solveBatch(highs, buildPairTable(batch.requests, batch.units), 5_000);
  }
  return highs;
}

/** Loads and warms up the solver ahead of the first batch, e.g. when the service starts. */
export async function prepareMatching(): Promise<void> {
  await matchingSolver();
}

/**
 * Every unit that could take this one request, best first (ties by unit ref),
 * with its score and the constraints it meets; at most `limit` of them. For a
 * coordinator handling one urgent request by hand: no solver, no capacity
 * competition with other requests.
 */
export function bestUnitsFor(request: MatchRequest, units: readonly MatchUnit[], limit: number): RankedUnit[] {
  validateRequest(request);
  units.forEach(validateUnit);
  const exclusions = exclusionsOf(request);
  return units
    .filter((unit) => isFeasible(request, unit, exclusions))
    .map((unit) => explainPair(request, unit, exclusions))
    .sort((a, b) => b.score - a.score || (a.unitRef < b.unitRef ? -1 : a.unitRef > b.unitRef ? 1 : 0))
    .slice(0, Math.max(0, limit));
}

function explainPair(request: MatchRequest, unit: MatchUnit, exclusions = exclusionsOf(request)): RankedUnit {
  const { score, parts, notes } = scorePair(request, unit, exclusions);
  return { unitRef: unit.ref, score, parts, constraintsMet: constraintsMet(request, unit, exclusions), scoreNotes: notes };
}

const NAMED_UNITS = 5;

function explainUnmatched(request: MatchRequest, units: readonly MatchUnit[], feasible: Int32Array, optimal: boolean): UnmatchedRequest {
  if (feasible.length === 0) {
    return { requestRef: request.ref, reason: 'NO_FEASIBLE_UNIT', explanation: explainNoFeasibleUnit(request, units) };
  }
  const named = Array.from(feasible.subarray(0, NAMED_UNITS), (j) => units[j]!.ref).join(', ');
  const more = feasible.length > NAMED_UNITS ? ` and ${feasible.length - NAMED_UNITS} more` : '';
  return {
    requestRef: request.ref,
    reason: 'CAPACITY_TAKEN',
    explanation:
      `${feasible.length} unit${feasible.length === 1 ? ' meets' : 's meet'} every constraint (${named}${more}), but their places ` +
      (optimal ? 'go to requests that together score higher' : 'are taken by other proposals (this batch is not proven optimal)'),
  };
}
