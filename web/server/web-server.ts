import {
  ClientError,
  CrossSiteRequestError,
  ForbiddenError,
  httpRefusal,
  NEVER_CONNECTED_CODES,
  RegionUnavailableError,
  SessionRequiredError,
  UnregisteredOperationError,
  ValidationFailedError,
} from '@sodertorn/errors';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';
import { Agent } from 'undici';
import { accessRequestDownload } from './access-request-download';
import { OidcSessions, type OidcSignIn } from './oidc-sign-in';
import { loadPersistedOperations } from './persisted-operations';
import { SessionStore, type Session } from './sessions';

export interface WebServerOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  /** The built single-page app (web/dist). */
  staticDir: string;
  /** The web app's persisted-operation manifest (web/persisted-operations.json). */
  persistedOperationsFile: string;
  /** Sign-in at the organisations' OpenID Providers (authorization code + PKCE). */
  oidc?: OidcSignIn;
  /** The CA certificates (PEM) the gateway's TLS certificate is checked against, where it is not a public one. */
  gatewayCa?: string;
  /** Secure cookies (HTTPS); off only for plain-HTTP local runs. */
  secureCookies?: boolean;
  /**
   * How long to wait for the gateway's whole answer (default 30 s: above the gateway's own budget
   * of a shard timeout and a retry for each step of a placement, so it decides first).
   */
  gatewayTimeoutMs?: number;
  now?: () => number;
}

const COOKIE = 'session';
const DEFAULT_GATEWAY_TIMEOUT_MS = 30_000;
/** The roles the gateway serves the statistics exports to. */
const STATISTICS_ROLES = ['ANALYST', 'COORDINATOR'];
const CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The web app's own server, a backend-for-frontend: serves the built app with a strict
 * Content-Security-Policy, keeps each person's session (the access token stays here; the browser
 * holds only an HttpOnly SameSite=Strict cookie), and passes the app's registered operations, by
 * id, to the gateway with the session's token. It runs no query of its own.
 */
