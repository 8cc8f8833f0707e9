import { Role, type TrustedIssuer } from '@sodertorn/auth';
import { join } from 'node:path';
import type { DemoAccount, ProviderSpec, ServiceClient } from './spec';

/** The `aud` of every development provider's access tokens: the federation's API, as an RFC 8707 resource indicator. */
export const FEDERATION_AUDIENCE = 'urn:sodertorn:federation';
/** The provider of the region (coordinators, analysts, services); municipalities' providers are named by kommunkod. */
export const REGION_PROVIDER = 'region';
/** The local client that may mint any demo identity's token (`npm run token`); never in a deployment. */
export const DEV_TOKEN_CLIENT_ID = 'dev-token-tool';

export interface Member {
  code: string;
  name: string;
}

/** A municipality's demo staff: one caseworker, one housing manager, one auditor, one data protection officer. */
export function municipalAccounts(member: Member): DemoAccount[] {
  return [
    { sub: `caseworker-${member.code}-1`, name: `Handläggare, ${member.name}`, roles: [Role.CASEWORKER], municipality: member.code },
    { sub: `housing-${member.code}-1`, name: `Bostadsansvarig, ${member.name}`, roles: [Role.HOUSING_MANAGER], municipality: member.code },
    { sub: `auditor-${member.code}-1`, name: `Granskare, ${member.name}`, roles: [Role.AUDITOR], municipality: member.code },
    { sub: `dataskydd-${member.code}-1`, name: `Dataskydd, ${member.name}`, roles: [Role.DATA_PROTECTION_OFFICER], municipality: member.code },
  ];
}

/** The region's demo people: a coordinator (samordnare) and an analyst. */
export const REGION_ACCOUNTS: readonly DemoAccount[] = [
  { sub: 'coordinator-1', name: 'Samordnare, Södertörn', roles: [Role.COORDINATOR] },
  { sub: 'analyst-1', name: 'Analytiker, Södertörn', roles: [Role.ANALYST] },
];

/**
 * Entra ID style group object ids of a municipality's tenant, one group per role.
 * Made up (but shaped like GUIDs) and fixed, so a trust file can name them.
 */
export function entraGroupIds(code: string): Partial<Record<Role, string>> {
  return {
    [Role.CASEWORKER]: `6f1c0a3e-${code}-4c1a-9e2b-000000000001`,
    [Role.HOUSING_MANAGER]: `6f1c0a3e-${code}-4c1a-9e2b-000000000002`,
    [Role.AUDITOR]: `6f1c0a3e-${code}-4c1a-9e2b-000000000003`,
    [Role.DATA_PROTECTION_OFFICER]: `6f1c0a3e-${code}-4c1a-9e2b-000000000004`,
    [Role.RETENTION_SERVICE]: `6f1c0a3e-${code}-4c1a-9e2b-000000000005`,
  };
}

export interface DevRegionOptions {
  members: readonly Member[];
  /** Confidential clients of the region's provider: services (SERVICE) and BI tools (ANALYST). */
  regionClients: ServiceClient[];
  /** Secret of the dev-token-tool client at every provider. */
  devTokenSecret: string;
  webRedirectUris: string[];
  webPostLogoutRedirectUris?: string[];
  /** Municipalities whose provider speaks Entra ID style (`groups` of object ids, no municipality claim). */
  entraStyle?: readonly string[];
  /** Keep signing keys here across runs; absent: fresh keys each run. */
  keyDir?: string;
  accessTokenTtlSeconds?: number;
}

/** One provider per municipality and the region's, as `npm start` and the end-to-end tests run them. */
export function devRegionProviders(options: DevRegionOptions): ProviderSpec[] {
  const devTokenClient: ServiceClient = { clientId: DEV_TOKEN_CLIENT_ID, clientSecret: options.devTokenSecret, roles: [], devUserGrant: true };
  const common = {
    audience: FEDERATION_AUDIENCE,
    webRedirectUris: options.webRedirectUris,
    webPostLogoutRedirectUris: options.webPostLogoutRedirectUris,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  };
  const keyFile = (name: string) => (options.keyDir ? join(options.keyDir, `${name}.jwks.json`) : undefined);
  return [
    {
      ...common,
      name: REGION_PROVIDER,
      displayName: 'Södertörns region',
      accounts: [...REGION_ACCOUNTS],
      clients: [...options.regionClients, devTokenClient],
      keyFile: keyFile(REGION_PROVIDER),
    },
    ...options.members.map((member) => ({
      ...common,
      name: member.code,
      displayName: `${member.name} kommun`,
      accounts: municipalAccounts(member),
      clients: [devTokenClient],
      groupIds: options.entraStyle?.includes(member.code) ? entraGroupIds(member.code) : undefined,
      keyFile: keyFile(member.code),
    })),
  ];
}

/**
 * What the services trust, for the running providers: the region's for
 * coordinators, analysts and services; each municipality's for its own staff,
 * with the claim mapping its tokens need (Entra style: groups → roles, fixed municipality).
 */
export function trustedIssuersOf(specs: readonly ProviderSpec[], issuers: Record<string, string>): TrustedIssuer[] {
  return specs.map((spec) => {
    const issuer = issuers[spec.name];
    if (!issuer) throw new Error(`provider ${spec.name} is not running`);
    if (spec.name === REGION_PROVIDER) return { issuer, audience: spec.audience, vouchesFor: { region: true } };
    const roleMap = spec.groupIds && Object.fromEntries(Object.entries(spec.groupIds).map(([role, id]) => [id, role as Role]));
    return {
      issuer,
      audience: spec.audience,
      vouchesFor: { municipality: spec.name },
      claims: roleMap ? { roles: 'groups', roleMap, municipality: { value: spec.name } } : undefined,
    };
  });
}
