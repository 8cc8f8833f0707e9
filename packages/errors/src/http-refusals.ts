import type { GraphQLFormattedError } from 'graphql';
import { ClientError } from './client-error';

/*
 * Refusals answered over HTTP before any GraphQL is executed, by code that is not
 * Apollo Server (the web server, the mutual-TLS check). Their bodies have the
 * GraphQL shape, so a client reads them as it reads any other error.
 */

/** The web server: no session cookie, or its session has ended (HTTP 401). The app signs in again. */
export class SessionRequiredError extends ClientError {
  static override readonly code = 'UNAUTHENTICATED';
  constructor() {
    super('Not signed in, or the session has expired', { http: { status: 401 } });
  }
}

/** The web server forwards only the ids of the web app's registered operations (HTTP 400). */
export class UnregisteredOperationError extends ClientError {
  static override readonly code = 'PERSISTED_QUERY_NOT_FOUND';
  constructor() {
    super('Only the web app’s registered operations are accepted, by id', { http: { status: 400 } });
  }
}

/**
 * Mutual TLS: a valid certificate of the region's PKI that names no identity allowed to call this
 * service (HTTP 403). It names no identity either, so a probe learns nothing about who may.
 */
export class ForbiddenClientCertificateError extends ClientError {
  static override readonly code = 'FORBIDDEN_CLIENT_CERTIFICATE';
  constructor() {
    super('The client certificate does not name a service allowed to call this one.', { http: { status: 403 } });
  }
}

/**
 * The web server: a POST from another origin, or not JSON (HTTP 403). With the SameSite=Strict
 * cookie, this is what keeps another site's form from acting in a person's name.
 */
export class CrossSiteRequestError extends ClientError {
  static override readonly code = 'CROSS_SITE_REQUEST';
  constructor() {
    super('Only JSON requests from the web app’s own origin are accepted here', { http: { status: 403 } });
  }
}

/**
 * Node's and undici's codes for a connection that was never made: nothing reached the other side, so
 * nothing sent can have taken effect. After any other failure a request may have been carried out.
 */
export const NEVER_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The web server could not get an answer from the region's gateway (HTTP 503). Whether the request
 * may have taken effect is said plainly: a refused connection sent nothing, but a request that got
 * no answer in time may have been carried out, so a change must be looked up before it is repeated.
 */
export class RegionUnavailableError extends ClientError {
  static override readonly code = 'REGION_UNAVAILABLE';
  constructor(what: 'unreachable' | 'no-answer', timeoutMs: number) {
    super(
      what === 'unreachable'
        ? 'The region’s API could not be reached; nothing was sent. Try again in a minute.'
        : `The region’s API did not answer within ${Math.round(timeoutMs / 1000)} s. A change you sent may still have been made: reload and look before you repeat it.`,
      { http: { status: 503 }, requestMayHaveTakenEffect: what === 'no-answer' },
    );
  }
}

/**
 * The HTTP status of a client error answered outside GraphQL: the one its class names in
 * `extensions.http`, else the one its code means (a refusal of the caller 4xx, a part of the
 * region that could not answer 503), else 400.
 */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_DATASET: 404,
  STATISTICS_COVERAGE_LOCKED: 409,
  STATISTICS_NOT_CONFIGURED: 503,
  MUNICIPALITY_UNAVAILABLE: 503,
  REGIONAL_SERVICE_UNAVAILABLE: 503,
  STATISTICS_UNAVAILABLE: 503,
};

export function httpStatusOf(error: { extensions?: Readonly<Record<string, unknown>> }): number {
  const { http, code } = (error.extensions ?? {}) as { http?: { status?: number }; code?: string };
  return http?.status ?? STATUS_OF_CODE[code ?? ''] ?? 400;
}

/** What an HTTP refusal sends: its status and its JSON body. */
export interface HttpRefusal {
  status: number;
  body: { errors: GraphQLFormattedError[] };
}

/**
 * A client error as an HTTP answer: its status (`httpStatusOf`: the one its class puts in
 * `extensions.http`, where Apollo Server reads it too, else its code's) and `{ errors: [error] }`
 * without that extension, as Apollo Server would send it.
 */
export function httpRefusal(error: ClientError): HttpRefusal {
  const { http: _http, ...extensions } = error.extensions as { http?: unknown };
  return { status: httpStatusOf(error), body: { errors: [{ ...error.toJSON(), extensions }] } };
}
