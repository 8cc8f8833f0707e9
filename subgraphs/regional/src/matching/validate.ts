import { HOUSING_KINDS, URGENCY_LEVELS, type MatchRequest, type MatchUnit } from './types';

/**
 * Thrown when the caller hands the engine input it cannot match safely: a
 * duplicate reference, a household of 0, a malformed date. The message names
 * the reference and the field, so the caller can fix its mapping; the engine
 * never guesses, because a guessed constraint could place someone in danger.
 */
export class MatchingInputError extends Error {
  override readonly name = 'MatchingInputError';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (so that string order is date order). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function fail(what: string, ref: unknown, problem: string): never {
  throw new MatchingInputError(`${what} ${JSON.stringify(ref)}: ${problem}`);
}

const isCount = (value: unknown, min: number): value is number => Number.isInteger(value) && (value as number) >= min;

export function validateRequest(request: MatchRequest): void {
  const what = 'placement request';
  const ref = request.ref;
  if (typeof ref !== 'string' || ref === '') fail(what, ref, 'ref must be a non-empty string');
  if (typeof request.municipalityCode !== 'string' || request.municipalityCode === '') fail(what, ref, 'municipalityCode must be a non-empty string');
  if (!URGENCY_LEVELS.includes(request.urgency)) fail(what, ref, `urgency must be one of ${URGENCY_LEVELS.join(', ')}`);
  if (!(Number.isFinite(request.waitingDays) && request.waitingDays >= 0)) fail(what, ref, 'waitingDays must be a number of at least 0');
  if (!isCount(request.householdSize, 1)) fail(what, ref, 'householdSize must be an integer of at least 1');
  if (!isCount(request.children, 0) || request.children > request.householdSize) fail(what, ref, 'children must be an integer from 0 to householdSize');
  if (typeof request.needsWheelchairAccess !== 'boolean') fail(what, ref, 'needsWheelchairAccess must be a boolean');
  if (!Array.isArray(request.allowedKinds) || request.allowedKinds.length === 0 || !request.allowedKinds.every((kind) => HOUSING_KINDS.includes(kind))) {
    fail(what, ref, `allowedKinds must list at least one of ${HOUSING_KINDS.join(', ')}`);
  }
  if (!Array.isArray(request.excludedMunicipalities) || !request.excludedMunicipalities.every((code) => typeof code === 'string')) {
    fail(what, ref, 'excludedMunicipalities must be a list of municipality codes');
  }
  if (!isIsoDate(request.earliestStart)) fail(what, ref, 'earliestStart must be a date written YYYY-MM-DD');
  if (!isCount(request.durationDays, 0)) fail(what, ref, 'durationDays must be an integer of at least 0');
}

export function validateUnit(unit: MatchUnit): void {
  const what = 'housing unit';
  const ref = unit.ref;
  if (typeof ref !== 'string' || ref === '') fail(what, ref, 'ref must be a non-empty string');
  if (typeof unit.municipalityCode !== 'string' || unit.municipalityCode === '') fail(what, ref, 'municipalityCode must be a non-empty string');
  if (!HOUSING_KINDS.includes(unit.kind)) fail(what, ref, `kind must be one of ${HOUSING_KINDS.join(', ')}`);
  if (!isCount(unit.freePlaces, 0)) fail(what, ref, 'freePlaces must be an integer of at least 0');
  if (typeof unit.wheelchairAccessible !== 'boolean') fail(what, ref, 'wheelchairAccessible must be a boolean');
  if (typeof unit.suitableForChildren !== 'boolean') fail(what, ref, 'suitableForChildren must be a boolean');
  if (unit.availableFrom !== undefined && !isIsoDate(unit.availableFrom)) fail(what, ref, 'availableFrom must be a date written YYYY-MM-DD');
  if (unit.availableUntil !== undefined && !isIsoDate(unit.availableUntil)) fail(what, ref, 'availableUntil must be a date written YYYY-MM-DD');
  if (unit.availableFrom !== undefined && unit.availableUntil !== undefined && unit.availableUntil <= unit.availableFrom) {
    fail(what, ref, 'availableUntil must be after availableFrom');
  }
}

function requireUniqueRefs(items: readonly { ref: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { ref } of items) {
    if (seen.has(ref)) fail(what, ref, 'ref appears more than once in the batch');
    seen.add(ref);
  }
}

/** Checks a whole batch; throws MatchingInputError on the first problem. */
export function validateBatch(requests: readonly MatchRequest[], units: readonly MatchUnit[]): void {
  requests.forEach(validateRequest);
  units.forEach(validateUnit);
  requireUniqueRefs(requests, 'placement request');
  requireUniqueRefs(units, 'housing unit');
}
