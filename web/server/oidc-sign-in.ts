import { AuthenticationError, type TokenVerifier } from '@sodertorn/auth';
import { IdentityProviderUnavailableError } from '@sodertorn/errors';
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
  /**
   * How long a person's request waits for a provider, in seconds (default 10; openid-client's own
   * is 30). A token request already sent is not abandoned then: see PROVIDER_CALL_MAX_SECONDS.
   */
  timeoutSeconds?: number;
}

/** How long a session may last, renewals included: the providers' own session and refresh-token lifetime. */
const SESSION_MAX_MS = 8 * 3600_000;
/** How long a person may take at the provider's login page. */
const PENDING_MAX_MS = 10 * 60_000;
/** Renew this long before the access token expires, so a request never reaches the gateway with a token about to lapse. */
const RENEW_MARGIN_MS = 30_000;
/** A token with less than this left is not sent on: the request waits for the renewal instead. */
const LAST_USE_MS = 5_000;
/**
 * How long a token request, once sent, is waited for in the background (the person's request gives
 * up after `timeoutSeconds`). A refresh token is used once: a provider that was only frozen
 * answers a renewal late, and an answer thrown away would leave the session with a refresh token
 * the provider has already replaced (and a second try with it counts as a reuse, which revokes the
 * grant). So the renewal is kept in flight and shared until the provider answers or this passes.
 */
const PROVIDER_CALL_MAX_SECONDS = 300;
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
 *
 * A provider that does not answer (stopped, frozen, restarting) ends nobody's session: a renewal
 * it misses is tried again on the next request, the current token serves while it is valid, and
 * after that the request is refused with 503 IDENTITY_PROVIDER_UNAVAILABLE until the provider is
 * back and the renewal goes through, without signing in again. Only the provider's own refusal
 * (an OAuth error, or a token the services do not accept) ends a session.
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
      let configuration: client.Configuration;
      try {
        configuration = await this.configuration(organisation);
      } catch {
        providerAway(res, organisation);
        return;
      }
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
        // A code is used once: an answer that comes after the person was told to start again is simply not used.
        const tokens = await this.within(
          client.authorizationCodeGrant(configuration, current, {
            pkceCodeVerifier: pending.codeVerifier,
            expectedState: pending.state,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          }),
        );
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
        // The provider did not answer the code exchange: nobody is signed in, and the person may simply try again.
        if (!refusedByProvider(error)) {
          providerAway(res, pending.organisation);
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
    // Still valid for a while: this request goes on with it, and does not wait for the provider.
    const usable = () => session.accessExpiresAt.getTime() - LAST_USE_MS > this.now();
    if (usable()) {
      renewal.catch(() => undefined);
      return session;
    }
    try {
      return await this.within(renewal);
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError && usable()) return session;
      throw error;
    }
  }

  /** The provider's answer within `timeoutSeconds`, else IdentityProviderUnavailableError (the call itself goes on). */
  private within<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new IdentityProviderUnavailableError()), (this.options.timeoutSeconds ?? 10) * 1000);
    });
    return Promise.race([call, late]).finally(() => clearTimeout(timer));
  }

  private async renew(session: Session, organisation: Organisation, oidc: NonNullable<Session['oidc']>, refreshToken: string): Promise<Session | undefined> {
    try {
      const tokens = await client.refreshTokenGrant(await this.configuration(organisation), refreshToken);
      await this.userOf(tokens.access_token, organisation);
      session.accessToken = tokens.access_token;
      session.accessExpiresAt = tokenExpiry(tokens.access_token);
      oidc.refreshToken = tokens.refresh_token ?? refreshToken;
      return session;
    } catch (error) {
      if (refusedByProvider(error)) return this.end(session);
      // The provider did not answer: keep the session (and its refresh token) for the next try.
      throw new IdentityProviderUnavailableError();
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
      configuration = client
        .discovery(new URL(organisation.issuer), this.options.clientId, undefined, client.None(), {
          execute: this.options.allowInsecureRequests ? [client.allowInsecureRequests] : [],
          timeout: this.options.timeoutSeconds ?? 10,
        })
        .then((found) => {
          // Token requests once sent are waited for long (PROVIDER_CALL_MAX_SECONDS); people's requests race `within`.
          found.timeout = PROVIDER_CALL_MAX_SECONDS;
          return found;
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

/**
 * Whether the provider answered and said no (an OAuth error such as invalid_grant, or a token the
 * services do not accept), as opposed to not answering at all (network, time limit, its 5xx).
 */
function refusedByProvider(error: unknown): boolean {
  if (error instanceof client.ResponseBodyError) return error.status < 500;
  return error instanceof AuthenticationError;
}

/** The provider of the organisation did not answer: a page in Swedish saying so (HTTP 503), nothing kept. */
function providerAway(res: Response, organisation: Organisation): void {
  res
    .status(503)
    .set('retry-after', '30')
    .type('text/plain; charset=utf-8')
    .send(`Inloggningstjänsten hos ${organisation.name} svarar inte just nu. Ingen har loggats in. Försök igen om en stund från inloggningssidan.`);
}
