import { MUNICIPAL_ROLES, Role } from '@sodertorn/auth';
import {
  devRegionProviders,
  devUserToken,
  FEDERATION_AUDIENCE,
  REGION_PROVIDER,
  spawnProviders,
  trustedIssuersOf,
  type Member,
  type ProviderProcess,
  type ProviderSpec,
} from '@sodertorn/identity-provider';
import { encodeStatisticsPublicKey, formatStatisticsPublicKeys, generateStatisticsKeyPair, readStatisticsPrivateKey } from '@sodertorn/municipality';
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the development identity providers keep their signing keys, and the services' trust file (outside git). */
export const DEV_IDENTITY_DIR = resolve(__dirname, '../../.data/dev-identity');

/** A confidential client of the region's provider. */
export interface DevClient {
  clientId: string;
  clientSecret: string;
}

export interface DevIdentity {
  providers: ProviderProcess;
  specs: ProviderSpec[];
  /** Secret of the dev-token-tool client (the dev-user grant of every provider). */
  devTokenSecret: string;
  /** The regional subgraph's own client (role SERVICE). */
  regionalService: DevClient;
  /** A BI tool's client (role ANALYST), for the statistics export. */
  biClient: DevClient;
  /** The AUTH_* environment every service verifies tokens with: the trust file of all providers. */
  authEnv: Record<string, string>;
  /** A token for any identity, from the provider that vouches for it (see providerFor). */
  token(identity: { sub: string; roles: Role[]; municipality?: string }): Promise<string>;
}

/** Whose provider vouches for an identity: a municipality's for its staff, the region's for everyone else. */
export function providerFor(identity: { roles: readonly Role[]; municipality?: string }): string {
  return identity.municipality && identity.roles.some((role) => MUNICIPAL_ROLES.has(role)) ? identity.municipality : REGION_PROVIDER;
}

const secret = () => randomBytes(24).toString('base64url');

/**
 * Starts the development OpenID Providers — one per municipality and the
 * region's — as one process, and writes the trust file the services read.
 * Botkyrka's speaks Entra ID style (groups of object ids), so the claim
 * mapping is exercised in every local run. Client secrets are new each run.
 */
export async function startDevIdentity(
  members: readonly Member[],
  options: { webRedirectUris: string[]; webPostLogoutRedirectUris: string[]; logFile?: string; keyDir?: string },
): Promise<DevIdentity> {
  const keyDir = options.keyDir ?? DEV_IDENTITY_DIR;
  const devTokenSecret = secret();
  const regionalService = { clientId: 'regional-service', clientSecret: secret() };
  const biClient = { clientId: 'bi-demo', clientSecret: secret() };
  const specs = devRegionProviders({
    members,
    regionClients: [
      { ...regionalService, roles: [Role.SERVICE] },
      { ...biClient, roles: [Role.ANALYST] },
    ],
    devTokenSecret,
    webRedirectUris: options.webRedirectUris,
    webPostLogoutRedirectUris: options.webPostLogoutRedirectUris,
    entraStyle: ['0127'],
    keyDir,
  });
  const providers = await spawnProviders(specs, { logFile: options.logFile });
  const trustFile = join(keyDir, 'trusted-issuers.json');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  writeFileSync(trustFile, JSON.stringify({ issuers: trustedIssuersOf(specs, providers.issuers) }, null, 2));
  return {
    providers,
    specs,
    devTokenSecret,
    regionalService,
    biClient,
    authEnv: { AUTH_TRUSTED_ISSUERS_FILE: trustFile },
    token: (identity) => devUserToken(providers.issuers[providerFor(identity)]!, devTokenSecret, identity),
  };
}

/** The environment that makes a service fetch its own tokens from the region's provider (client credentials). */
export function serviceClientEnv(identity: DevIdentity, client: DevClient): Record<string, string> {
  return {
    SERVICE_CLIENT_ID: client.clientId,
    SERVICE_CLIENT_SECRET: client.clientSecret,
    SERVICE_TOKEN_ISSUER: identity.providers.issuers[REGION_PROVIDER]!,
    SERVICE_TOKEN_RESOURCE: FEDERATION_AUDIENCE,
  };
}

/** A fresh secret per municipality for case references; a deployment keeps its own for good. */
export function devCaseReferenceKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Where the local runner keeps each municipality's X25519 statistics key (outside git; created on first use). */
export const DEV_STATISTICS_KEY_DIR = resolve(__dirname, '../../.data/dev-statistics-keys');

export interface DevStatisticsKeys {
  /** STATISTICS_PRIVATE_KEY_FILE of each municipality, by kommunkod. */
  privateKeyFiles: Record<string, string>;
  /** STATISTICS_PUBLIC_KEYS, the same for every shard: every member's public key. */
  publicKeys: string;
}

/**
 * One X25519 key pair per municipality for secure aggregation, as a deployment
 * has them: each shard gets only its own private key file (mode 0600) and the
 * public keys of all. Kept and reused across runs, like the issuer key.
 */
export function openDevStatisticsKeys(codes: readonly string[], dir: string = DEV_STATISTICS_KEY_DIR): DevStatisticsKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKeyFiles: Record<string, string> = {};
  const publicKeys: Record<string, string> = {};
  for (const code of codes) {
    const file = join(dir, `${code}.x25519.pem`);
    if (!existsSync(file)) {
      try {
        // `wx`: a runner starting at the same moment may have written it first; then that one is used.
        writeFileSync(file, generateStatisticsKeyPair().privateKeyPem, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    let privateKey: KeyObject;
    try {
      privateKey = readStatisticsPrivateKey(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`development statistics key ${file} ${(error as Error).message}; delete it to get a new one`);
    }
    privateKeyFiles[code] = file;
    publicKeys[code] = encodeStatisticsPublicKey(privateKey);
  }
  return { privateKeyFiles, publicKeys: formatStatisticsPublicKeys(publicKeys) };
}

export interface DemoUser {
  sub: string;
  role: Role;
  municipality?: string;
  who: string;
}

/** The demo users the welcome text lists: one per role, Huddinge staff for the municipal roles (every municipality has its own). */
export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'caseworker-0126-1', role: Role.CASEWORKER, municipality: '0126', who: 'caseworker (handläggare), Huddinge' },
  { sub: 'housing-0126-1', role: Role.HOUSING_MANAGER, municipality: '0126', who: 'housing manager, Huddinge' },
  { sub: 'caseworker-0138-1', role: Role.CASEWORKER, municipality: '0138', who: 'caseworker, Tyresö' },
  { sub: 'housing-0138-1', role: Role.HOUSING_MANAGER, municipality: '0138', who: 'housing manager, Tyresö' },
  { sub: 'auditor-0126-1', role: Role.AUDITOR, municipality: '0126', who: 'auditor, Huddinge' },
  { sub: 'dataskydd-0126-1', role: Role.DATA_PROTECTION_OFFICER, municipality: '0126', who: 'data protection officer (dataskydd), Huddinge' },
  { sub: 'coordinator-1', role: Role.COORDINATOR, who: 'regional coordinator (samordnare)' },
  { sub: 'analyst-1', role: Role.ANALYST, who: 'analyst' },
];
