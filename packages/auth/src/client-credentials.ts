import { discoveryUrl } from './issuer-keys';

export interface ClientCredentials {
  /** The issuer; its token endpoint is found by OIDC discovery… */
  issuer?: string;
  /** …or given directly. */
  tokenEndpoint?: string;
  clientId: string;
  clientSecret: string;
  /** RFC 8707 resource indicator: the API the token is for (its `aud`), if the provider wants one named. */
  resource?: string;
  scope?: string;
  /** Renew when less than this is left of the token's life (default 60 s, or a third of a shorter life). */
  renewBeforeSeconds?: number;
  timeoutMs?: number;
}

/** A bearer token for outgoing calls, always one that is valid for a while yet. */
export type TokenProvider = () => Promise<string>;

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** The issuer's token endpoint, by OIDC discovery. */
export async function discoverTokenEndpoint(issuer: string, timeoutMs = 5_000): Promise<string> {
  const response = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} answered HTTP ${response.status}`);
  const { token_endpoint } = (await response.json()) as { token_endpoint?: unknown };
  if (typeof token_endpoint !== 'string') throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} has no token_endpoint`);
  return token_endpoint;
}

async function tokenEndpointOf(credentials: ClientCredentials, timeoutMs: number): Promise<string> {
  if (credentials.tokenEndpoint) return credentials.tokenEndpoint;
  if (!credentials.issuer) throw new Error('client credentials need an issuer or a token endpoint');
  return discoverTokenEndpoint(credentials.issuer, timeoutMs);
}

/** POSTs a token request (client_secret_basic) and returns the token with its lifetime. */
export async function requestToken(
  tokenEndpoint: string,
  client: { clientId: string; clientSecret: string },
  params: Record<string, string>,
  timeoutMs = 5_000,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => ({}))) as TokenResponse;
  if (!response.ok || typeof body.access_token !== 'string') {
    const reason =
      typeof body.error === 'string'
        ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`
        : `HTTP ${response.status}`;
    throw new Error(`the token endpoint ${tokenEndpoint} refused client ${client.clientId} (${reason})`);
  }
  return { accessToken: body.access_token, expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : 300 };
}

/**
 * A service's own credentials (OAuth 2 client credentials): fetches a
 * short-lived token when first asked, hands out the same one while it is fresh,
 * and fetches the next one before it expires. Concurrent callers share one
 * request. `now` is for tests that move the clock.
 */
export function clientCredentialsTokenProvider(credentials: ClientCredentials, now: () => number = Date.now): TokenProvider {
  const timeoutMs = credentials.timeoutMs ?? 5_000;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let endpoint: string | undefined;
  const fetchToken = async () => {
    endpoint ??= await tokenEndpointOf(credentials, timeoutMs);
    const params: Record<string, string> = { grant_type: 'client_credentials' };
    if (credentials.resource) params.resource = credentials.resource;
    if (credentials.scope) params.scope = credentials.scope;
    const issuedAt = now();
    const { accessToken, expiresInSeconds } = await requestToken(endpoint, credentials, params, timeoutMs);
    const margin = Math.min(credentials.renewBeforeSeconds ?? 60, expiresInSeconds / 3);
    current = { token: accessToken, renewAt: issuedAt + (expiresInSeconds - margin) * 1000 };
    return accessToken;
  };
  return () => {
    if (current && now() < current.renewAt) return Promise.resolve(current.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
