// Only what runs in CommonJS callers: the providers themselves (oidc-provider, an ES module) run in their own process.
export { spawnProviders, type ProviderProcess, type ProviderMessage } from './spawn';
export { type ProviderSpec, type DemoAccount, type ServiceClient, WEB_CLIENT_ID, API_SCOPE, DEV_USER_GRANT } from './spec';
export {
  devRegionProviders,
  trustedIssuersOf,
  municipalAccounts,
  entraGroupIds,
  REGION_ACCOUNTS,
  FEDERATION_AUDIENCE,
  REGION_PROVIDER,
  DEV_TOKEN_CLIENT_ID,
  type DevRegionOptions,
  type Member,
} from './dev-region';
export { devUserToken, tokenEndpointOf } from './dev-tokens';
