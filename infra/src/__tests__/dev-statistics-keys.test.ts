import { readStatisticsPrivateKey, encodeStatisticsPublicKey } from '@sodertorn/municipality';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDevStatisticsKeys } from '../dev-identity';

const CODES = ['0126', '0127', '0128'];

describe('The local runner’s X25519 statistics keys', () => {
  let folder: string;
  beforeEach(() => {
    folder = join(mkdtempSync(join(tmpdir(), 'dev-statistics-keys-')), 'keys');
  });
  afterEach(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

  it('makes one private key file per municipality, readable by the owner only, and lists every public key', () => {
    const keys = openDevStatisticsKeys(CODES, folder);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(Object.keys(keys.privateKeyFiles)).toEqual(CODES);
    const publicKeys = CODES.map((code) => {
      const file = keys.privateKeyFiles[code]!;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      return `${code}=${encodeStatisticsPublicKey(readStatisticsPrivateKey(readFileSync(file, 'utf8')))}`;
    });
    expect(keys.publicKeys).toBe(publicKeys.join(','));
    expect(new Set(publicKeys.map((entry) => entry.slice(5))).size).toBe(CODES.length);
  });

  it('reuses the keys of an earlier run', () => {
    const first = openDevStatisticsKeys(CODES, folder);
    expect(openDevStatisticsKeys(CODES, folder)).toEqual(first);
  });

  it('refuses a damaged key file, naming it', () => {
    const { privateKeyFiles } = openDevStatisticsKeys(CODES, folder);
    writeFileSync(privateKeyFiles['0127']!, 'damaged');
    expect(() => openDevStatisticsKeys(CODES, folder)).toThrow(
      `development statistics key ${privateKeyFiles['0127']} is not a PKCS#8 PEM private key (expected a "-----BEGIN PRIVATE KEY-----" block); delete it to get a new one`,
    );
  });
});
