import type { TokenVerifier } from '@sodertorn/auth';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Express, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { tokenExpiry, type Session, type SessionStore, type SessionUser } from './sessions';

/** An organisation whose people sign in at its own OpenID Provider: a municipality or the region. */
export interface Organisation {
  /** Kommunkod, or `region`. */
  id: string;
  /** Shown on the sign-in page, e.g. "Huddinge kommun". */
  name: string;
  /** The provider's issuer URL (discovery at /.well-known/openid-configuration). */
  issuer: string;
}

export interface OidcSignIn {
  organisations: readonly Organisation[];
  /** The public client (authorization code + PKCE, no secret) every provider registers for the web app. */
  clientId: string;
  /** This server's /auth/callback, as registered at the providers. */
  redirectUri: string;
  /** Where a provider sends the browser after signing out there (this server's root, registered at the providers). */
  postLogoutRedirectUri: string;
  /** Verifies the access tokens (the services' own trust: issuers, audience, claim mapping) and reads who they are for. */
  verifier: TokenVerifier;
  /** Plain HTTP for local development providers (never in a deployment). */
  allowInsecureRequests?: boolean;
}

/** How long a session may last, renewals included: the providers' own session and refresh-token lifetime. */
const SESSION_MAX_MS = 8 * 3600_000;
/** How long a person may take at the provider's login page. */
const PENDING_MAX_MS = 10 * 60_000;
/** Renew this long before the access token expires, so a request never reaches the gateway with a token about to lapse. */
const RENEW_MARGIN_MS = 30_000;
const PENDING_COOKIE = 'sign-in';
const SCOPE = 'openid profile offline_access api';

interface Pending {
  organisation: Organisation;
  codeVerifier: string;
  state: string;
  nonce: string;
  expiresAt: number;
}

/**
 * Sign-in with OpenID Connect, authorization code + PKCE (openid-client): the person chooses
 * their organisation, signs in at its provider, and comes back to /auth/callback; this server
 * exchanges the code and keeps the tokens (the browser gets only the session cookie), renews the
 * access token with the refresh token, and ends the session when that is refused.
 */
export class OidcSessions {
  private readonly configurations = new Map<string, Promise<client.Configuration>>();
  private readonly pending = new Map<string, Pending>();
  /** Renewals under way, by session: the page's parallel requests share one (a refresh token is used once; a reuse revokes the grant). */
  private readonly renewals = new Map<string, Promise<Session | undefined>>();

