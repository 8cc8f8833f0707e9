import type { TokenVerifierOptions } from '@sodertorn/auth';
import { ConfigError, parseEnv, z } from './config';

/**
 * Token verification settings every service needs. There is no default: a
 * service without an issuer, an audience and a JWKS refuses to start (the local
 * runner passes its development issuer's).
 */
export function parseAuthEnv(service: string, source: NodeJS.ProcessEnv = process.env): TokenVerifierOptions {
  const config = parseEnv(
    service,
    {
      AUTH_ISSUER: z.string({ error: 'must name the token issuer (iss), e.g. https://login.example.se/realms/sodertorn' }),
      AUTH_AUDIENCE: z.string({ error: 'must name the audience (aud) tokens are issued for, e.g. sodertorn-federation' }),
      AUTH_JWKS_URL: z.url("must be the URL of the issuer's JWKS").optional(),
      AUTH_JWKS_FILE: z.string().optional(),
      AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(0).max(300).default(30),
    },
    source,
  );
  if (!config.AUTH_JWKS_URL && !config.AUTH_JWKS_FILE) {
    throw new ConfigError(service, ["AUTH_JWKS_URL or AUTH_JWKS_FILE is required: the issuer's keys, to verify tokens with"]);
  }
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwksUrl: config.AUTH_JWKS_URL,
    jwksFile: config.AUTH_JWKS_FILE,
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
  };
}
