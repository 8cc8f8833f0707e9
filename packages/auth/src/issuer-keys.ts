import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuerConfig } from './trusted-issuers';

export interface KeyFetchOptions {
  /** Least time between two fetches of a JWKS (a token with an unknown kid asks for a new one). Default 30 s. */
  jwksCooldownMs?: number;
  /** How long fetched keys are used before they are fetched again. Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** Time limit of a discovery or JWKS request. Default 5 s. */
  fetchTimeoutMs?: number;
}

/** The OpenID Provider metadata this federation reads. */
interface Discovery {
  issuer?: unknown;
  jwks_uri?: unknown;
}

/** `<issuer>/.well-known/openid-configuration`, as OpenID Connect Discovery 1.0 places it (also for issuers with a path). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Finds the issuer's jwks_uri by discovery; the document must name the same issuer, or its keys are not the issuer's. */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  const response = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} answered HTTP ${response.status}`);
  const metadata = (await response.json()) as Discovery;
  if (metadata.issuer !== issuer) throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} names issuer ${String(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} has no jwks_uri`);
  return new URL(metadata.jwks_uri);
}

/**
 * The key source of one trusted issuer: its keys on disk, its JWKS URL, or — the
 * usual case — the jwks_uri found by discovery, fetched on first use. Remote keys
 * are cached, and fetched anew when a token names a kid not yet seen (key rotation).
 * A failed discovery is tried again on the next token rather than remembered.
 */
export function issuerKeys(trusted: TrustedIssuerConfig, options: KeyFetchOptions = {}): JWTVerifyGetKey {
  if (trusted.jwksFile) return createLocalJWKSet(JSON.parse(readFileSync(trusted.jwksFile, 'utf8')) as JSONWebKeySet);
  const timeoutMs = options.fetchTimeoutMs ?? 5_000;
  const remote = (url: URL) =>
    staleIfUnreachable(
      trusted.issuer,
      createRemoteJWKSet(url, {
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        timeoutDuration: timeoutMs,
      }),
    );
  if (trusted.jwksUrl) return remote(new URL(trusted.jwksUrl));
  let discovered: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    discovered ??= discoverJwksUri(trusted.issuer, timeoutMs)
      .then(remote)
      .catch((error: unknown) => {
        discovered = undefined;
        throw new IssuerUnreachable(trusted.issuer, error);
      });
    return (await discovered)(header, token);
  };
}

/**
 * The issuer's keys, and the last ones fetched while the issuer cannot be reached. jose fetches
 * the JWKS again once its cache is older than cacheMaxAge and fails the token if that fetch
 * fails; but a provider stopped, frozen or restarting has not withdrawn its keys, and failing
 * every token of a municipality for it would make a provider's outage the region's. A key the
 * provider has withdrawn is gone from the next JWKS it does answer. A JWKS that answered without
 * the token's key is an answer, not an outage: that token stays refused.
 */
function staleIfUnreachable(issuer: string, remote: ReturnType<typeof createRemoteJWKSet>): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      const lastKnown = remote.jwks();
      if (!lastKnown) throw new IssuerUnreachable(issuer, error);
      return createLocalJWKSet(lastKnown)(header, token);
    }
  };
}

/** The issuer's discovery document could not be had; tried again with the next token. */
export class IssuerUnreachable extends Error {
  constructor(issuer: string, cause: unknown) {
    super(`the keys of ${issuer} cannot be fetched: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
