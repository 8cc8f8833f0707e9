import { isClientErrorClass } from './client-error';
import * as http from './http-refusals';
import * as lifecycle from './lifecycle.errors';
import * as request from './request.errors';
import * as statistics from './statistics.errors';

export { ClientError, isClientErrorClass, type ClientErrorClass } from './client-error';
export * from './request.errors';
export * from './lifecycle.errors';
export * from './statistics.errors';
export * from './http-refusals';

/**
 * Codes that Apollo Server and graphql-js give of their own for a request they cannot run; each
 * says what was wrong with the request, never anything about data.
 */
export const PROTOCOL_ERROR_CODES: readonly string[] = [
  'BAD_USER_INPUT', // a variable not valid for its type (graphql-js coercion), e.g. endsOn: "2026-02-30"
  'BAD_REQUEST',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
];

/** The code of every client error class of this package, derived from the classes themselves. */
export const CLIENT_ERROR_CODES: readonly string[] = [
  ...new Set(
    [request, lifecycle, statistics, http]
      .flatMap((module) => Object.values(module))
      .filter(isClientErrorClass)
      .map((errorClass) => errorClass.code),
  ),
];

/** Codes a client may see with their original message; any other error is masked as internal. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([...CLIENT_ERROR_CODES, ...PROTOCOL_ERROR_CODES]);
