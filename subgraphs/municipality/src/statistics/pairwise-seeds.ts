import { ConfigError } from '@sodertorn/service-kit';
import { devPairwiseSeed, x25519PairwiseSeeds, type PairwiseSeeds } from '@sodertorn/statistics';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

const SERVICE = 'municipality subgraph';
const ENTRY_FORM = '0126=<base64url of the raw 32-byte X25519 public key>';

/** Where this deployment's pairwise mask seeds come from. */
export type StatisticsSeedMode = 'x25519' | 'development-secret' | 'none';

export interface StatisticsSeedSource {
  mode: StatisticsSeedMode;
  /** Absent in mode `none`: the shard takes part in no statistics round. */
  seeds?: PairwiseSeeds;
  /** The members whose public keys are configured (mode `x25519` only). */
  members?: readonly string[];
  /** Variables that were set but are not used (STATISTICS_SEED_SECRET when X25519 wins). */
  ignored: string[];
}

export interface StatisticsSeedSettings {
  /** This deployment's kommunkod: its entry in `publicKeys` must match the private key. */
  municipalityCode: string;
  /** STATISTICS_PRIVATE_KEY_FILE: this municipality's X25519 private key, PKCS#8 PEM. */
  privateKeyFile?: string;
  /** STATISTICS_PUBLIC_KEYS: `0126=<base64url raw key>,0127=…`, every member's, own included. */
  publicKeys?: string;
  /** STATISTICS_SEED_SECRET: the shared development secret (devPairwiseSeed). */
  seedSecret?: string;
}

/**
 * The pairwise seeds of secure aggregation for this deployment, decided once at
 * start: X25519 key agreement when STATISTICS_PRIVATE_KEY_FILE and
 * STATISTICS_PUBLIC_KEYS are set (even if STATISTICS_SEED_SECRET is set too),
 * else the development secret, else none. Every key is checked here, including
 * the agreement with every other member, so a bad key stops the start rather
 * than a statistics round.
 *
 * @throws ConfigError naming each variable that is wrong and how
 */
