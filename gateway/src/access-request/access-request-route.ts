import type { ApolloServer } from '@apollo/server';
import type { TokenVerifier } from '@sodertorn/auth';
import { ClientError, httpRefusal, httpStatusOf, PUBLIC_ERROR_CODES } from '@sodertorn/errors';
import { isUuid, purposeFrom, requestIdFrom, ValidationFailedError } from '@sodertorn/service-kit';
import express, { type Express, type Response } from 'express';
import type { GatewayContext } from '../datasources/shard-router-data-source';
import { accessRequestDocument, ACCESS_REQUEST_QUERY, type AccessRequestAnswer } from './access-request-document';
import { renderAccessRequestHtml, type Language } from './access-request-html';

/** Recorded as the purpose of every read the extract makes when the caller states none (never personal data; no digits, which the shards mask). */
export const DEFAULT_ACCESS_REQUEST_PURPOSE = 'Registerutdrag enligt dataskyddsförordningen';

/** A refusal as HTTP: status and body from its class in @sodertorn/errors (httpRefusal). */
function refuse(res: Response, error: ClientError): void {
  const { status, body } = httpRefusal(error);
  send(res, status, body);
}

function send(res: Response, status: number, body: unknown): void {
  if (status === 401) res.set('www-authenticate', 'Bearer');
  res.status(status).json(body);
}

/**
 * `POST /access-request` with `{ "participantId": "…", "language": "sv" | "en" }`: a participant's
 * register extract, as a printable HTML page (default) or, with `Accept: application/json`, the
 * structured document. It runs `accessRequest` through this gateway's own query plan with the
 * caller's token, so the shards authorize and audit every read as they would for the API. A POST,
 * so the participant's id is never part of a URL (and so of no access log or browser history).
 */
export function accessRequestRoutes(app: Express, options: { apollo: ApolloServer<GatewayContext>; verifier: TokenVerifier }): void {
  app.post('/access-request', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      let identity;
      try {
        identity = await options.verifier.verifyAuthorization(req.get('authorization'));
      } catch (error) {
        // Not a valid token (401), or the issuer's keys not to be had (503): the verifier's own classes.
        if (error instanceof ClientError) return refuse(res, error);
        throw error;
      }
      const { participantId, language = 'sv' } = (req.body ?? {}) as { participantId?: unknown; language?: unknown };
      if (typeof participantId !== 'string' || !isUuid(participantId))
        return refuse(res, ValidationFailedError.of('participantId', 'must be the id (a UUID) of a participant of your municipality'));
      if (language !== 'sv' && language !== 'en') return refuse(res, ValidationFailedError.of('language', 'must be sv or en'));
      const contextValue: GatewayContext = {
        identity,
        requestId: requestIdFrom(req.get('x-request-id')),
        purpose: purposeFrom(req.get('x-purpose')) ?? DEFAULT_ACCESS_REQUEST_PURPOSE,
      };
      const response = await options.apollo.executeOperation<{ accessRequest: AccessRequestAnswer | null }>(
        { query: ACCESS_REQUEST_QUERY, variables: { participantId } },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('the access request answered incrementally');
      const { data, errors = [] } = response.body.singleResult;
      if (!data?.accessRequest) {
        // A public refusal passed on as it is, at the status its code means; anything else is masked.
        const [first] = errors;
        const code = first?.extensions?.code;
        if (first && typeof code === 'string' && PUBLIC_ERROR_CODES.has(code)) {
          return send(res, httpStatusOf(first), { errors: [{ message: first.message, extensions: first.extensions }] });
        }
        return send(res, 503, { errors: [{ message: 'The register extract cannot be produced right now.', extensions: { code: 'UNAVAILABLE' } }] });
      }
      const document = accessRequestDocument(data.accessRequest, errors);
      res.set('cache-control', 'no-store');
      res.set('x-content-type-options', 'nosniff');
      if (req.accepts(['text/html', 'application/json']) === 'application/json') {
        res.json(document);
        return;
      }
      res.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.type('html').send(renderAccessRequestHtml(document, language as Language));
    } catch (error) {
      next(error);
    }
  });
}
