import { ConfigError, StatisticsNotConfiguredError } from '@sodertorn/service-kit';
import { devPairwiseSeed, x25519PairwiseSeeds, type PairwiseSeeds } from '@sodertorn/statistics';
import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

const SERVICE = 'municipality subgraph';
const ENTRY_FORM = '0126:2=<base64url of the raw 32-byte X25519 public key> (":2" is the key\'s version; without it, version 1)';

/** Where this deployment's pairwise mask seeds come from. */
export type StatisticsSeedMode = 'x25519' | 'development-secret' | 'none';

/** A key version and the fingerprint of its public key (the region compares fingerprints, never sees a secret). */
export interface StatisticsKeyVersion {
  version: number;
  fingerprint: string;
}

/** What a deployment's keyring holds, as it tells the region (statisticsKeys): public facts only. */
export interface StatisticsKeysInfo {
  /** This municipality's own key versions, each with a private key here. */
  own: StatisticsKeyVersion[];
  /** Every other member's public key versions configured here. */
  known: (StatisticsKeyVersion & { municipalityCode: string })[];
  /** Development: seeds from STATISTICS_SEED_SECRET, shared with every member whose own fingerprint is the same. */
  sharedSecret: boolean;
}

/**
 * This deployment's statistics keys: its own key versions and the public key versions of the
 * other members it knows. A round names each participant's key version (the region picks, for
 * each member, a version every participant knows); the seeds of that round come from exactly
 * those keys. Keys come only from this deployment's own configuration, never from the region:
 * a region that could hand out keys could put its own in place of a member's and unmask a vector.
 */
export interface StatisticsKeyring {
  info: StatisticsKeysInfo;
  /**
   * The seeds of a round in which `participants[i]` uses key version `versions[i]`.
   * @throws StatisticsNotConfiguredError naming the key version this deployment lacks
   */
  seedsFor(participants: readonly string[], versions: readonly number[]): PairwiseSeeds;
}

export interface StatisticsSeedSource {
  mode: StatisticsSeedMode;
  /** Absent in mode `none`: the shard takes part in no statistics round. */
  keyring?: StatisticsKeyring;
  /** The members whose public keys are configured (mode `x25519` only). */
  members?: readonly string[];
  /** Variables that were set but are not used (STATISTICS_SEED_SECRET when X25519 wins). */
  ignored: string[];
}

export interface StatisticsSeedSettings {
  /** This deployment's kommunkod: its entries in `publicKeys` must match the private keys. */
  municipalityCode: string;
  /** STATISTICS_PRIVATE_KEY_FILE: this municipality's X25519 private keys, PKCS#8 PEM, one block per key version held. */
  privateKeyFile?: string;
  /** STATISTICS_PUBLIC_KEYS: `0126=<base64url raw key>,0126:2=…,0127=…`, every member's, own included. */
  publicKeys?: string;
  /** STATISTICS_SEED_SECRET: the shared development secret (devPairwiseSeed). */
  seedSecret?: string;
}

/** 16 hex digits of SHA-256 over a public key's raw bytes: enough to tell keys apart, and public anyway. */
export function statisticsKeyFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(Buffer.from(encodeStatisticsPublicKey(key), 'base64url'))
    .digest('hex')
    .slice(0, 16);
}

/**
 * DEVELOPMENT: a keyring of the shared secret. Every member holding the secret agrees with every
 * other (version 1 only); the fingerprint, an HMAC of the secret, tells members with different
 * secrets apart without revealing either.
 */
export function developmentKeyring(secret: string): StatisticsKeyring {
  const seeds = devPairwiseSeed(secret);
  const fingerprint = createHmac('sha256', secret).update('sodertorn/statistics/development-secret-fingerprint').digest('hex').slice(0, 16);
  return {
    info: { own: [{ version: 1, fingerprint }], known: [], sharedSecret: true },
    seedsFor(_participants, versions) {
      if (versions.some((v) => v !== 1)) throw new StatisticsNotConfiguredError('A deployment on the development secret has key version 1 only.');
      return seeds;
    },
  };
}

/**
 * The pairwise seeds of secure aggregation for this deployment, decided once at
 * start: X25519 key agreement when STATISTICS_PRIVATE_KEY_FILE and
 * STATISTICS_PUBLIC_KEYS are set (even if STATISTICS_SEED_SECRET is set too),
 * else the development secret, else none. Every key is checked here, including
 * the agreement of every own key version with every other key, so a bad key
 * stops the start rather than a statistics round.
 *
 * @throws ConfigError naming each variable that is wrong and how
 */
