import { exclusionsOf } from './constraints';
import { nearestThreat } from './distances';
import type { MatchRequest, MatchUnit, ScoreParts } from './types';
import { distancePoints, fitPoints, urgencyPoints, waitingPoints, WEIGHTS } from './weights';

export interface PairScore {
  score: number;
  parts: ScoreParts;
  /** How each part came about, in words. */
  notes: string[];
}

/** The score parts that depend on the request alone (paid once if it is placed at all). */
export function requestPoints(request: MatchRequest): number {
  return urgencyPoints(request.urgency) + waitingPoints(request.waitingDays);
}

/** Score of placing `request` in `unit`, with its parts and their reasons. See weights.ts. */
export function scorePair(request: MatchRequest, unit: MatchUnit, exclusions: ReadonlySet<string> = exclusionsOf(request)): PairScore {
  const threat = nearestThreat(unit.municipalityCode, exclusions);
  const parts: ScoreParts = {
    urgency: urgencyPoints(request.urgency),
    waiting: waitingPoints(request.waitingDays),
    fit: fitPoints(request.householdSize, unit.freePlaces),
    distance: distancePoints(threat?.km),
  };
  const spare = unit.freePlaces - request.householdSize;
  const waited = Math.floor(request.waitingDays);
  const notes = [
    `urgency ${request.urgency}: ${parts.urgency}`,
    `waiting ${waited} day${waited === 1 ? '' : 's'}${waited > WEIGHTS.waiting.maxDays ? ` (counted up to ${WEIGHTS.waiting.maxDays})` : ''}: ${parts.waiting}`,
    `fit: ${spare === 0 ? 'exact' : `${spare} place${spare === 1 ? '' : 's'} left empty`}: ${parts.fit}`,
    threat
      ? `distance: ${threat.km} km from ${threat.code}, the nearest excluded municipality${threat.km > WEIGHTS.distance.capKm ? ` (counted up to ${WEIGHTS.distance.capKm} km)` : ''}: ${parts.distance}`
      : `distance: unknown for ${unit.municipalityCode}: ${parts.distance}`,
  ];
  return { score: parts.urgency + parts.waiting + parts.fit + parts.distance, parts, notes };
}
