import type { ClientCredentials } from '@sodertorn/auth';
import { readFileSync } from 'node:fs';
import { ConfigError, parseEnv, z } from './config';

/**
 * A service's own OAuth 2 client (client credentials at the region's identity
 * provider), for the short-lived tokens it calls other services with. Absent
 * when SERVICE_CLIENT_ID is not set; then the service makes no calls of its own.
 */
export function parseServiceCredentialsEnv(service: string, source: NodeJS.ProcessEnv = process.env): ClientCredentials | undefined {
  const config = parseEnv(
    service,
    {
      SERVICE_CLIENT_ID: z.string().min(1).optional(),
      SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
      SERVICE_CLIENT_SECRET_FILE: z.string().min(1).optional(),
      SERVICE_TOKEN_ISSUER: z.url('must be the URL of the identity provider that issues the service its tokens (OIDC discovery starts there)').optional(),
      SERVICE_TOKEN_RESOURCE: z.string().min(1).optional(),
    },
    source,
  );
  if (!config.SERVICE_CLIENT_ID) return undefined;
  const problems: string[] = [];
  if (!config.SERVICE_TOKEN_ISSUER) problems.push('SERVICE_TOKEN_ISSUER is required with SERVICE_CLIENT_ID: the identity provider that issues its tokens');
  let secret = config.SERVICE_CLIENT_SECRET;
  if (!secret && config.SERVICE_CLIENT_SECRET_FILE) {
    try {
      secret = readFileSync(config.SERVICE_CLIENT_SECRET_FILE, 'utf8').trim();
    } catch (error) {
      problems.push(`SERVICE_CLIENT_SECRET_FILE: ${(error as Error).message}`);
    }
  }
  if (!secret && !problems.some((p) => p.startsWith('SERVICE_CLIENT_SECRET_FILE'))) {
    problems.push('SERVICE_CLIENT_SECRET or SERVICE_CLIENT_SECRET_FILE is required with SERVICE_CLIENT_ID');
  }
  if (problems.length) throw new ConfigError(service, problems);
  return { issuer: config.SERVICE_TOKEN_ISSUER, clientId: config.SERVICE_CLIENT_ID, clientSecret: secret!, resource: config.SERVICE_TOKEN_RESOURCE };
}
