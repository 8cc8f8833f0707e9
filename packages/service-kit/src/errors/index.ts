export { NotFoundError } from './not-found.error';
export { ForbiddenError } from './forbidden.error';
export { ValidationFailedError, type FieldProblem } from './validation-failed.error';
export { WrongMunicipalityError } from './wrong-municipality.error';
export { MunicipalityUnavailableError } from './municipality-unavailable.error';
export { UnknownMunicipalityError } from './unknown-municipality.error';

/** Codes a client may see with their original message; anything else is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  'NOT_FOUND',
  'FORBIDDEN',
  'VALIDATION_FAILED',
  'WRONG_MUNICIPALITY',
  'MUNICIPALITY_UNAVAILABLE',
  'UNKNOWN_MUNICIPALITY',
  'MUNICIPALITY_REQUIRED',
  'MUNICIPALITIES_DIFFER',
  'UNAUTHENTICATED',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // The gateway in production: a browser role sent a document instead of a registered operation's id.
  'TRUSTED_DOCUMENT_REQUIRED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  // The placement lifecycle (municipal shards): each names what was wrong, never a person.
  'INVALID_TRANSITION',
  'IDEMPOTENCY_KEY_REUSED',
  'NO_FREE_PLACES',
  'HOLD_EXPIRED',
  // The region's saga: a step of a placement still being finished (never a person).
  'STEP_IN_PROGRESS',
  // Joint statistics: they name municipalities and settings, never a count.
  'STATISTICS_COVERAGE_LOCKED',
  'STATISTICS_NOT_CONFIGURED',
  'STATISTICS_UNAVAILABLE',
]);
