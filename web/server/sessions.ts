import { randomBytes } from 'node:crypto';

/** Who a session is for: claims of the token, nothing more (no name, no personal data). */
export interface SessionUser {
  sub: string;
  roles: string[];
  municipality: string | null;
  /** How the sign-in page and the header name the user, e.g. "samordnare (demo)". */
  who: string;
}

export interface Session {
  id: string;
  user: SessionUser;
  /** The access token the web server sends to the gateway; it never reaches the browser. */
  accessToken: string;
  /** When the access token expires; a session with a refresh token renews it then. */
  accessExpiresAt: Date;
  /** The end of the session (and its cookie); without a refresh token, the access token's expiry. */
  expiresAt: Date;
  /** OpenID Connect sign-in: whose provider, the refresh token and the ID token (for signing out there); server-side only. */
  oidc?: { organisation: string; refreshToken?: string; idToken?: string };
}

/**
 * Sessions in the web server's memory, by an unguessable id (256 bits) that is the only thing
 * the browser holds (an HttpOnly cookie). A restart signs everyone out, which is acceptable for
 * a single web server process; several processes would share a store (e.g. the regional database).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(user: SessionUser, accessToken: string, expiresAt: Date, oidc?: Session['oidc'], accessExpiresAt: Date = expiresAt): Session {
    this.prune();
    const session: Session = { id: randomBytes(32).toString('base64url'), user, accessToken, accessExpiresAt, expiresAt, oidc };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id; an expired one is removed and not returned. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt.getTime() <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private prune(): void {
    for (const [id, s] of this.sessions) if (s.expiresAt.getTime() <= this.now()) this.sessions.delete(id);
  }
}

/** The expiry (`exp`) of a JWT, read without verifying it: the gateway verifies every request. */
export function tokenExpiry(token: string): Date {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
  if (typeof payload.exp !== 'number') throw new Error('the access token has no expiry (exp)');
  return new Date(payload.exp * 1000);
}