export function statisticsSeedsFromConfig(settings: StatisticsSeedSettings): StatisticsSeedSource {
  const { privateKeyFile, publicKeys, seedSecret } = settings;
  if (privateKeyFile === undefined && publicKeys === undefined) {
    return seedSecret === undefined ? { mode: 'none', ignored: [] } : { mode: 'development-secret', keyring: developmentKeyring(seedSecret), ignored: [] };
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
  const { keyring, members } = agreeX25519(settings.municipalityCode, privateKeyPem, publicKeys, problems);
  return { mode: 'x25519', keyring, members, ignored: seedSecret === undefined ? [] : ['STATISTICS_SEED_SECRET'] };
}

/**
 * An X25519 keyring from key material rather than a file (statisticsSeedsFromConfig
 * reads the file; tests pass the PEM directly). Problems name the variables the
 * material comes from.
 *
 * @throws ConfigError naming STATISTICS_PRIVATE_KEY_FILE or STATISTICS_PUBLIC_KEYS and what is wrong
 */
export function x25519KeyringFromKeys(municipalityCode: string, privateKeyPem: string, publicKeys: string): { keyring: StatisticsKeyring; members: string[] } {
  return agreeX25519(municipalityCode, privateKeyPem, publicKeys, []);
}

/** Checks what is given (adding to `problems`, which may already hold some) and throws them all together. */
function agreeX25519(
  municipalityCode: string,
  privateKeyPem: string | undefined,
  publicKeys: string | undefined,
  problems: string[],
): { keyring: StatisticsKeyring; members: string[] } {
  let privateKeys: KeyObject[] | undefined;
  if (privateKeyPem !== undefined) {
    try {
      privateKeys = readStatisticsPrivateKeys(privateKeyPem);
    } catch (error) {
      problems.push(`STATISTICS_PRIVATE_KEY_FILE: ${(error as Error).message}`);
    }
  }
  let keys: Map<string, Map<number, KeyObject>> | undefined;
  if (publicKeys !== undefined) {
    try {
      keys = parseStatisticsPublicKeys(publicKeys);
    } catch (error) {
      problems.push(`STATISTICS_PUBLIC_KEYS: ${(error as Error).message}`);
    }
  }
  const own = new Map<number, KeyObject>();
  if (keys) {
    const listed = keys.get(municipalityCode);
    if (!listed) {
      problems.push(`STATISTICS_PUBLIC_KEYS: has no entry for this municipality (${municipalityCode}); list every member's key, this one's included`);
    } else if (privateKeys) {
      for (const [i, privateKey] of privateKeys.entries()) {
        const publicKey = createPublicKey(privateKey);
        const version = [...listed].find(([, key]) => key.equals(publicKey))?.[0];
        if (version === undefined) {
          const which = privateKeys.length > 1 ? `private key ${i + 1} (of ${privateKeys.length})` : 'private key';
          problems.push(`STATISTICS_PUBLIC_KEYS: no key given for ${municipalityCode} is the public key of the ${which} in STATISTICS_PRIVATE_KEY_FILE`);
        } else own.set(version, privateKey);
      }
      for (const version of listed.keys()) {
        if (!own.has(version) && own.size === privateKeys.length) {
          problems.push(`STATISTICS_PUBLIC_KEYS: ${versionName(municipalityCode, version)} has no private key in STATISTICS_PRIVATE_KEY_FILE`);
        }
      }
    }
    if (keys.size < 2) problems.push("STATISTICS_PUBLIC_KEYS: lists one member only; a round needs every other member's key too");
  }
  if (problems.length || !privateKeys || !keys) throw new ConfigError(SERVICE, problems);

  // Agree with every other key now, from every own version: a low-order (all-zero agreement) key fails the start, not a round.
  const [, anyOwn] = [...own][0]!;
  const anyOwnPublic = createPublicKey(anyOwn);
  for (const [code, versions] of keys) {
    if (code === municipalityCode) continue;
    for (const [version, key] of versions) {
      try {
        x25519PairwiseSeeds(
          anyOwn,
          new Map([
            [municipalityCode, anyOwnPublic],
            [code, key],
          ]),
        )(municipalityCode, code);
      } catch {
        problems.push(`STATISTICS_PUBLIC_KEYS: the key given for ${versionName(code, version)} is not usable for key agreement (a low-order point)`);
      }
    }
  }
  if (problems.length) throw new ConfigError(SERVICE, problems);
  return { keyring: x25519Keyring(municipalityCode, own, keys), members: [...keys.keys()].sort() };
}

/** `0126` for version 1 (as the format before versions wrote it), else `0126:2`. */
const versionName = (code: string, version: number) => (version === 1 ? code : `${code}:${version}`);

function x25519Keyring(
  municipalityCode: string,
  own: ReadonlyMap<number, KeyObject>,
  keys: ReadonlyMap<string, ReadonlyMap<number, KeyObject>>,
): StatisticsKeyring {
  const byVersion = (versions: ReadonlyMap<number, KeyObject>) =>
    [...versions].sort(([a], [b]) => a - b).map(([version, key]) => ({ version, fingerprint: statisticsKeyFingerprint(key) }));
  return {
    info: {
      own: byVersion(keys.get(municipalityCode)!).filter((v) => own.has(v.version)),
      known: [...keys]
        .filter(([code]) => code !== municipalityCode)
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([code, versions]) => byVersion(versions).map((v) => ({ municipalityCode: code, ...v }))),
      sharedSecret: false,
    },
    seedsFor(participants, versions) {
      const chosen = new Map<string, KeyObject>();
      let privateKey: KeyObject | undefined;
      participants.forEach((code, i) => {
        const version = versions[i] ?? 1;
        const key = keys.get(code)?.get(version);
        if (code === municipalityCode) privateKey = own.get(version);
        if (!key || (code === municipalityCode && !privateKey)) {
          throw new StatisticsNotConfiguredError(
            code === municipalityCode
              ? `This deployment holds no statistics key of version ${version}.`
              : `This deployment does not know version ${version} of the statistics key of ${code}.`,
          );
        }
        chosen.set(code, key);
      });
      if (!privateKey) throw new StatisticsNotConfiguredError(`The round does not include ${municipalityCode}.`);
      return x25519PairwiseSeeds(privateKey, chosen);
    },
  };
}

