import { Role } from '@sodertorn/auth';
import type { JWK } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { API_SCOPE, DEV_USER_GRANT, WEB_CLIENT_ID, type DemoAccount, type ProviderSpec } from './spec';

/** What an access token says about its holder, in the provider's own claim style. */
function tokenClaims(spec: ProviderSpec, roles: readonly Role[], municipality: string | undefined): Record<string, unknown> {
  if (spec.groupIds) {
    // Entra ID puts group object ids in `groups`; the municipality is implied by the tenant.
    return { groups: roles.map((role) => spec.groupIds![role]).filter((id): id is string => !!id) };
  }
  return municipality ? { roles, municipality } : { roles };
}

/** The roles and municipality a dev-user grant asks for: `role` is space-separated, as OAuth scopes are. */
function devUserRequest(params: Record<string, unknown>): { roles: Role[]; municipality?: string } {
  const roles = String(params.role ?? '')
    .split(' ')
    .filter(Boolean);
  const unknown = roles.filter((role) => !Object.values(Role).includes(role as Role));
  if (!roles.length || unknown.length) throw new errors.InvalidRequest(`role must name one or more of ${Object.values(Role).join(', ')}`);
  const municipality = typeof params.municipality === 'string' && params.municipality ? params.municipality : undefined;
  if (municipality && !/^\d{4}$/.test(municipality)) throw new errors.InvalidRequest('municipality must be a four-digit kommunkod');
  return { roles: roles as Role[], municipality };
}

/**
 * One development OpenID Provider (the certified `oidc-provider` implementation):
 * discovery, JWKS, authorization code + PKCE for the public client `web`, client
 * credentials for services and BI tools, and JWT access tokens for the
 * federation's API carrying roles (or Entra-style groups) and the municipality.
 */
export function createProvider(spec: ProviderSpec, issuer: string, secrets: { signingKeys: JWK[]; cookieKey: string }): Provider {
  const accounts = new Map<string, DemoAccount>(spec.accounts.map((a) => [a.sub, a]));
  const clients = new Map(spec.clients.map((c) => [c.clientId, c]));
  const webOrigins = new Set(spec.webRedirectUris.map((uri) => new URL(uri).origin));
  const resourceServer = {
    scope: API_SCOPE,
    audience: spec.audience,
    accessTokenTTL: spec.accessTokenTtlSeconds ?? 3600,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: 'ES256' as const } },
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'Södertörn webbapp',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: spec.webRedirectUris,
        post_logout_redirect_uris: spec.webPostLogoutRedirectUris ?? [],
      },
      ...spec.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials', ...(client.devUserGrant ? [DEV_USER_GRANT] : [])],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    jwks: { keys: secrets.signingKeys },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    // The ID token itself carries name, roles and municipality (profile scope), for the web app to show who is signed in.
    conformIdTokenClaims: false,
    // Every provider listens on 127.0.0.1, and cookies do not tell ports apart: each its own names.
    cookies: {
      keys: [secrets.cookieKey],
      names: { session: `_session_${spec.name}`, interaction: `_interaction_${spec.name}`, resume: `_interaction_resume_${spec.name}` },
    },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'offline_access', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'roles', 'municipality'] },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      IdToken: 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    features: {
      // The login page is ours (login-page.ts): a choice of demo users, in Swedish.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Tokens are for the federation's API unless a client asks otherwise, so the web app need not name it.
        defaultResource: async () => spec.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== spec.audience) throw new errors.InvalidTarget(`this provider issues tokens only for ${spec.audience}`);
          return resourceServer;
        },
      },
    },
    // The web app's origin may call the token endpoint from the browser; nobody else's.
    clientBasedCORS: (_ctx, origin, client) => client.clientId === WEB_CLIENT_ID && webOrigins.has(origin),
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.name, roles: account.roles, municipality: account.municipality }) };
    },
    async extraTokenClaims(ctx: KoaContextWithOIDC, token) {
      if ('gty' in token && token.gty === DEV_USER_GRANT) {
        const { roles, municipality } = devUserRequest(ctx.oidc.params ?? {});
        return tokenClaims(spec, roles, municipality);
      }
      if ('accountId' in token && token.accountId) {
        const account = accounts.get(token.accountId);
        return account ? tokenClaims(spec, account.roles, account.municipality) : undefined;
      }
      const client = clients.get(token.clientId ?? '');
      return client ? tokenClaims(spec, client.roles, undefined) : undefined;
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.registerGrantType(
    DEV_USER_GRANT,
    async (ctx) => {
      const sub = ctx.oidc.params?.sub;
      if (typeof sub !== 'string' || !/^[A-Za-z0-9._@-]{1,200}$/.test(sub)) throw new errors.InvalidRequest('sub must be 1–200 letters, digits or ._@-');
      devUserRequest(ctx.oidc.params ?? {});
      const token = new provider.AccessToken({
        accountId: sub,
        client: ctx.oidc.client,
        gty: DEV_USER_GRANT,
        scope: API_SCOPE,
        resourceServer: { ...resourceServer, identifier: () => spec.audience },
      } as ConstructorParameters<typeof provider.AccessToken>[0]);
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: API_SCOPE };
    },
    ['sub', 'role', 'municipality'],
  );
  return provider;
}
