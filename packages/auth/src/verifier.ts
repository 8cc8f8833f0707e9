import { decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError, IdentityProviderUnavailableError } from '@sodertorn/errors';
import { mapClaims } from './claims';
import type { Identity } from './identity';
import { issuerKeys, IssuerUnreachable, type KeyFetchOptions } from './issuer-keys';
import { parseTrustedIssuers, type TrustedIssuer, type TrustedIssuerConfig } from './trusted-issuers';
import { VerifiedTokens, type VerifiedTokenCacheOptions } from './verified-tokens';

/** Asymmetric algorithms only: never `none`, never an HMAC that a public key could forge. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

export interface TokenVerifierOptions extends KeyFetchOptions {
  /** Every issuer whose tokens are accepted, each with its audience, keys, claim mapping and what it may vouch for. */
  issuers: TrustedIssuer[];
  /** Allowed clock difference for exp/nbf, in seconds. */
  clockToleranceSeconds?: number;
  /** How verified tokens are remembered (see VerifiedTokens): by default up to 1,000, each at most 60 s and never past its exp. */
  verifiedTokenCache?: VerifiedTokenCacheOptions;
}

export interface TokenVerifier {
  /**
   * Verifies an `Authorization` header value; throws AuthenticationError (401) if it is not a valid
   * token of ours, IdentityProviderUnavailableError (503) if its issuer's keys were never to be had.
   */
  verifyAuthorization(header: string | undefined): Promise<Identity>;
  /**
   * Takes each trusted issuer's `revokedClients` from `issuers` (the trust file read again), so a
   * withdrawn client is refused at once, without a restart. Nothing else is taken over: trusting
   * a new issuer, or another audience or claim mapping, is a decision for a restart. Returns the
   * issuers whose other settings differ from those in use (added, removed or changed), which
   * need one. Throws, naming the field, if `issuers` is not a valid trust list.
   */
  updateRevokedClients(issuers: TrustedIssuer[]): string[];
}

interface Issuer {
  config: TrustedIssuerConfig;
  keys: JWTVerifyGetKey;
}

/**
 * Verifies access tokens of several trusted issuers with jose. The token's
 * (unverified) `iss` picks the issuer; then its signature is checked against
 * that issuer's keys, with its audience, exp/nbf with a small skew and an
 * algorithm allow-list; then the issuer's claim mapping gives roles and
 * municipality, and the issuer must be one that may vouch for them. A token
 * verified once is not verified again until its exp (or a minute at most):
 * the identity is remembered, keyed by the token's hash.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const issuers = new Map<string, Issuer>(
    parseTrustedIssuers({ issuers: options.issuers }).map((config) => [config.issuer, { config, keys: issuerKeys(config, options) }]),
  );
  const verified = new VerifiedTokens(options.verifiedTokenCache);
  return {
    updateRevokedClients(given) {
      const next = new Map(parseTrustedIssuers({ issuers: given }).map((config) => [config.issuer, config]));
      const needRestart = [...next.keys()].filter((name) => !issuers.has(name));
      for (const [name, issuer] of issuers) {
        const config = next.get(name);
        if (!config) {
          needRestart.push(name);
          continue;
        }
        if (!sameExceptRevoked(config, issuer.config)) needRestart.push(name);
        issuer.config = { ...issuer.config, revokedClients: config.revokedClients };
      }
      // A remembered verification skips the revocation check: a client revoked now is refused on its next call.
      verified.clear();
      return needRestart;
    },
    async verifyAuthorization(header) {
      const token = bearerToken(header);
      const remembered = verified.get(token);
      if (remembered) return remembered;
      const issuer = issuers.get(unverifiedIssuer(token));
      if (!issuer) throw new AuthenticationError("the token's iss claim is not accepted: its issuer is not one this federation trusts");
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, issuer.keys, {
          issuer: issuer.config.issuer,
          audience: issuer.config.audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: options.clockToleranceSeconds ?? 30,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        if (error instanceof errors.JWKSTimeout || error instanceof IssuerUnreachable) throw new IdentityProviderUnavailableError();
        throw new AuthenticationError(reasonOf(error));
      }
      if (typeof payload.client_id === 'string' && issuer.config.revokedClients.includes(payload.client_id)) {
        throw new AuthenticationError(`the client ${payload.client_id} has been revoked`);
      }
      const claims = mapClaims(payload, issuer.config);
      if ('refused' in claims) throw new AuthenticationError(claims.refused);
      const identity: Identity = { sub: claims.sub, municipality: claims.municipality, roles: claims.roles, token };
      verified.remember(token, identity, payload.exp as number);
      return identity;
    },
  };
}

function sameExceptRevoked(a: TrustedIssuerConfig, b: TrustedIssuerConfig): boolean {
  const rest = ({ revokedClients: _revoked, ...others }: TrustedIssuerConfig) => JSON.stringify(others);
  return rest(a) === rest(b);
}

/** The `iss` the token says it has: only to choose whose keys check it. */
function unverifiedIssuer(token: string): string {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : '';
  } catch {
    throw new AuthenticationError('the token is malformed or invalid');
  }
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
