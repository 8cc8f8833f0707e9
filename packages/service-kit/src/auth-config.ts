import { parseTrustedIssuers, type TokenVerifierOptions, type TrustedIssuerConfig } from '@sodertorn/auth';
import { readFileSync } from 'node:fs';
import { ConfigError, parseEnv, z } from './config';

export interface AuthSettings extends TokenVerifierOptions {
  /** AUTH_TRUSTED_ISSUERS_FILE, when the issuers came from it: watched for its revoked clients (reloadRevokedClients). */
  trustedIssuersFile?: string;
}

/** A trusted-issuers file's text as the verifier takes it; throws, naming the file and the wrong field. */
export function readTrustedIssuers(text: string, file: string): TrustedIssuerConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  try {
    return parseTrustedIssuers(json);
  } catch (error) {
    throw new Error(`${file} is invalid: ${(error as Error).message}`);
  }
}

/**
 * Token verification settings every service needs. There is no default: a
 * service that trusts no issuer refuses to start.
 *
 * - AUTH_TRUSTED_ISSUERS_FILE: the trusted issuers, each with its audience, claim
 *   mapping and what it may vouch for (docs/identity.md) — how a region with
 *   each municipality's own identity provider runs;
 * - or AUTH_ISSUER and AUTH_AUDIENCE (with AUTH_JWKS_URL or AUTH_JWKS_FILE, else
 *   OIDC discovery): one issuer that vouches for everyone, for a single-provider setup.
 */
export function parseAuthEnv(service: string, source: NodeJS.ProcessEnv = process.env): AuthSettings {
  const common = parseEnv(
    service,
    {
      AUTH_TRUSTED_ISSUERS_FILE: z.string().optional(),
      AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(0).max(300).default(30),
    },
    source,
  );
  const clockToleranceSeconds = common.AUTH_CLOCK_TOLERANCE_SECONDS;
  if (common.AUTH_TRUSTED_ISSUERS_FILE) {
    const file = common.AUTH_TRUSTED_ISSUERS_FILE;
    try {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return { issuers: readTrustedIssuers(text, file), clockToleranceSeconds, trustedIssuersFile: file };
    } catch (error) {
      throw new ConfigError(service, [`AUTH_TRUSTED_ISSUERS_FILE: ${(error as Error).message}`]);
    }
  }
  const single = parseEnv(
    service,
    {
      AUTH_ISSUER: z.string({
        error: 'must name the token issuer (iss), e.g. https://login.example.se/realms/sodertorn — or set AUTH_TRUSTED_ISSUERS_FILE for several issuers',
      }),
      AUTH_AUDIENCE: z.string({ error: 'must name the audience (aud) tokens are issued for, e.g. sodertorn-federation' }),
      AUTH_JWKS_URL: z.url("must be the URL of the issuer's JWKS").optional(),
      AUTH_JWKS_FILE: z.string().optional(),
    },
    source,
  );
  return {
    issuers: [
      {
        issuer: single.AUTH_ISSUER,
        audience: single.AUTH_AUDIENCE,
        jwksUrl: single.AUTH_JWKS_URL,
        jwksFile: single.AUTH_JWKS_FILE,
        vouchesFor: { region: true, municipalStaff: true },
      },
    ],
    clockToleranceSeconds,
  };
}
