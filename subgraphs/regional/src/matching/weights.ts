import type { UrgencyLevel } from './types';

/**
 * Every weight of the matching score, in one place.
 *
 * A pair's score is urgency + waiting + fit + distance; a batch maximises the sum
 * over the proposed pairs. All parts are integers, so objectives are exact
 * integers: the solver uses that to prove optimality (a better assignment would
 * be at least 1 point better), and tests compare objectives with ===.
 *
 * Why these numbers:
 * - **urgency** is paid once for placing the request at all, and dominates.
 *   Any non-IMMEDIATE pair scores at most 300 + 90 + 50 + 50 = 490. Take an IMMEDIATE household of
 *   s people left unmatched while a unit it could use holds non-IMMEDIATE requests.
 *   To make room for it we remove at most s of those requests (each is at least
 *   one person). That loses at most 490·s points and gains at least 10 000.
 *   So for every household of up to 20 people (490·20 < 10 000) that swap
 *   improves the objective, and an optimal batch never leaves an IMMEDIATE request
 *   unmatched in favour of HIGH or NORMAL ones that occupy a unit it could use.
 *   HIGH (300) is more than any NORMAL pair (100 + 90 + 50 + 50 = 290), so a HIGH
 *   single always beats a NORMAL request for a place. Larger HIGH households
 *   compete with several NORMAL singles on points, which is deliberate: HIGH is
 *   not "tonight".
 * - **waiting** ranks requests within an urgency, one point a day, capped at 90
 *   days so that waiting never outranks urgency (NORMAL 100 + 90 < HIGH 300).
 * - **fit** keeps big units for big households: 50 points for an exact fit, 10
 *   fewer for every place the household leaves empty.
 * - **distance** prefers units far from the threat: one point per km (approximate
 *   road distance between municipal centres, see distances.ts) to the nearest
 *   excluded municipality, the home municipality included, capped at 50 km.
 *   Beyond that, further is not meaningfully safer within the region.
 */
export const WEIGHTS = {
  urgency: { IMMEDIATE: 10_000, HIGH: 300, NORMAL: 100 } satisfies Record<UrgencyLevel, number>,
  waiting: { pointsPerDay: 1, maxDays: 90 },
  fit: { exactFit: 50, perSparePlace: 10 },
  distance: { pointsPerKm: 1, capKm: 50 },
} as const;

/** Points for placing a request of this urgency. */
export function urgencyPoints(urgency: UrgencyLevel): number {
  return WEIGHTS.urgency[urgency];
}

/** Points for having waited this many days (capped). */
export function waitingPoints(waitingDays: number): number {
  return Math.min(Math.floor(waitingDays), WEIGHTS.waiting.maxDays) * WEIGHTS.waiting.pointsPerDay;
}

/** Points for how closely the household fills the unit's free places. */
export function fitPoints(householdSize: number, freePlaces: number): number {
  return Math.max(0, WEIGHTS.fit.exactFit - WEIGHTS.fit.perSparePlace * (freePlaces - householdSize));
}

/** Points for being `km` away from the nearest threat area (capped); unknown distance scores 0. */
export function distancePoints(km: number | undefined): number {
  if (km === undefined) return 0;
  return Math.floor(Math.min(km, WEIGHTS.distance.capKm) * WEIGHTS.distance.pointsPerKm);
}
