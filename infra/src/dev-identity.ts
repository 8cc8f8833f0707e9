import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, Role } from '@sodertorn/auth';
import { encodeStatisticsPublicKey, formatStatisticsPublicKeys, generateStatisticsKeyPair, readStatisticsPrivateKey } from '@sodertorn/municipality';
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the development issuer keeps its key pair (outside git; created on first use). */
export const DEV_IDENTITY_DIR = resolve(__dirname, '../../.data/dev-issuer');

export interface DevIdentity {
  issuer: DevIssuer;
  /** The AUTH_* environment every service verifies tokens with. */
  authEnv: Record<string, string>;
}

/**
 * The local stand-in for the region's OIDC provider. Services get its JWKS as a
 * file and verify its tokens exactly as they would a real provider's. Only the
 * local runner and `npm run token` use it; a deployment configures its own
 * AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL and never sees this key.
 */
export async function openDevIdentity(): Promise<DevIdentity> {
  const issuer = await DevIssuer.open(join(DEV_IDENTITY_DIR, 'key.json'));
  const jwksFile = join(DEV_IDENTITY_DIR, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(issuer.jwks(), null, 2));
  return { issuer, authEnv: { AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_FILE: jwksFile } };
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

/** The demo users the README lists: one per role, Huddinge staff for the municipal roles. */
export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'caseworker-0126-1', role: Role.CASEWORKER, municipality: '0126', who: 'caseworker (handläggare), Huddinge' },
  { sub: 'housing-0126-1', role: Role.HOUSING_MANAGER, municipality: '0126', who: 'housing manager, Huddinge' },
  { sub: 'caseworker-0138-1', role: Role.CASEWORKER, municipality: '0138', who: 'caseworker, Tyresö' },
  { sub: 'housing-0138-1', role: Role.HOUSING_MANAGER, municipality: '0138', who: 'housing manager, Tyresö' },
  { sub: 'coordinator-1', role: Role.COORDINATOR, who: 'regional coordinator (samordnare)' },
  { sub: 'analyst-bi', role: Role.ANALYST, who: 'BI tool (analyst)' },
  { sub: 'auditor-0126', role: Role.AUDITOR, municipality: '0126', who: 'auditor, Huddinge' },
];
