export { Role, ALL_ROLES, MUNICIPAL_ROLES } from './roles';
export { hasRole, type Identity } from './identity';
export { AuthenticationError } from '@sodertorn/errors';
export { createTokenVerifier, ALLOWED_ALGORITHMS, type TokenVerifier, type TokenVerifierOptions } from './verifier';
export type { VerifiedTokenCacheOptions } from './verified-tokens';
export { parseTrustedIssuers, rolesVouchedFor, type TrustedIssuer, type TrustedIssuerConfig, type ClaimMapping } from './trusted-issuers';
export { discoveryUrl, type KeyFetchOptions } from './issuer-keys';
export {
  clientCredentialsTokenProvider,
  discoverTokenEndpoint,
  IdentityProviderUnreachable,
  requestToken,
  type ClientCredentials,
  type TokenProvider,
} from './client-credentials';
export { DevIssuer, DEV_ISSUER, DEV_AUDIENCE, type TokenRequest } from './dev-issuer';
