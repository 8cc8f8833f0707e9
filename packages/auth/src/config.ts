import { z } from 'zod';
import type { TokenVerifierOptions } from './verifier';

/**
 * The token-verification part of a service's environment. There is no default:
 * a service without an issuer and a JWKS refuses to start (the local runner
 * passes its development issuer's).
 */
export const authEnvShape = {
  AUTH_ISSUER: z.string({ error: 'must name the token issuer (iss), e.g. https://login.example.se/realms/sodertorn' }).min(1),
  AUTH_AUDIENCE: z.string({ error: 'must name the audience (aud) tokens are issued for, e.g. sodertorn-federation' }).min(1),
  AUTH_JWKS_URL: z.url('must be the URL of the issuer\'s JWKS').optional(),
  AUTH_JWKS_FILE: z.string().min(1).optional(),
};

export function authOptionsFrom(env: { AUTH_ISSUER: string; AUTH_AUDIENCE: string; AUTH_JWKS_URL?: string; AUTH_JWKS_FILE?: string }): TokenVerifierOptions {
  if (!env.AUTH_JWKS_URL && !env.AUTH_JWKS_FILE) {
    throw new Error('set AUTH_JWKS_URL (the issuer\'s JWKS endpoint) or AUTH_JWKS_FILE (a JWKS document) so tokens can be verified');
  }
  return { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE, jwksUrl: env.AUTH_JWKS_URL, jwksFile: env.AUTH_JWKS_FILE };
}
