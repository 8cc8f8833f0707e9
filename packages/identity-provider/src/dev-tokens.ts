import { discoverTokenEndpoint, requestToken, type Role } from '@sodertorn/auth';
import { DEV_TOKEN_CLIENT_ID } from './dev-region';
import { DEV_USER_GRANT } from './spec';

const tokenEndpoints = new Map<string, Promise<string>>();

/** The provider's token endpoint, by OIDC discovery (remembered per issuer). */
export function tokenEndpointOf(issuer: string): Promise<string> {
  let endpoint = tokenEndpoints.get(issuer);
  if (!endpoint) {
    endpoint = discoverTokenEndpoint(issuer);
    endpoint.catch(() => tokenEndpoints.delete(issuer));
    tokenEndpoints.set(issuer, endpoint);
  }
  return endpoint;
}

/**
 * A token for any identity, minted by a development provider through its
 * dev-user grant (what `npm run token` and the end-to-end tests use). The
 * provider signs whatever is asked; the services decide whether that issuer may vouch for it.
 */
export async function devUserToken(
  issuer: string,
  devTokenSecret: string,
  identity: { sub: string; roles: readonly Role[]; municipality?: string },
): Promise<string> {
  const params: Record<string, string> = { grant_type: DEV_USER_GRANT, sub: identity.sub, role: identity.roles.join(' ') };
  if (identity.municipality) params.municipality = identity.municipality;
  const { accessToken } = await requestToken(await tokenEndpointOf(issuer), { clientId: DEV_TOKEN_CLIENT_ID, clientSecret: devTokenSecret }, params);
  return accessToken;
}