  constructor(
    private readonly options: OidcSignIn,
    private readonly sessions: SessionStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** GET /auth/sign-in?organisation=… redirects to the provider; GET /auth/callback finishes. */
  register(app: Express, setSessionCookie: (res: Response, session: Session) => void, sessionCookieOf: (req: Request) => string | undefined): void {
    app.get('/auth/sign-in', async (req, res) => {
      const organisation = this.options.organisations.find((o) => o.id === req.query.organisation);
      if (!organisation) {
        res.status(400).type('text/plain; charset=utf-8').send('Okänd organisation (organisation).');
        return;
      }
      const configuration = await this.configuration(organisation);
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending: Pending = {
        organisation,
        codeVerifier,
        state: client.randomState(),
        nonce: client.randomNonce(),
        expiresAt: this.now() + PENDING_MAX_MS,
      };
      const id = randomBytes(32).toString('base64url');
      this.prunePending();
      this.pending.set(id, pending);
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: this.options.redirectUri,
        scope: SCOPE,
        // offline_access needs consent to be asked for (OpenID Connect Core 11).
        prompt: 'consent',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      // Lax, not Strict: the provider's redirect back here is a cross-site navigation.
      res.append('Set-Cookie', this.pendingCookie(id, PENDING_MAX_MS / 1000));
      res.redirect(303, url.href);
    });

    app.get('/auth/callback', async (req, res) => {
      const id = parseCookies(req.get('cookie') ?? '')[PENDING_COOKIE];
      const pending = id ? this.pending.get(id) : undefined;
      if (id) this.pending.delete(id);
      res.append('Set-Cookie', this.pendingCookie('', 0));
      if (!pending || pending.expiresAt <= this.now()) {
        res.status(400).type('text/plain; charset=utf-8').send('Inloggningen har gått ut eller startades inte här. Börja om från inloggningssidan.');
        return;
      }
      try {
        const configuration = await this.configuration(pending.organisation);
        const current = new URL(req.originalUrl, this.options.redirectUri);
        const tokens = await client.authorizationCodeGrant(configuration, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const user = await this.userOf(tokens.access_token, pending.organisation);
        this.sessions.delete(sessionCookieOf(req));
        const session = this.sessions.create(
          user,
          tokens.access_token,
          new Date(this.now() + SESSION_MAX_MS),
          {
            organisation: pending.organisation.id,
            refreshToken: tokens.refresh_token,
            idToken: tokens.id_token,
          },
          tokenExpiry(tokens.access_token),
        );
        setSessionCookie(res, session);
        res.redirect(303, '/');
      } catch (error) {
        // The provider's answer to a sign-in this server started: the person cancelled there (access_denied) or the
        // provider refused. Back to the sign-in page, which says so; nobody is signed in. Only a code word in the URL.
        if (error instanceof client.AuthorizationResponseError) {
          res.redirect(303, `/?signIn=${error.error === 'access_denied' ? 'cancelled' : 'refused'}`);
          return;
        }
        // A failed check (state, PKCE, nonce, the token's trust): say so, keep nothing.
        res.status(400).type('text/plain; charset=utf-8').send('Inloggningen kunde inte kontrolleras. Börja om från inloggningssidan.');
      }
    });
  }

  /**
   * The session with a live access token: renewed with the refresh token shortly before it expires;
   * undefined (and the session ended) when it cannot be renewed.
   */
  async fresh(session: Session | undefined): Promise<Session | undefined> {
    if (!session || session.accessExpiresAt.getTime() - RENEW_MARGIN_MS > this.now()) return session;
    const organisation = this.options.organisations.find((o) => o.id === session.oidc?.organisation);
    if (!organisation || !session.oidc?.refreshToken) return session.accessExpiresAt.getTime() > this.now() ? session : this.end(session);
    let renewal = this.renewals.get(session.id);
    if (!renewal) {
      renewal = this.renew(session, organisation, session.oidc, session.oidc.refreshToken).finally(() => this.renewals.delete(session.id));
      this.renewals.set(session.id, renewal);
    }
    return renewal;
  }

  private async renew(session: Session, organisation: Organisation, oidc: NonNullable<Session['oidc']>, refreshToken: string): Promise<Session | undefined> {
    try {
      const tokens = await client.refreshTokenGrant(await this.configuration(organisation), refreshToken);
      await this.userOf(tokens.access_token, organisation);
      session.accessToken = tokens.access_token;
      session.accessExpiresAt = tokenExpiry(tokens.access_token);
      oidc.refreshToken = tokens.refresh_token ?? refreshToken;
      return session;
    } catch {
      return this.end(session);
    }
  }

  /** Where to send the browser to sign out at the provider too (RP-initiated logout), if it was an OIDC session. */
  async signOutUrl(session: Session | undefined): Promise<string | undefined> {
    const organisation = this.options.organisations.find((o) => o.id === session?.oidc?.organisation);
    if (!organisation || !session?.oidc?.idToken) return undefined;
    return client.buildEndSessionUrl(await this.configuration(organisation), {
      id_token_hint: session.oidc.idToken,
      post_logout_redirect_uri: this.options.postLogoutRedirectUri,
    }).href;
  }

  private end(session: Session): undefined {
    this.sessions.delete(session.id);
    return undefined;
  }

  /** Who the token is for, as the gateway will see it (the same trust and claim mapping). */
  private async userOf(accessToken: string, organisation: Organisation): Promise<SessionUser> {
    const identity = await this.options.verifier.verifyAuthorization(`Bearer ${accessToken}`);
    return { sub: identity.sub, roles: [...identity.roles], municipality: identity.municipality ?? null, who: organisation.name };
  }

  private configuration(organisation: Organisation): Promise<client.Configuration> {
    let configuration = this.configurations.get(organisation.id);
    if (!configuration) {
      configuration = client.discovery(new URL(organisation.issuer), this.options.clientId, undefined, client.None(), {
        execute: this.options.allowInsecureRequests ? [client.allowInsecureRequests] : [],
      });
      // A failed discovery is tried again next time, not remembered.
      configuration.catch(() => this.configurations.delete(organisation.id));
      this.configurations.set(organisation.id, configuration);
    }
    return configuration;
  }

  private pendingCookie(value: string, maxAgeSeconds: number): string {
    return serializeCookie(PENDING_COOKIE, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: !this.options.allowInsecureRequests,
      path: '/auth/callback',
      maxAge: maxAgeSeconds,
    });
  }

  private prunePending(): void {
    for (const [id, p] of this.pending) if (p.expiresAt <= this.now()) this.pending.delete(id);
  }
}
