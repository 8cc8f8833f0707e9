import type { MatchRequest, MatchUnit } from './types';

/**
 * The municipalities a request must never be placed in: those the caller listed
 * plus, always, the request's own home municipality. The caller is required to
 * list it too; the engine adds it again because forgetting it would send a
 * person back to the network they are leaving.
 */
export function exclusionsOf(request: MatchRequest): Set<string> {
  return new Set([...request.excludedMunicipalities, request.municipalityCode]);
}

/** The date a unit's places are free from; '' (before every date) when free now. */
export const freeFrom = (unit: MatchUnit): string => unit.availableFrom ?? '';

/** The day a unit's places stop being counted free; '~' (after every date) when open-ended. */
export const freeUntil = (unit: MatchUnit): string => unit.availableUntil ?? '~';

/** The day the request's stay ends (the day of moving out): earliestStart + durationDays. */
export function stayEnd(request: MatchRequest): string {
  const day = new Date(`${request.earliestStart}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + request.durationDays);
  return day.toISOString().slice(0, 10);
}

/** Whether the unit's places are free for the request's whole stay. */
export const freeForStay = (request: MatchRequest, unit: MatchUnit): boolean => freeFrom(unit) <= request.earliestStart && stayEnd(request) <= freeUntil(unit);

function freeWording(unit: MatchUnit): string {
  if (unit.availableUntil !== undefined) return `free ${unit.availableFrom === undefined ? 'now' : `from ${unit.availableFrom}`} until ${unit.availableUntil}`;
  return unit.availableFrom === undefined ? 'free now' : `free from ${unit.availableFrom}`;
}

/** One hard constraint: whether a pair meets it, and how to say so. */
interface HardConstraint {
  /** Applies at all for this request (e.g. wheelchair access only when needed). */
  appliesTo(request: MatchRequest): boolean;
  holds(request: MatchRequest, unit: MatchUnit, exclusions: ReadonlySet<string>): boolean;
  /** Wording for a pair that meets it, e.g. "kind PROTECTED allowed". */
  met(request: MatchRequest, unit: MatchUnit, exclusions: ReadonlySet<string>): string;
  /** Wording for the funnel of a request that no unit fits, e.g. "of an allowed kind (PROTECTED)". */
  funnel(request: MatchRequest, exclusions: ReadonlySet<string>): string;
}

const always = () => true;
const list = (codes: Iterable<string>) => [...codes].sort().join(', ');

/** The hard constraints in the order the funnel explanation narrows units down. */
export const HARD_CONSTRAINTS: readonly HardConstraint[] = [
  {
    appliesTo: always,
    holds: (_r, unit, exclusions) => !exclusions.has(unit.municipalityCode),
    met: (_r, _u, exclusions) => `not in an excluded municipality (${list(exclusions)})`,
    funnel: (_r, exclusions) => `outside the excluded municipalities (${list(exclusions)})`,
  },
  {
    appliesTo: always,
    holds: (request, unit) => request.allowedKinds.includes(unit.kind),
    met: (_r, unit) => `kind ${unit.kind} allowed`,
    funnel: (request) => `of an allowed kind (${[...new Set(request.allowedKinds)].join(', ')})`,
  },
  {
    appliesTo: always,
    holds: (request, unit) => request.householdSize <= unit.freePlaces,
    met: (request, unit) => `household of ${request.householdSize} fits ${unit.freePlaces} free place${unit.freePlaces === 1 ? '' : 's'}`,
    funnel: (request) => `with at least ${request.householdSize} free place${request.householdSize === 1 ? '' : 's'}`,
  },
  {
    appliesTo: (request) => request.children > 0,
    holds: (_r, unit) => unit.suitableForChildren,
    met: () => 'suitable for children',
    funnel: () => 'suitable for children',
  },
  {
    appliesTo: (request) => request.needsWheelchairAccess,
    holds: (_r, unit) => unit.wheelchairAccessible,
    met: () => 'wheelchair accessible',
    funnel: () => 'wheelchair accessible',
  },
  {
    appliesTo: always,
    holds: freeForStay,
    met: (_r, unit) => freeWording(unit),
    funnel: (request) => `free from ${request.earliestStart} until ${stayEnd(request)}`,
  },
];

/** Whether the pair meets every hard constraint. The readable definition; pair-table.ts has the fast one. */
export function isFeasible(request: MatchRequest, unit: MatchUnit, exclusions: ReadonlySet<string> = exclusionsOf(request)): boolean {
  return HARD_CONSTRAINTS.every((c) => !c.appliesTo(request) || c.holds(request, unit, exclusions));
}

/** The constraints a feasible pair meets, in words. */
export function constraintsMet(request: MatchRequest, unit: MatchUnit, exclusions: ReadonlySet<string> = exclusionsOf(request)): string[] {
  return HARD_CONSTRAINTS.filter((c) => c.appliesTo(request)).map((c) => c.met(request, unit, exclusions));
}

/**
 * Why no unit fits: how many units survive each constraint in turn, e.g.
 * "of 40 units, 31 outside the excluded municipalities (0126, 0180), 12 of an allowed kind (PROTECTED), 0 with at least 5 free places".
 */
export function explainNoFeasibleUnit(request: MatchRequest, units: readonly MatchUnit[]): string {
  const exclusions = exclusionsOf(request);
  let remaining = units;
  const steps: string[] = [];
  for (const constraint of HARD_CONSTRAINTS.filter((c) => c.appliesTo(request))) {
    remaining = remaining.filter((unit) => constraint.holds(request, unit, exclusions));
    steps.push(`${remaining.length} ${constraint.funnel(request, exclusions)}`);
    if (remaining.length === 0) break;
  }
  return `no unit meets every constraint: of ${units.length} unit${units.length === 1 ? '' : 's'}, ${steps.join(', ')}`;
}
