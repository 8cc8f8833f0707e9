import { exclusionsOf, freeFrom, freeUntil, stayEnd } from './constraints';
import { nearestThreat } from './distances';
import { requestPoints } from './score';
import type { HousingKind, MatchRequest, MatchUnit } from './types';
import { distancePoints, fitPoints } from './weights';

/**
 * Every feasible (request, unit) pair with its score: the variables of the
 * integer programme. Infeasible pairs never become variables.
 *
 * This is the fast form of constraints.ts and score.ts (the tests check that
 * the two agree on random instances): units are grouped by municipality so an
 * excluded municipality is skipped at once, and the distance points are
 * computed once per (request, municipality).
 */
export interface PairTable {
  readonly requests: readonly MatchRequest[];
  readonly units: readonly MatchUnit[];
  /** For request i, the indices of its feasible units, highest score first (then lowest index). */
  readonly unitsOf: readonly Int32Array[];
  /** For request i, the scores matching unitsOf[i]. */
  readonly scoresOf: readonly Float64Array[];
  readonly pairCount: number;
}

const KIND_BIT: Record<HousingKind, number> = { PROTECTED: 1, TRAINING_FLAT: 2, EMERGENCY: 4, SUPPORTED: 8 };

export function buildPairTable(requests: readonly MatchRequest[], units: readonly MatchUnit[]): PairTable {
  const byMunicipality = new Map<string, number[]>();
  units.forEach((unit, j) => {
    const group = byMunicipality.get(unit.municipalityCode);
    if (group) group.push(j);
    else byMunicipality.set(unit.municipalityCode, [j]);
  });
  const kindBit = units.map((unit) => KIND_BIT[unit.kind]);
  const from = units.map(freeFrom);
  const until = units.map(freeUntil);

  const unitsOf: Int32Array[] = [];
  const scoresOf: Float64Array[] = [];
  let pairCount = 0;
  for (const request of requests) {
    const exclusions = exclusionsOf(request);
    const allowed = request.allowedKinds.reduce((mask, kind) => mask | KIND_BIT[kind], 0);
    const base = requestPoints(request);
    const end = stayEnd(request);
    const found: number[] = [];
    const scores: number[] = [];
    for (const [code, group] of byMunicipality) {
      if (exclusions.has(code)) continue;
      const distance = distancePoints(nearestThreat(code, exclusions)?.km);
      for (const j of group) {
        const unit = units[j]!;
        if ((kindBit[j]! & allowed) === 0) continue;
        if (request.householdSize > unit.freePlaces) continue;
        if (request.children > 0 && !unit.suitableForChildren) continue;
        if (request.needsWheelchairAccess && !unit.wheelchairAccessible) continue;
        if (from[j]! > request.earliestStart || end > until[j]!) continue;
        found.push(j);
        scores.push(base + fitPoints(request.householdSize, unit.freePlaces) + distance);
      }
    }
    const order = found.map((_, k) => k).sort((a, b) => scores[b]! - scores[a]! || found[a]! - found[b]!);
    unitsOf.push(Int32Array.from(order, (k) => found[k]!));
    scoresOf.push(Float64Array.from(order, (k) => scores[k]!));
    pairCount += found.length;
  }
  return { requests, units, unitsOf, scoresOf, pairCount };
}
