import { ConfigError } from '@sodertorn/service-kit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMunicipalityConfig } from './config';
import { formatStatisticsPublicKeys, generateStatisticsKeyPair } from './statistics/pairwise-seeds';

const base = {
  MUNICIPALITY_CODE: '0126',
  DATABASE_URL: 'postgres://svc:secret@127.0.0.1:5432/m0126',
  CASE_REFERENCE_KEY: 'k'.repeat(40),
  AUTH_ISSUER: 'https://issuer.example',
  AUTH_AUDIENCE: 'sodertorn-federation',
  AUTH_JWKS_FILE: '/dev/null',
  ALLOW_PLAIN_HTTP: 'true',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMunicipalityConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('loadMunicipalityConfig accepted an invalid environment');
}

describe('Municipal configuration of joint statistics', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'municipality-config-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('takes part in no round and locks coverage for 720 hours by default', () => {
    const config = loadMunicipalityConfig(base);
    expect(config.statisticsSeedSource).toEqual({ mode: 'none', ignored: [] });
    expect(config.statisticsCoverageLockHours).toBe(720);
  });

  it('reads the X25519 key file and public keys, which win over the development secret', () => {
    const own = generateStatisticsKeyPair();
    const file = join(folder, '0126.pem');
    writeFileSync(file, own.privateKeyPem, { mode: 0o600 });
    const config = loadMunicipalityConfig({
      ...base,
      STATISTICS_PRIVATE_KEY_FILE: file,
      STATISTICS_PUBLIC_KEYS: formatStatisticsPublicKeys({ '0126': own.publicKey, '0127': generateStatisticsKeyPair().publicKey }),
      STATISTICS_SEED_SECRET: 's'.repeat(40),
      STATISTICS_COVERAGE_LOCK_HOURS: '0',
    });
    expect(config.statisticsSeedSource).toMatchObject({ mode: 'x25519', members: ['0126', '0127'], ignored: ['STATISTICS_SEED_SECRET'] });
    expect(config.statisticsCoverageLockHours).toBe(0);
  });

  it('names every key problem with its variable, together', () => {
    expect(problemsOf({ ...base, STATISTICS_PUBLIC_KEYS: '0126=nope' })).toEqual([
      expect.stringMatching(/^STATISTICS_PRIVATE_KEY_FILE is required when STATISTICS_PUBLIC_KEYS is set/),
      'STATISTICS_PUBLIC_KEYS: "0126=nope" is not of the form 0126:2=<base64url of the raw 32-byte X25519 public key> (":2" is the key\'s version; without it, version 1)',
    ]);
  });

  it.each(['-1', '1.5', 'a month'])('refuses STATISTICS_COVERAGE_LOCK_HOURS=%s, saying what a valid value looks like', (value) => {
    expect(problemsOf({ ...base, STATISTICS_COVERAGE_LOCK_HOURS: value })).toEqual([
      'STATISTICS_COVERAGE_LOCK_HOURS: must be a whole number of hours, 0 or more (0 turns the lock off)',
    ]);
  });
});

describe('IDEMPOTENCY_RETENTION_DAYS', () => {
  it('keeps idempotency keys 30 days by default, an empty value included', () => {
    expect(loadMunicipalityConfig(base).idempotencyRetentionDays).toBe(30);
    expect(loadMunicipalityConfig({ ...base, IDEMPOTENCY_RETENTION_DAYS: '' }).idempotencyRetentionDays).toBe(30);
  });

  it.each([
    ['1', 1],
    ['7', 7],
    ['365', 365],
  ])('takes %s', (value, days) => {
    expect(loadMunicipalityConfig({ ...base, IDEMPOTENCY_RETENTION_DAYS: value }).idempotencyRetentionDays).toBe(days);
  });

  it.each(['0', '-1', '1.5', 'a month', '36501'])('refuses %s, saying what a valid value looks like', (value) => {
    expect(problemsOf({ ...base, IDEMPOTENCY_RETENTION_DAYS: value })).toEqual([
      'IDEMPOTENCY_RETENTION_DAYS: must be a whole number of days, at least 1 (and at most 36500)',
    ]);
  });
});

describe('Municipal configuration of retention rules', () => {
  it('starts without them (only the cull command needs them)', () => {
    expect(() => loadMunicipalityConfig(base)).not.toThrow();
  });

  it('refuses a retention setting that is not a whole number of years from 1 to 100, naming it', () => {
    expect(problemsOf({ ...base, CASE_RETENTION_YEARS: 'fem', AUDIT_RETENTION_YEARS: '0' })).toEqual([
      'CASE_RETENTION_YEARS: must be a whole number of years, 1 to 100',
      'AUDIT_RETENTION_YEARS: must be a whole number of years, 1 to 100',
    ]);
    expect(problemsOf({ ...base, CASE_RETENTION_YEARS: '2.5' })).toEqual(['CASE_RETENTION_YEARS: must be a whole number of years, 1 to 100']);
  });
});
