import type { ApolloServer } from '@apollo/server';
import { AuthenticationError, type TokenVerifier } from '@sodertorn/auth';
import { isUuid, purposeFrom, requestIdFrom } from '@sodertorn/service-kit';
import express, { type Express, type Response } from 'express';
import type { GatewayContext } from '../datasources/shard-router-data-source';
import { accessRequestDocument, ACCESS_REQUEST_QUERY, type AccessRequestAnswer } from './access-request-document';
import { renderAccessRequestHtml, type Language } from './access-request-html';

/** Recorded as the purpose of every read the extract makes when the caller states none (never personal data; no digits, which the shards mask). */
export const DEFAULT_ACCESS_REQUEST_PURPOSE = 'Registerutdrag enligt dataskyddsförordningen';

/** The HTTP status of a refusal by its GraphQL code; anything else is the region's trouble. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION_FAILED: 400, BAD_USER_INPUT: 400 };

function refuse(res: Response, status: number, code: string, message: string, field?: string): void {
  if (status === 401) res.set('www-authenticate', 'Bearer');
  res.status(status).json({ errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] });
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
        if (error instanceof AuthenticationError) return refuse(res, 401, 'UNAUTHENTICATED', error.message);
        throw error;
      }
      const { participantId, language = 'sv' } = (req.body ?? {}) as { participantId?: unknown; language?: unknown };
      if (typeof participantId !== 'string' || !isUuid(participantId))
        return refuse(res, 400, 'VALIDATION_FAILED', 'participantId: must be the id (a UUID) of a participant of your municipality', 'participantId');
      if (language !== 'sv' && language !== 'en') return refuse(res, 400, 'VALIDATION_FAILED', 'language: must be sv or en', 'language');
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
        const code = String(errors[0]?.extensions?.code ?? 'UNAVAILABLE');
        const status = STATUS_OF_CODE[code] ?? 503;
        return refuse(res, status, code, status < 500 ? (errors[0]?.message ?? 'Refused.') : 'The register extract cannot be produced right now.');
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
