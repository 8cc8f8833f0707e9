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

/** What an HTTP refusal sends: its status and its JSON body. */
export interface HttpRefusal {
  status: number;
  body: { errors: GraphQLFormattedError[] };
}

/**
 * A client error as an HTTP answer: the status its class puts in `extensions.http` (where Apollo
 * Server reads it too; 400 if none) and `{ errors: [error] }` without that extension, as Apollo
 * Server would send it.
 */
export function httpRefusal(error: ClientError): HttpRefusal {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } };
  return { status: http?.status ?? 400, body: { errors: [{ ...error.toJSON(), extensions }] } };
}
