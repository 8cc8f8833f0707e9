import type { Role } from '@sodertorn/auth';

/** A person who can sign in at a development provider. */
export interface DemoAccount {
  sub: string;
  /** Shown on the login page, Swedish. */
  name: string;
  roles: Role[];
  /** Kommunkod, for municipal staff. */
  municipality?: string;
}

/** A confidential client that gets tokens for itself with client credentials: a service or a BI tool. */
export interface ServiceClient {
  clientId: string;
  clientSecret: string;
  /** The roles its tokens carry. */
  roles: Role[];
  /** May use the development grant that mints a token for any demo identity (`npm run token`). */
  devUserGrant?: boolean;
}

/** Everything one development OpenID Provider needs; JSON, so it can be handed to the provider process. */
export interface ProviderSpec {
  /** `region`, or the municipality's kommunkod. */
  name: string;
  /** Shown on the login page, e.g. "Huddinge kommun". */
  displayName: string;
  /** Port to listen on; 0 or absent: a free one. */
  port?: number;
  /** The `aud` of its access tokens (the federation's API as a resource indicator). */
  audience: string;
  accounts: DemoAccount[];
  clients: ServiceClient[];
  /** Redirect URIs of the public client `web` (authorization code + PKCE). */
  webRedirectUris: string[];
  webPostLogoutRedirectUris?: string[];
  /**
   * Entra ID style: access tokens carry `groups` (these group ids, one per role) and no
   * `roles` or `municipality` claim; relying parties map them back (docs/identity.md).
   */
  groupIds?: Partial<Record<Role, string>>;
  /** Access token lifetime (default 3600 s, as Entra ID's). */
  accessTokenTtlSeconds?: number;
  /** Where its signing keys are kept across runs; absent: a fresh key in memory. */
  keyFile?: string;
}

/** The public client of the web application. */
export const WEB_CLIENT_ID = 'web';
/** Scope of the federation's API at every development provider. */
export const API_SCOPE = 'api';
/** The development-only grant `npm run token` uses: a token for any demo identity, asked for by a trusted local client. */
export const DEV_USER_GRANT = 'urn:sodertorn:params:oauth:grant-type:dev-user';