export function statisticsSeedsFromConfig(settings: StatisticsSeedSettings): StatisticsSeedSource {
  const { privateKeyFile, publicKeys, seedSecret } = settings;
  if (privateKeyFile === undefined && publicKeys === undefined) {
    return seedSecret === undefined ? { mode: 'none', ignored: [] } : { mode: 'development-secret', seeds: devPairwiseSeed(seedSecret), ignored: [] };
  }
  const problems: string[] = [];
  if (privateKeyFile === undefined) {
    problems.push(
      "STATISTICS_PRIVATE_KEY_FILE is required when STATISTICS_PUBLIC_KEYS is set: the path of this municipality's X25519 private key (PKCS#8 PEM)",
    );
  }
  if (publicKeys === undefined) {
    problems.push(`STATISTICS_PUBLIC_KEYS is required when STATISTICS_PRIVATE_KEY_FILE is set: every member's public key, own included, as ${ENTRY_FORM},…`);
  }
  let privateKeyPem: string | undefined;
  if (privateKeyFile !== undefined) {
    try {
      privateKeyPem = readFileSync(privateKeyFile, 'utf8');
    } catch (error) {
      problems.push(`STATISTICS_PRIVATE_KEY_FILE: cannot read ${privateKeyFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const { seeds, members } = agreeX25519(settings.municipalityCode, privateKeyPem, publicKeys, problems);
  return { mode: 'x25519', seeds, members, ignored: seedSecret === undefined ? [] : ['STATISTICS_SEED_SECRET'] };
}

/**
 * X25519 seeds from key material rather than a file (statisticsSeedsFromConfig
 * reads the file; tests pass the PEM directly). Problems name the variables the
 * material comes from.
 *
 * @throws ConfigError naming STATISTICS_PRIVATE_KEY_FILE or STATISTICS_PUBLIC_KEYS and what is wrong
 */
export function x25519SeedsFromKeys(municipalityCode: string, privateKeyPem: string, publicKeys: string): { seeds: PairwiseSeeds; members: string[] } {
  return agreeX25519(municipalityCode, privateKeyPem, publicKeys, []);
}

/** Checks what is given (adding to `problems`, which may already hold some) and throws them all together. */
function agreeX25519(
  municipalityCode: string,
  privateKeyPem: string | undefined,
  publicKeys: string | undefined,
  problems: string[],
): { seeds: PairwiseSeeds; members: string[] } {
  let privateKey: KeyObject | undefined;
  if (privateKeyPem !== undefined) {
    try {
      privateKey = readStatisticsPrivateKey(privateKeyPem);
    } catch (error) {
      problems.push(`STATISTICS_PRIVATE_KEY_FILE: ${(error as Error).message}`);
    }
  }
  let keys: Map<string, KeyObject> | undefined;
  if (publicKeys !== undefined) {
    try {
      keys = parseStatisticsPublicKeys(publicKeys);
    } catch (error) {
      problems.push(`STATISTICS_PUBLIC_KEYS: ${(error as Error).message}`);
    }
  }
  if (keys) {
    const own = keys.get(municipalityCode);
    if (!own) {
      problems.push(`STATISTICS_PUBLIC_KEYS: has no entry for this municipality (${municipalityCode}); list every member's key, this one's included`);
    } else if (privateKey && !own.equals(createPublicKey(privateKey))) {
      problems.push(`STATISTICS_PUBLIC_KEYS: the key given for ${municipalityCode} is not the public key of the private key in STATISTICS_PRIVATE_KEY_FILE`);
    }
    if (keys.size < 2) problems.push("STATISTICS_PUBLIC_KEYS: lists one member only; a round needs every other member's key too");
  }
  if (problems.length || !privateKey || !keys) throw new ConfigError(SERVICE, problems);

  const seeds = x25519PairwiseSeeds(privateKey, keys);
  // Agree with every member now: a low-order (all-zero agreement) key fails the start, not a round.
  for (const code of keys.keys()) {
    if (code === municipalityCode) continue;
    try {
      seeds(municipalityCode, code);
    } catch {
      problems.push(`STATISTICS_PUBLIC_KEYS: the key given for ${code} is not usable for key agreement (a low-order point)`);
    }
  }
  if (problems.length) throw new ConfigError(SERVICE, problems);
  return { seeds, members: [...keys.keys()].sort() };
}

/**
 * Parses `0126=<base64url raw key>,0127=…` (the STATISTICS_PUBLIC_KEYS format) into
 * X25519 public keys by kommunkod.
 *
 * @throws Error listing every malformed entry, repeated kommunkod and repeated key
 */
export function parseStatisticsPublicKeys(value: string): Map<string, KeyObject> {
  const problems: string[] = [];
  const keys = new Map<string, KeyObject>();
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push(`is empty; expected ${ENTRY_FORM},…`);
  for (const entry of entries) {
    const match = /^(\d{4})=([A-Za-z0-9_-]{43})$/.exec(entry);
    if (!match) {
      problems.push(`"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}" is not of the form ${ENTRY_FORM}`);
      continue;
    }
    const [, code, encoded] = match as unknown as [string, string, string];
    if (keys.has(code)) {
      problems.push(`${code} is listed twice`);
      continue;
    }
    let key: KeyObject;
    try {
      key = decodeStatisticsPublicKey(encoded);
    } catch {
      problems.push(`the key given for ${code} is not a raw 32-byte X25519 public key`);
      continue;
    }
    const twin = [...keys].find(([, other]) => other.equals(key));
    if (twin) problems.push(`${twin[0]} and ${code} have the same key; each member needs its own`);
    keys.set(code, key);
  }
  if (problems.length) throw new Error(problems.join('; '));
  return keys;
}

/**
 * Reads a PKCS#8 PEM private key and checks that it is an X25519 key.
 *
 * @throws Error saying what the text is instead (never quoting it)
 */
export function readStatisticsPrivateKey(pem: string): KeyObject {
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem)) {
    throw new Error('is not a PKCS#8 PEM private key (expected a "-----BEGIN PRIVATE KEY-----" block)');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('holds a PEM block that is not a readable PKCS#8 private key');
  }
  if (key.asymmetricKeyType !== 'x25519') {
    throw new Error(`holds a private key of type ${key.asymmetricKeyType ?? 'unknown'}, not X25519`);
  }
  return key;
}

/**
 * The base64url text of an X25519 public key's raw 32 bytes (as in STATISTICS_PUBLIC_KEYS);
 * given a private key, of its public key.
 */
export function encodeStatisticsPublicKey(key: KeyObject): string {
  if (key.asymmetricKeyType !== 'x25519') throw new Error('not an X25519 key');
  // A JWK's `x` of an OKP key is exactly the raw key, base64url without padding.
  const { x } = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  return x!;
}

/** The X25519 public key of base64url raw bytes; throws if they are not 32 bytes. */
export function decodeStatisticsPublicKey(encoded: string): KeyObject {
  if (Buffer.from(encoded, 'base64url').length !== 32) throw new Error('not 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: encoded }, format: 'jwk' });
}

/**
 * A fresh X25519 key pair for statistics: the private key as PKCS#8 PEM (for
 * STATISTICS_PRIVATE_KEY_FILE) and the public key as base64url raw bytes (for
 * STATISTICS_PUBLIC_KEYS). For the local runner, tests and operators' tooling.
 */
export function generateStatisticsKeyPair(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey: encodeStatisticsPublicKey(publicKey) };
}

/** Formats public keys by kommunkod as STATISTICS_PUBLIC_KEYS expects them. */
export function formatStatisticsPublicKeys(publicKeys: Readonly<Record<string, string>>): string {
  return Object.entries(publicKeys)
    .map(([code, key]) => `${code}=${key}`)
    .join(',');
}
