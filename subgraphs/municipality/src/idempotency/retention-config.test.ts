import { ConfigError } from '@sodertorn/service-kit';
import { loadMunicipalityConfig } from '../config';

const base = {
  MUNICIPALITY_CODE: '0126',
  DATABASE_URL: 'postgres://svc:secret@127.0.0.1:5432/m0126',
  CASE_REFERENCE_KEY: 'k'.repeat(40),
  AUTH_ISSUER: 'https://issuer.example',
  AUTH_AUDIENCE: 'sodertorn-federation',
  AUTH_JWKS_FILE: '/dev/null',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMunicipalityConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('loadMunicipalityConfig accepted an invalid environment');
}

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
    expect(problemsOf({ ...base, IDEMPOTENCY_RETENTION_DAYS: value })).toEqual(['IDEMPOTENCY_RETENTION_DAYS: must be a whole number of days, at least 1 (and at most 36500)']);
  });
});