/**
 * Parses `0126=<base64url raw key>,0126:2=…,0127=…` (the STATISTICS_PUBLIC_KEYS format: a
 * kommunkod, optionally `:version`, version 1 when left out) into X25519 public keys by
 * kommunkod and version.
 *
 * @throws Error listing every malformed entry, repeated kommunkod and version, and repeated key
 */
export function parseStatisticsPublicKeys(value: string): Map<string, Map<number, KeyObject>> {
  const problems: string[] = [];
  const keys = new Map<string, Map<number, KeyObject>>();
  const seen: [string, KeyObject][] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push(`is empty; expected ${ENTRY_FORM},…`);
  for (const entry of entries) {
    const match = /^(\d{4})(?::([1-9]\d{0,5}))?=([A-Za-z0-9_-]{43})$/.exec(entry);
    if (!match) {
      problems.push(`"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}" is not of the form ${ENTRY_FORM}`);
      continue;
    }
    const [, code, versionText, encoded] = match as unknown as [string, string, string | undefined, string];
    const version = versionText === undefined ? 1 : Number(versionText);
    const name = versionName(code, version);
    const versions = keys.get(code) ?? new Map<number, KeyObject>();
    if (versions.has(version)) {
      problems.push(`${name} is listed twice`);
      continue;
    }
    let key: KeyObject;
    try {
      key = decodeStatisticsPublicKey(encoded);
    } catch {
      problems.push(`the key given for ${name} is not a raw 32-byte X25519 public key`);
      continue;
    }
    const twin = seen.find(([, other]) => other.equals(key));
    if (twin) problems.push(`${twin[0]} and ${name} have the same key; each member and version needs its own`);
    seen.push([name, key]);
    versions.set(version, key);
    keys.set(code, versions);
  }
  if (problems.length) throw new Error(problems.join('; '));
  return keys;
}

/**
 * Reads one or more PKCS#8 PEM private keys (one block per key version held, e.g. the old and the
 * new key during a rotation) and checks that each is an X25519 key.
 *
 * @throws Error saying what the text is instead (never quoting it)
 */
export function readStatisticsPrivateKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/g);
  if (!blocks) return [readStatisticsPrivateKey(pem)];
  return blocks.map((block, i) => {
    try {
      return readStatisticsPrivateKey(block);
    } catch (error) {
      throw new Error(blocks.length > 1 ? `block ${i + 1} (of ${blocks.length}) ${(error as Error).message}` : (error as Error).message);
    }
  });
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
