import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError } from '@sodertorn/errors';
import { parseClaims } from './claims';
import type { Identity } from './identity';

/** Asymmetric algorithms only: never `none`, never an HMAC that a public key could forge. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys… */
  jwksUrl?: string;
  /** …or a JWKS document on disk. */
  jwksFile?: string;
  /** Allowed clock difference for exp/nbf, in seconds. */
  clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  /** Verifies an `Authorization` header value; throws AuthenticationError (401) if it is not a valid token of ours. */
  verifyAuthorization(header: string | undefined): Promise<Identity>;
}

/**
 * Verifies access tokens with jose: signature against the JWKS, issuer,
 * audience, exp/nbf with a small skew, and an algorithm allow-list.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = keySource(options);
  return {
    async verifyAuthorization(header) {
      const token = bearerToken(header);
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: options.clockToleranceSeconds ?? 30,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw new AuthenticationError(reasonOf(error));
      }
      const claims = parseClaims(payload);
      if (!claims) throw new AuthenticationError('the token lacks valid sub, roles or municipality claims');
      return { sub: claims.sub, municipality: claims.municipality, roles: claims.roles, token };
    },
  };
}

function keySource(options: TokenVerifierOptions): JWTVerifyGetKey {
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  if (options.jwksFile) return createLocalJWKSet(JSON.parse(readFileSync(options.jwksFile, 'utf8')) as JSONWebKeySet);
  throw new Error('a token verifier needs a JWKS URL or a JWKS file');
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header?.trim() ?? '');
  if (!match) throw new AuthenticationError(header ? 'the Authorization header is not "Bearer <token>"' : 'no token was sent');
  return match[1]!;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm that is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  return 'the token is malformed or invalid';
}
