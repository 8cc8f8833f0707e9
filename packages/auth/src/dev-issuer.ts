import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role } from './roles';

/** Issuer and audience of the test issuer's tokens. Production configuration names its own. */
export const DEV_ISSUER = 'urn:sodertorn:dev-issuer';
export const DEV_AUDIENCE = 'sodertorn-federation';

export interface TokenRequest {
  sub: string;
  roles: Role[];
  municipality?: string;
  /** Lifetime, e.g. '8h' (default) or '5m'. */
  expiresIn?: string;
  /** The OAuth 2 client the token was issued to (`client_id`), as for client credentials. */
  clientId?: string;
}

/**
 * The test issuer: an ES256 key pair kept in a file outside git (created on
 * first use), and tokens minted for any identity. Tests whose subject is not
 * identity use it (through @sodertorn/testing); the services verify its tokens
 * as they would a real provider's, through its JWKS. `npm start` runs real
 * OpenID Providers instead (@sodertorn/identity-provider).
 */
export class DevIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwk: JWK,
  ) {}

  /** Loads the key pair from `keyFile`, creating it the first time. */
  static async open(keyFile: string): Promise<DevIssuer> {
    if (!existsSync(keyFile)) {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `dev-${Date.now().toString(36)}`;
      const stored = {
        private: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
        public: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      };
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(stored, null, 2), { mode: 0o600 });
    }
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { private: JWK; public: JWK };
    return new DevIssuer(stored.private, stored.public);
  }

  /** The JWKS document the services verify against. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async mint(request: TokenRequest): Promise<string> {
    const key = await importJWK(this.privateJwk, 'ES256');
    const claims: Record<string, unknown> = { roles: request.roles };
    if (request.municipality) claims.municipality = request.municipality;
    if (request.clientId) claims.client_id = request.clientId;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.privateJwk.kid, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject(request.sub)
      .setIssuedAt()
      .setExpirationTime(request.expiresIn ?? '8h')
      .sign(key);
  }
}