export function createWebServer(options: WebServerOptions): Express {
  const sessions = new SessionStore(options.now);
  const operations = loadPersistedOperations(options.persistedOperationsFile);
  // undici, as Node's fetch is: its dispatcher option carries the gateway's CA where one is given.
  const gatewayDispatcher = options.gatewayCa ? new Agent({ connect: { ca: options.gatewayCa } }) : undefined;
  const gatewayTimeoutMs = options.gatewayTimeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS;
  /**
   * The gateway's whole answer (status, headers, body) within the timeout, or RegionUnavailableError
   * saying whether the request can have reached it.
   */
  const askGateway = async (url: string | URL, init: RequestInit): Promise<{ answer: globalThis.Response; body: Buffer }> => {
    try {
      const answer = await fetch(url, {
        ...init,
        ...(gatewayDispatcher ? { dispatcher: gatewayDispatcher } : {}),
        signal: AbortSignal.timeout(gatewayTimeoutMs),
      });
      return { answer, body: Buffer.from(await answer.arrayBuffer()) };
    } catch (error) {
      const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
      throw new RegionUnavailableError(NEVER_CONNECTED_CODES.has(code) ? 'unreachable' : 'no-answer', gatewayTimeoutMs);
    }
  };
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: CSP,
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      strictTransportSecurity: !!options.secureCookies,
    }),
  );
  // Nothing personal may stay in the browser's cache; only the hashed, public assets may.
  app.use((req, res, next) => {
    res.set('Cache-Control', req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store');
    next();
  });
  app.use(express.json({ limit: '64kb' }));

  const oidc = options.oidc && new OidcSessions(options.oidc, sessions, options.now);
  const sessionCookieOf = (req: Request): string | undefined => parseCookies(req.get('cookie') ?? '')[COOKIE];
  // The live session, its access token renewed first if it is about to expire.
  const sessionOf = async (req: Request): Promise<Session | undefined> => {
    const session = sessions.get(sessionCookieOf(req));
    return oidc ? oidc.fresh(session) : session;
  };
  const setSessionCookie = (res: Response, session: Session) =>
    res.append(
      'Set-Cookie',
      serializeCookie(COOKIE, session.id, { httpOnly: true, sameSite: 'strict', secure: !!options.secureCookies, path: '/', expires: session.expiresAt }),
    );
  const clearSessionCookie = (res: Response) =>
    res.append('Set-Cookie', serializeCookie(COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: !!options.secureCookies, path: '/', maxAge: 0 }));

  // Cross-site requests never change anything: the cookie is SameSite=Strict, and every POST must be
  // JSON from this very origin (a form on another site can send neither).
  const sameOriginJson = (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (!req.is('application/json') || (origin && origin !== `${req.protocol}://${req.get('host')}`)) {
      refuse(res, new CrossSiteRequestError());
      return;
    }
    next();
  };

  app.get('/auth/options', (_req, res) => {
    res.json({
      organisations: (options.oidc?.organisations ?? []).map((o) => ({ id: o.id, name: o.name })),
    });
  });
  oidc?.register(app, setSessionCookie, sessionCookieOf);

  app.get('/auth/session', async (req, res) => {
    const session = await sessionOf(req);
    if (!session) {
      refuse(res, new SessionRequiredError());
      return;
    }
    res.json({ user: session.user, expiresAt: session.expiresAt.toISOString() });
  });

  // Ends the session here; for a provider's session, the answer names where to end it there too.
  app.post('/auth/sign-out', sameOriginJson, async (req, res) => {
    const session = sessions.get(sessionCookieOf(req));
    const providerSignOut = await oidc?.signOutUrl(session).catch(() => undefined);
    sessions.delete(sessionCookieOf(req));
    clearSessionCookie(res);
    res.json({ providerSignOut: providerSignOut ?? null });
  });

  app.post('/graphql', sameOriginJson, async (req, res) => {
    const session = await sessionOf(req);
    if (!session) {
      clearSessionCookie(res);
      refuse(res, new SessionRequiredError());
      return;
    }
    const body = req.body as { variables?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const operation = operations.get(String(body.extensions?.persistedQuery?.sha256Hash ?? ''));
    if (!operation) {
      refuse(res, new UnregisteredOperationError());
      return;
    }
    const { answer, body: answerBody } = await askGateway(options.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}`, ...purposeHeader(req) },
      body: JSON.stringify({
        operationName: operation.name,
        variables: body.variables ?? {},
        extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } },
      }),
    });
    res.status(answer.status).type('application/json').send(answerBody);
  });

  // The statistics exports (the gateway's /stats/DATASET.csv|json|xlsx), downloaded with the session's
  // token. The browser names only a dataset, a format, a year and the Swedish variant, each checked
  // here: the path and query sent on are built from them, never taken from the browser.
  app.get('/downloads/statistics/:file', async (req, res) => {
    const session = await sessionOf(req);
    if (!session) {
      refuse(res, new SessionRequiredError());
      return;
    }
    if (!session.user.roles.some((r) => STATISTICS_ROLES.includes(r))) {
      refuse(res, new ForbiddenError('The statistics exports are for analysts and coordinators.'));
      return;
    }
    const file = /^([a-z0-9_]{1,100})\.(csv|json|xlsx)$/.exec(req.params.file);
    const year = typeof req.query.year === 'string' && /^\d{4}$/.test(req.query.year) ? req.query.year : null;
    const locale = req.query.locale;
    const problems = [
      ...(file ? [] : [{ field: 'file', message: 'must be DATASET.csv, DATASET.json or DATASET.xlsx' }]),
      ...(year ? [] : [{ field: 'year', message: 'must be a four-digit year' }]),
      ...(locale === undefined || (locale === 'sv' && file?.[2] === 'csv') ? [] : [{ field: 'locale', message: 'must be sv, for a CSV file, or left out' }]),
    ];
    if (!file || !year || problems.length > 0) {
      refuse(res, new ValidationFailedError(problems));
      return;
    }
    const target = new URL(`/stats/${file[1]}.${file[2]}`, options.gatewayUrl);
    target.searchParams.set('year', year);
    if (locale === 'sv') target.searchParams.set('locale', 'sv');
    const { answer, body } = await askGateway(target, { headers: { authorization: `Bearer ${session.accessToken}` } });
    for (const header of ['content-type', 'content-disposition', 'x-municipalities-covered']) {
      const value = answer.headers.get(header);
      if (value) res.set(header, value);
    }
    res.status(answer.status).send(body);
  });

  accessRequestDownload(app, { gatewayUrl: options.gatewayUrl, sessionOf, askGateway, sameOriginJson, refuse });

  app.use('/assets', express.static(join(options.staticDir, 'assets'), { index: false, fallthrough: false }));
  // Every other path is a page of the app (react-router); its data comes through /graphql.
  app.get('/{*path}', (_req, res) => res.sendFile(join(options.staticDir, 'index.html')));
  // A refusal thrown on the way (the gateway or the identity provider unavailable) with its own status and words; anything
  // else is masked, never a stack trace.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ClientError) refuse(res, error);
    else res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  });
  return app;
}

/**
 * The reason the person stated for reading personal data (a protected identity), passed on as the
 * `x-purpose` the gateway forwards to the municipality's audit log. The app sends it
 * percent-encoded (a header carries Latin-1 at most); it goes on as Latin-1, anything beyond as
 * `?`, at most 200 characters. The gateway masks numbers in it and keeps one line.
 */
function purposeHeader(req: Request): Record<string, string> {
  const sent = req.get('x-purpose');
  if (!sent) return {};
  let purpose: string;
  try {
    purpose = decodeURIComponent(sent);
  } catch {
    purpose = sent;
  }
  purpose = purpose
    .replace(/[^\x20-\x7e\xa0-\xff]+/g, '?')
    .trim()
    .slice(0, 200);
  return purpose ? { 'x-purpose': purpose } : {};
}

/** A refusal of the web server's own: status and body from its class in @sodertorn/errors. */
function refuse(res: Response, error: ClientError): void {
  const { status, body } = httpRefusal(error);
  res.status(status).json(body);
}
