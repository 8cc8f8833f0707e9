import { ForbiddenError, SessionRequiredError, ValidationFailedError, type ClientError } from '@sodertorn/errors';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Session } from './sessions';

/** The roles the gateway produces a register extract for (of their own municipality's participants). */
const ACCESS_REQUEST_ROLES = ['CASEWORKER', 'DATA_PROTECTION_OFFICER'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessRequestDownloadDeps {
  gatewayUrl: string;
  sessionOf(req: Request): Promise<Session | undefined>;
  askGateway(url: string | URL, init: RequestInit): Promise<{ answer: globalThis.Response; body: Buffer }>;
  sameOriginJson(req: Request, res: Response, next: NextFunction): void;
  refuse(res: Response, error: ClientError): void;
}

/**
 * `POST /downloads/access-request` with `{ participantId, language }`: a participant's register
 * extract (the gateway's `POST /access-request`, docs/operations/access-request.md), asked with the
 * session's token and passed back as the gateway answers it (the printable HTML, or its refusal).
 * A POST with a JSON body, so the id is in no URL, and the same-origin JSON rule applies.
 */
export function accessRequestDownload(app: Express, deps: AccessRequestDownloadDeps): void {
  app.post('/downloads/access-request', deps.sameOriginJson, async (req, res, next) => {
    try {
      const session = await deps.sessionOf(req);
      if (!session) return deps.refuse(res, new SessionRequiredError());
      if (!session.user.roles.some((r) => ACCESS_REQUEST_ROLES.includes(r)))
        return deps.refuse(res, new ForbiddenError('Register extracts are for caseworkers and data protection officers.'));
      const { participantId, language = 'sv' } = (req.body ?? {}) as { participantId?: unknown; language?: unknown };
      const problems = [
        ...(typeof participantId === 'string' && UUID.test(participantId)
          ? []
          : [{ field: 'participantId', message: 'must be the id (a UUID) of a participant' }]),
        ...(language === 'sv' || language === 'en' ? [] : [{ field: 'language', message: 'must be sv or en' }]),
      ];
      if (problems.length > 0) return deps.refuse(res, new ValidationFailedError(problems));
      const { answer, body } = await deps.askGateway(new URL('/access-request', deps.gatewayUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/html', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ participantId, language }),
      });
      res.status(answer.status).type(answer.headers.get('content-type') ?? 'application/octet-stream');
      // Never kept by the browser or a proxy (the global rule says so too; said here as it matters most).
      res.set('cache-control', 'no-store');
      res.send(body);
    } catch (error) {
      next(error);
    }
  });
}
