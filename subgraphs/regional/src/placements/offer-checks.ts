import { ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';
import type { RequestProfile, UnitProfile } from './shard-lookups';

/**
 * The hard constraints an offer must meet, checked by the region before any
 * place is held: the same ones the matching respects. Free places are the
 * receiving shard's to check (it holds them atomically).
 */
export function assertOfferable(request: RequestProfile | null, unit: UnitProfile | null): asserts request is RequestProfile {
  const problems: FieldProblem[] = [];
  if (!request) problems.push({ field: 'requestId', message: 'no such placement request in that municipality' });
  if (!unit) problems.push({ field: 'unitId', message: 'no such housing unit in that municipality' });
  if (!request || !unit) throw new ValidationFailedError(problems);
  if (request.status !== 'OPEN') problems.push({ field: 'requestId', message: `the request is ${request.status}, not OPEN` });
  const excluded = new Set([request.municipalityCode, ...request.excludedMunicipalities]);
  if (excluded.has(unit.municipalityCode)) {
    problems.push({
      field: 'unitMunicipality',
      message: `the participant must not be placed in ${unit.municipalityCode} (excluded: ${[...excluded].sort().join(', ')})`,
    });
  }
  if (unit.status !== 'AVAILABLE') problems.push({ field: 'unitId', message: `the unit is ${unit.status}` });
  if (!request.allowedKinds.includes(unit.kind))
    problems.push({ field: 'unitId', message: `a ${unit.kind} unit is not among the allowed kinds (${request.allowedKinds.join(', ')})` });
  if (request.householdSize > unit.places)
    problems.push({ field: 'unitId', message: `a household of ${request.householdSize} does not fit ${unit.places} places` });
  if (request.children > 0 && !unit.suitableForChildren)
    problems.push({ field: 'unitId', message: 'the household has children and the unit is not suitable for children' });
  if (request.needsWheelchairAccess && !unit.wheelchairAccessible)
    problems.push({ field: 'unitId', message: 'the participant needs wheelchair access and the unit has none' });
  if (problems.length) throw new ValidationFailedError(problems);
}
