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

/**
 * The identity provider gave no answer: said in words a caller can pass on (the time limit, or the
 * network's code for a connection never made), not as fetch's bare "fetch failed".
 */
export class IdentityProviderUnreachable extends Error {
  constructor(cause: unknown, timeoutMs: number) {
    const code = (cause as { cause?: { code?: unknown } }).cause?.code;
    super(
      (cause as Error).name === 'TimeoutError'
        ? `the identity provider did not answer within ${timeoutMs} ms`
        : `the identity provider could not be reached${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause },
    );
  }
}

/** fetch, with the provider's silence as IdentityProviderUnreachable. */
async function askProvider(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new IdentityProviderUnreachable(error, timeoutMs);
  }
}

/** The issuer's token endpoint, by OIDC discovery. */
export async function discoverTokenEndpoint(issuer: string, timeoutMs = 5_000): Promise<string> {
  const response = await askProvider(discoveryUrl(issuer), {}, timeoutMs);
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
  const response = await askProvider(
    tokenEndpoint,
    {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params),
    },
    timeoutMs,
  );
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

/** After a failed renewal, how long the still-valid token is used before the provider is asked again. */
const RENEW_RETRY_MS = 10_000;
/** A token this close to its expiry is not handed out: the call it is for must still arrive in time. */
const LAST_USE_MARGIN_MS = 5_000;

/**
 * A service's own credentials (OAuth 2 client credentials): fetches a
 * short-lived token when first asked, hands out the same one while it is fresh,
 * and fetches the next one before it expires. Concurrent callers share one
 * request. The next one is fetched while the current one is still handed out; if
 * the provider cannot give it (stopped, frozen, refusing), the current token is
 * used while it is still valid, and the provider asked again every
 * RENEW_RETRY_MS: a provider's outage shorter than the renewal margin costs
 * nothing. Without a valid token, the provider's error is the caller's. `now` is
 * for tests that move the clock.
 */
export function clientCredentialsTokenProvider(credentials: ClientCredentials, now: () => number = Date.now): TokenProvider {
  const timeoutMs = credentials.timeoutMs ?? 5_000;
  let current: { token: string; renewAt: number; expiresAt: number } | undefined;
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
    current = { token: accessToken, renewAt: issuedAt + (expiresInSeconds - margin) * 1000, expiresAt: issuedAt + expiresInSeconds * 1000 };
    return accessToken;
  };
  const usable = () => current !== undefined && now() < current.expiresAt - LAST_USE_MARGIN_MS;
  return () => {
    if (current && now() < current.renewAt) return Promise.resolve(current.token);
    pending ??= fetchToken()
      .catch((error: unknown) => {
        if (!usable()) throw error;
        current!.renewAt = now() + RENEW_RETRY_MS;
        return current!.token;
      })
      .finally(() => {
        pending = undefined;
      });
    // A caller with a token still valid does not wait for the renewal (a frozen provider would hold it for timeoutMs).
    if (!usable()) return pending;
    pending.catch(() => undefined);
    return Promise.resolve(current!.token);
  };
}
